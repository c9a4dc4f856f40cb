// Open HTML pages in one real Chromium and report, per page, what hostile record text could
// have turned into: live script (elements that run or load code, on* handler attributes, alert dialogs
// that actually opened), dangerous link targets (javascript:, data:, vbscript: in any URL
// attribute) and the page's visible text, to compare with the text as written.
//
// Why a browser and not an HTML parser: the question is what the browser builds from the
// bytes, and a parser that differs from the browser's in one corner case would answer a
// different question. JavaScript stays enabled, so a script that did slip through would run
// and be caught opening its dialog.
//
// Usage: node tests/hostile/dom_probe.mjs PAGE.html [PAGE.html ...]
// Prints one JSON array on stdout, one object per page in argument order.
// tests/browser_audit.mjs (axe, requests, reflow) runs separately on each page.

import { createRequire } from "node:module";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const ciRequire = createRequire(new URL("../../.ci/package.json", import.meta.url));
const { chromium } = ciRequire("playwright-core");

const pages = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.ROPA_CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
  timeout: 60_000,
});

const probe = () => {
  const dangerous = /^(javascript|data|vbscript):/i;
  const urlAttributes = ["href", "src", "action", "formaction", "xlink:href", "poster", "srcset"];
  const found = { active: [], handlers: [], dangerousUrls: [], hrefs: [] };
  for (const el of document.querySelectorAll("*")) {
    const tag = el.tagName.toLowerCase();
    // Elements that run or load code, or redirect the page (meta refresh).
    const refresh = tag === "meta" && el.hasAttribute("http-equiv");
    if (refresh || ["script", "iframe", "object", "embed", "frame", "base"].includes(tag)) {
      found.active.push(el.outerHTML.slice(0, 200));
    }
    for (const attr of el.attributes) {
      if (attr.name.startsWith("on")) found.handlers.push(`<${tag} ${attr.name}="${attr.value}">`);
      if (urlAttributes.includes(attr.name)) {
        // Browsers ignore whitespace and control characters around a scheme.
        const value = attr.value.replace(/[\u0000-\u0020]/g, "");
        if (attr.name === "href") found.hrefs.push(attr.value);
        if (dangerous.test(value)) found.dangerousUrls.push(`<${tag} ${attr.name}="${attr.value}">`);
      }
    }
  }
  found.text = document.body.innerText;
  return found;
};

const results = [];
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  for (const path of pages) {
    const url = pathToFileURL(resolve(path)).href;
    const page = await context.newPage();
    const dialogs = [];
    page.on("dialog", (dialog) => {
      dialogs.push(`${dialog.type()}: ${dialog.message()}`);
      dialog.dismiss().catch(() => {});
    });
    // Nothing but the page itself may load (browser_audit.mjs reports what was attempted).
    await page.route("**/*", (route) =>
      route.request().url() === url ? route.continue() : route.abort("blockedbyclient"),
    );
    await page.goto(url, { waitUntil: "load", timeout: 60_000 });
    results.push({ page: path, dialogs, ...(await page.evaluate(probe)) });
    await page.close();
  }
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(results));
