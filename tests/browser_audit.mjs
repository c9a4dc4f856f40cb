// Open one HTML file in a real Chromium and report what a reader's browser would see:
// axe-core WCAG 2.0/2.1 A and AA violations, every network request the page made,
// console errors, and whether the page scrolls sideways on a phone.
//
// Why a real browser: axe needs computed styles and layout (contrast, reflow, hidden
// content) that no HTML parser has. Why count requests: the register must be one
// self-contained file that can be mailed to an auditor and opened offline.
//
// Usage: node tests/browser_audit.mjs PAGE.html SCREENSHOT.png [PHONE_SCREENSHOT.png]
// Prints one JSON object on stdout. Exit 0 when the audit ran (whatever it found),
// non-zero only when the audit itself could not run.
//
// Resolves playwright-core and axe-core from .ci/node_modules (installed by .ci/run), and
// launches Debian's chromium (never a downloaded browser): set ROPA_CHROMIUM to override.

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const ciRequire = createRequire(new URL("../.ci/package.json", import.meta.url));
const { chromium } = ciRequire("playwright-core");
const axeSource = readFileSync(ciRequire.resolve("axe-core/axe.min.js"), "utf8");

const [pagePath, screenshotPath, phoneScreenshotPath] = process.argv.slice(2);
if (!pagePath || !screenshotPath) {
  console.error("usage: browser_audit.mjs PAGE.html SCREENSHOT.png [PHONE_SCREENSHOT.png]");
  process.exit(2);
}
const pageUrl = pathToFileURL(resolve(pagePath)).href;

const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };
const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

const browser = await chromium.launch({
  executablePath: process.env.ROPA_CHROMIUM || "/usr/bin/chromium",
  // Root needs --no-sandbox; there is no GPU; the rest stop Chromium's own calls home,
  // which this network refuses (and which would pollute the request list).
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
    "--disable-dev-shm-usage",
  ],
  timeout: 60_000,
});

try {
  const context = await browser.newContext({
    viewport: DESKTOP,
    // Inject axe even if the page sets a Content-Security-Policy.
    bypassCSP: true,
    // Fonts and dates should not depend on the machine's locale.
    locale: "en-GB",
    timezoneId: "UTC",
  });
  const page = await context.newPage();

  const requests = [];
  const consoleErrors = [];
  // Record, then refuse, anything but the page itself: a self-contained page needs nothing.
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (url === pageUrl) return route.continue();
    return route.abort("blockedbyclient");
  });
  page.on("request", (request) => {
    const url = request.url();
    if (url !== pageUrl) requests.push({ url, resourceType: request.resourceType() });
  });
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    const text = message.text();
    // Our own blocking of a request is reported under `requests`; don't count it twice.
    if (text.includes("net::ERR_BLOCKED_BY_CLIENT")) return;
    consoleErrors.push(text);
  });
  page.on("pageerror", (error) => consoleErrors.push(`uncaught: ${error.message}`));

  await page.goto(pageUrl, { waitUntil: "load", timeout: 30_000 });

  await page.evaluate(axeSource);
  const axeResults = await page.evaluate(
    (tags) =>
      window.axe.run(document, {
        runOnly: { type: "tag", values: tags },
        resultTypes: ["violations"],
        // Without this axe re-fetches the page's stylesheets by XHR, which would show up
        // as requests the page never made.
        preload: false,
      }),
    WCAG_TAGS,
  );
  const violations = axeResults.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    helpUrl: v.helpUrl,
    nodes: v.nodes.map((n) => ({
      target: n.target,
      html: n.html.slice(0, 300),
      failureSummary: n.failureSummary,
    })),
  }));

  // The first screen, as a reader opening the page sees it (the README shows it). A full-page
  // screenshot of a register with a 1 MB text is hundreds of screens tall and times out.
  await page.screenshot({ path: screenshotPath, fullPage: false });

  // WCAG 1.4.10 Reflow: at phone width the body must not scroll sideways. A wide table in
  // its own overflow-x:auto box is fine; it does not widen the document.
  await page.setViewportSize(PHONE);
  const phone = await page.evaluate(() => {
    const viewport = window.innerWidth;
    const scrollWidth = document.documentElement.scrollWidth;
    const overflowing = [];
    // Name the culprits only when the page does scroll sideways; otherwise the list would
    // also name wide tables that sit, correctly, in their own scrolling box.
    const culprits = scrollWidth > viewport ? document.body.querySelectorAll("*") : [];
    for (const el of culprits) {
      const rect = el.getBoundingClientRect();
      if (rect.right > viewport + 1 && overflowing.length < 10) {
        const id = el.id ? `#${el.id}` : "";
        const cls = el.classList.length ? `.${[...el.classList].join(".")}` : "";
        overflowing.push(`${el.tagName.toLowerCase()}${id}${cls} (right edge ${Math.round(rect.right)}px)`);
      }
    }
    return {
      width: viewport,
      scrollWidth,
      overflowing,
    };
  });
  if (phoneScreenshotPath) await page.screenshot({ path: phoneScreenshotPath, fullPage: false });

  process.stdout.write(
    JSON.stringify({
      url: pageUrl,
      violations,
      requests,
      console_errors: consoleErrors,
      phone,
      axe_version: axeResults.testEngine?.version ?? null,
      browser_version: browser.version(),
    }),
  );
} finally {
  await browser.close();
}
