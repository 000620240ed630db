import type { Page } from "@playwright/test";
import { DEMO, expect, signIn, test } from "./fixtures.ts";

const BUDGET_BYTES = 100 * 1024;

/** Bytes on the wire (headers + compressed bodies) for a first load of the page with an empty cache. */
async function firstLoadBytes(page: Page, path: string): Promise<number> {
  const responses: Promise<number>[] = [];
  const onResponse = (response: import("@playwright/test").Response) => {
    responses.push(
      response
        .request()
        .sizes()
        .then((s) => s.responseBodySize + s.responseHeadersSize),
    );
  };
  page.on("response", onResponse);
  await page.goto(path, { waitUntil: "networkidle" });
  page.off("response", onResponse);
  return (await Promise.all(responses)).reduce((a, b) => a + b, 0);
}

test("every citizen page transfers at most 100 KB on first load", async ({ browser }) => {
  const signedIn = await browser.newContext();
  await signIn(await signedIn.newPage(), DEMO.citizen);
  const citizenState = await signedIn.storageState();
  await signedIn.close();

  const pages: Array<[string, boolean]> = [
    ["/", false],
    ["/procedures", false],
    ["/procedures?q=dang+ky", false],
    ["/procedures/1.001193", false],
    ["/auth/login", false],
    ["/auth/register", false],
    ["/lookup", false],
    ["/dossiers", true],
    ["/account", true],
    ["/dossiers/new/1.001193", true],
  ];
  const sizes: Record<string, number> = {};
  for (const [path, asCitizen] of pages) {
    // A new context per page: empty cache, so every asset counts.
    const context = await browser.newContext(asCitizen ? { storageState: citizenState } : {});
    sizes[path] = await firstLoadBytes(await context.newPage(), path);
    await context.close();
  }
  console.log("first-load bytes:", sizes);
  for (const [path, bytes] of Object.entries(sizes)) {
    expect(bytes, path).toBeGreaterThan(1000);
    expect(bytes, path).toBeLessThanOrEqual(BUDGET_BYTES);
  }
});
