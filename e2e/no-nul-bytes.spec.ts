/**
 * No answer of the portal contains a NUL byte (issue 11). React 18.3's Node stream renderer wrote zero bytes
 * into pages whose multi-byte text (most Vietnamese letters) straddled its 2 KB buffer: the footer read
 * "Cổng Dịch vụ c\0ông". The entry renders without that code path (app/entry.server.tsx); this sweep proves
 * it for every GET route of the build's route manifest, with the parameters and subjects the attack suite's
 * policy gives them, as each of its 8 actors, in both languages, plus some larger pages (a search, a later
 * page of the catalogue, the 404 page). Every text answer is checked: pages, refusals and error pages, JSON, CSV.
 */

import { expect, test } from "@playwright/test";
import { createCookie } from "@remix-run/node";
import { closeDb } from "./attack/lib/db.ts";
import type { Res } from "./attack/lib/http.ts";
import { fillPattern, loadManifest } from "./attack/lib/manifest.ts";
import { signedReturnQuery } from "./attack/lib/vnpay.ts";
import { ACTORS, type DossierFixture, getWorld, type World } from "./attack/lib/world.ts";
import { POLICY, type PolicyRow } from "./attack/policy.ts";

const EXTRA_PATHS = [
  "/procedures?q=cap+giay+phep+xay+dung",
  "/procedures?q=dang+ky&page=2",
  "/procedures?page=3",
  "/procedures/1.001193",
  "/accessibility",
  encodeURI("/không-có-trang-này"),
];

test.afterAll(async () => {
  await closeDb();
});

type Row = Exclude<PolicyRow, { layout: true }>;

/** The subjects a route's params are filled from (the same ones the authorisation matrix uses). */
function subjects(row: Row, w: World): Array<{ params: Record<string, string>; orderRef?: string; d: DossierFixture }> {
  const of = (d: DossierFixture) => ({ params: { id: d.id, ...(d.fileId ? { fileId: d.fileId } : {}) }, d });
  switch (row.subject) {
    case "none":
      return [{ params: {}, d: w.justice }];
    case "dossier":
      return [of(w.justice), of(w.honggai), of(w.draft)];
    case "filedDossier":
      return [of(w.justice), of(w.honggai)];
    case "returnedDossier":
      return [of(w.justice)];
    case "payment":
      return [{ params: { id: w.justice.paymentId }, orderRef: w.justice.orderRef, d: w.justice }];
    case "import":
      return [{ params: { id: w.importId }, d: w.justice }];
  }
}

function isText(res: Res): boolean {
  const type = String(res.headers["content-type"] ?? "");
  return type === "" || /^(text\/|application\/(json|problem\+json|xml))/.test(type);
}

test("no page or text answer contains a NUL byte, for any route, actor or language", async () => {
  test.setTimeout(300_000);
  const w = await getWorld();
  const english = (await createCookie("portal_lng").serialize("en")).split(";")[0] ?? "";
  const paths = new Set<string>(EXTRA_PATHS);
  for (const r of loadManifest()) {
    const row = POLICY[r.id];
    if (!r.hasLoader || !row || row.layout) continue;
    for (const s of subjects(row, w)) {
      if (/:fileId/.test(r.pattern) && !s.params.fileId) continue;
      const query = row.query
        ?.replace("{signedReturn}", signedReturnQuery(s.orderRef ?? ""))
        .replace("{orderRef}", encodeURIComponent(s.orderRef ?? ""));
      paths.add(fillPattern(r.pattern, { ...row.params, ...s.params }) + (query ? `?${query}` : ""));
    }
  }
  const accounts = [...new Set(ACTORS.flatMap((actor) => [w.justice.cast[actor], w.honggai.cast[actor]]))].filter(
    (a) => a !== null,
  );

  const failures: string[] = [];
  let checked = 0;
  for (const account of accounts) {
    const visitor = w.visitors[account];
    for (const path of paths) {
      for (const lng of ["vi", "en"] as const) {
        const own = visitor.jar.header();
        const cookie = lng === "en" ? [own, english].filter(Boolean).join("; ") : own;
        const res = await visitor.get(path, cookie ? { Cookie: cookie } : {});
        if (!isText(res)) continue;
        checked++;
        const at = res.body.indexOf("\u0000");
        if (at >= 0) {
          const around = JSON.stringify(res.body.slice(Math.max(0, at - 40), at + 20));
          failures.push(`${path} as ${account} (${lng}): ${res.status}, NUL at character ${at}: ${around}`);
        }
      }
    }
  }
  console.log(
    `[nul] ${checked} text answers checked (${paths.size} paths × ${accounts.length} accounts × 2 languages)`,
  );
  expect(checked).toBeGreaterThan(500);
  expect(failures, failures.join("\n")).toEqual([]);
});
