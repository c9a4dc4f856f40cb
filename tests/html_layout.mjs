// How register.html lays out in a real Chromium: at phone width, which words are wrapped
// inside (a word whose letters land on two lines) and whether the page scrolls sideways;
// the same at desktop width, where the table head shows; and the page printed to A4 PDF.
//
// A word is a run of non-space characters, split after each hyphen, dash or slash (a line may
// end there). It is broken when its client rects sit on more than one line although it is no
// wider than the page's line (a word longer than that has to break somewhere).
//
// Usage: node tests/html_layout.mjs PAGE.html PRINTED.pdf
// Prints one JSON object on stdout; exit 0 when the probe ran (whatever it found).
// Like browser_audit.mjs: playwright-core from .ci/node_modules, Debian's chromium
// (ROPA_CHROMIUM overrides).

import { createRequire } from "node:module";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const ciRequire = createRequire(new URL("../.ci/package.json", import.meta.url));
const { chromium } = ciRequire("playwright-core");

const [pagePath, pdfPath] = process.argv.slice(2);
if (!pagePath || !pdfPath) {
  console.error("usage: html_layout.mjs PAGE.html PRINTED.pdf");
  process.exit(2);
}
const PHONE = { width: 390, height: 844 };

const browser = await chromium.launch({
  executablePath: process.env.ROPA_CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
         "--disable-dev-shm-usage"],
  timeout: 60_000,
});

try {
  const context = await browser.newContext({ viewport: PHONE, locale: "en-GB", timezoneId: "UTC" });
  await context.route("**/*", (route) =>
    route.request().url().startsWith("file:") ? route.continue() : route.abort());
  const page = await context.newPage();
  await page.goto(pathToFileURL(resolve(pagePath)).href, { waitUntil: "load", timeout: 30_000 });

  const probe = () => {
    const broken = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    let words = 0;
    const body = getComputedStyle(document.body);
    const line =
      document.body.clientWidth - parseFloat(body.paddingLeft) - parseFloat(body.paddingRight);
    // Visually hidden (the table head on a phone is clipped to 1 px, for screen readers).
    const hidden = (el) => {
      for (; el; el = el.parentElement) {
        const style = getComputedStyle(el);
        if (style.clip !== "auto" && style.position === "absolute") return true;
      }
      return false;
    };
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (hidden(node.parentElement)) continue;
      const text = node.data;
      for (const match of text.matchAll(/[^\s\-‐–—\/]+[\-‐–—\/]*/g)) {
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const rects = [...range.getClientRects()].filter((r) => r.width > 0);
        if (!rects.length) continue; // not rendered (a hidden table head)
        words += 1;
        const tops = new Set(rects.map((r) => Math.round(r.top)));
        if (tops.size < 2) continue;
        // A word longer than the page's whole line must break (a 200-letter word): no fault.
        // One that would fit the page but not its column is: the column is too narrow.
        const where = node.parentElement.closest("th, td, p, li, h1, h2") || node.parentElement;
        const width = rects.reduce((sum, r) => sum + r.width, 0);
        if (width <= line && broken.length < 50) {
          broken.push({ word: match[0].slice(0, 80), lines: tops.size,
                        in: `${where.tagName.toLowerCase()}.${where.className}`,
                        width: Math.round(width), line: Math.round(line) });
        }
      }
    }
    return {
      width: window.innerWidth,
      scrollWidth: document.documentElement.scrollWidth,
      words,
      broken,
    };
  };
  const phone = await page.evaluate(probe);
  // At desktop width the table shows its head ("Markeret" over the narrow mark column).
  await page.setViewportSize({ width: 1280, height: 900 });
  const desktop = await page.evaluate(probe);

  // Printed: an A4 page less the page's margins is 166 mm = 627 CSS px wide.
  await page.emulateMedia({ media: "print" });
  await page.setViewportSize({ width: 627, height: 900 });
  const print = await page.evaluate(probe);
  await page.pdf({ path: pdfPath, format: "A4", preferCSSPageSize: true, printBackground: true });

  process.stdout.write(JSON.stringify({ phone, desktop, print, pdf: pdfPath }));
} finally {
  await browser.close();
}
