import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";

const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

/**
 * Fails the test on any WCAG 2.1 A/AA violation on the page as it is now. axe needs JavaScript, so for
 * a page whose context has JavaScript off, the same HTML (minus scripts) is checked in a JS-enabled
 * page at the same origin, with the same stylesheets.
 */
export async function expectNoAxeViolations(page: Page, javaScriptEnabled = true): Promise<void> {
  let target = page;
  let cleanup = async () => {};
  if (!javaScriptEnabled) {
    const browser = page.context().browser();
    if (!browser) throw new Error("no browser for the axe check");
    const html = (await page.content()).replace(/<script\b[\s\S]*?<\/script>/gi, "");
    const context = await browser.newContext({ javaScriptEnabled: true });
    target = await context.newPage();
    await target.goto(new URL("/api/health", page.url()).toString());
    await target.setContent(html, { waitUntil: "load" });
    cleanup = () => context.close();
  }
  try {
    const results = await new AxeBuilder({ page: target }).withTags(TAGS).analyze();
    const summary = results.violations.map(
      (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`,
    );
    expect(summary, `axe violations on ${page.url()}`).toEqual([]);
  } finally {
    await cleanup();
  }
}
