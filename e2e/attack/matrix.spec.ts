/**
 * Authorisation matrix, generated from the build's route manifest: every route × 8 actors × GET/POST, judged
 * against the one policy table in policy.ts. POSTs carry the actor's own valid CSRF token and a harmless body
 * (an unknown `intent`), so what is tested is authorisation, not CSRF. See README.md.
 */
import fs from "node:fs";
import { expect, test } from "@playwright/test";
import { closeDb, diff, fingerprint, settleJobs } from "./lib/db.ts";
import { isLoginRedirect, ORIGIN, type Res, redirectPath, send, stats, urlencoded } from "./lib/http.ts";
import { fillPattern, loadManifest, type ManifestRoute } from "./lib/manifest.ts";
import { signedReturnQuery } from "./lib/vnpay.ts";
import { ACTORS, type Actor, type DossierFixture, getWorld, type World } from "./lib/world.ts";
import { type Cls, POLICY, type PolicyRow } from "./policy.ts";

test.describe.configure({ mode: "serial" });

let manifest: ManifestRoute[] = [];

test.beforeAll(() => {
  stats.reset();
  manifest = loadManifest();
});

test.afterAll(async () => {
  await closeDb();
});

test("every route of the manifest has exactly one policy row, for each method it serves", () => {
  const problems: string[] = [];
  const ids = new Set(manifest.map((r) => r.id));
  for (const r of manifest) {
    const row = POLICY[r.id];
    if (!row) {
      problems.push(`${r.id} (${r.pattern}): no policy row in e2e/attack/policy.ts`);
      continue;
    }
    if (row.layout) {
      if (!r.hasChildren) problems.push(`${r.id}: marked as a layout but has no child routes`);
      if (r.hasAction) problems.push(`${r.id}: a layout with an action needs a real policy row`);
      continue;
    }
    if (r.hasLoader && !row.GET) problems.push(`${r.id} (${r.pattern}): has a loader but no GET policy`);
    if (r.hasAction && !row.POST) problems.push(`${r.id} (${r.pattern}): has an action but no POST policy`);
    for (const name of r.pattern.match(/:(\w+)|\*/g) ?? []) {
      const key = name === "*" ? "*" : name.slice(1);
      const fromSubject = row.subject !== "none" && ["id", "fileId"].includes(key);
      if (!fromSubject && row.params?.[key] === undefined)
        problems.push(`${r.id}: no value for ${name} (policy row params)`);
    }
  }
  for (const id of Object.keys(POLICY)) if (!ids.has(id)) problems.push(`${id}: policy row for a route that is gone`);
  console.log(`[matrix] ${manifest.length} routes in the manifest, ${Object.keys(POLICY).length} policy rows`);
  expect(problems, problems.join("\n")).toEqual([]);
});

type Instance = { label: string; params: Record<string, string>; orderRef?: string; dossier: DossierFixture };

function instances(row: Exclude<PolicyRow, { layout: true }>, w: World): Instance[] {
  const dossier = (label: string, d: DossierFixture): Instance => ({
    label,
    dossier: d,
    params: { id: d.id, ...(d.fileId ? { fileId: d.fileId } : {}) },
  });
  switch (row.subject) {
    case "none":
      return [{ label: "-", params: {}, dossier: w.justice }];
    case "dossier":
      return [dossier("justice", w.justice), dossier("honggai", w.honggai), dossier("draft", w.draft)];
    case "filedDossier":
      return [dossier("justice", w.justice), dossier("honggai", w.honggai)];
    case "returnedDossier":
      return [dossier("justice", w.justice)];
    case "payment":
      return [
        { label: "payment", params: { id: w.justice.paymentId }, orderRef: w.justice.orderRef, dossier: w.justice },
      ];
    case "import":
      return [{ label: "import", params: { id: w.importId }, dossier: w.justice }];
  }
}

/** Identifying data of the subject that a refusal must not show (the owner's own name is in their header). */
function secrets(d: DossierFixture, actor: Actor): string[] {
  return (actor === "owner" ? [d.code] : [d.code, d.applicantName, d.applicantNationalId]).filter((s) => s.length > 0);
}

function judge(
  expected: Cls,
  method: "GET" | "POST",
  res: Res,
  d: DossierFixture,
  actor: Actor,
  followed?: Res,
): string | null {
  const s = res.status;
  if (s >= 500) return `server error ${s}`;
  const redirect = s >= 300 && s < 400;
  const allowed =
    (s >= 200 && s < 300) || (redirect && !isLoginRedirect(res)) || (method === "POST" && [400, 409, 422].includes(s));
  switch (expected) {
    case "allow":
      return allowed ? null : `expected allow, got ${s}${res.location ? ` → ${res.location}` : ""}`;
    case "hide": {
      if (!allowed) return `expected allow (without the subject), got ${s}`;
      const shown = [res.body, followed?.body ?? ""].some((b) => d.code && b.includes(d.code));
      return shown ? `LEAK: page shows dossier ${d.code}` : null;
    }
    case "login":
      return isLoginRedirect(res)
        ? null
        : `expected a redirect to sign-in, got ${s}${res.location ? ` → ${res.location}` : ""}`;
    case "deny": {
      if (s !== 403 && s !== 404) return `expected 403/404, got ${s}${res.location ? ` → ${res.location}` : ""}`;
      const leaked = secrets(d, actor).filter((x) => res.body.includes(x));
      return leaked.length > 0 ? `LEAK: refusal shows ${leaked.join(", ")}` : null;
    }
    case "none":
      return s === 404 || s === 405 ? null : `expected 404/405 (no such method), got ${s}`;
  }
}

test("authorisation matrix: every route × 8 actors × GET/POST matches the policy", async () => {
  const testInfo = test.info();
  test.setTimeout(240_000);
  const w = await getWorld();
  await settleJobs();
  const failures: string[] = [];
  const tally = new Map<string, number>();
  const cells: Array<Record<string, string | number>> = [];
  let skipped = 0;
  const count = (k: string) => tally.set(k, (tally.get(k) ?? 0) + 1);

  const routes = manifest.filter((r) => {
    const row = POLICY[r.id];
    return row && !row.layout;
  });
  for (const method of ["GET", "POST"] as const) {
    for (const r of routes) {
      const row = POLICY[r.id] as Exclude<PolicyRow, { layout: true }>;
      const expected = row[method];
      if (!expected) continue;
      for (const inst of instances(row, w)) {
        if (/:fileId/.test(r.pattern) && !inst.params.fileId) continue;
        const path =
          fillPattern(r.pattern, { ...row.params, ...inst.params }) +
          (row.query
            ? `?${row.query
                .replace("{signedReturn}", signedReturnQuery(inst.orderRef ?? ""))
                .replace("{orderRef}", encodeURIComponent(inst.orderRef ?? ""))}`
            : "");
        for (const actor of ACTORS) {
          const account = inst.dossier.cast[actor as Actor];
          if (!account) {
            skipped++;
            continue;
          }
          const visitor = w.visitors[account];
          const want = expected[actor];
          let res: Res;
          let changed: string[] = [];
          let followed: Res | undefined;
          if (method === "GET") {
            res = await visitor.get(path);
            const to = redirectPath(res);
            if (want === "hide" && to?.startsWith("/") && !isLoginRedirect(res)) followed = await visitor.get(to);
          } else {
            const before = await fingerprint();
            res = await send({
              method: "POST",
              path,
              jar: visitor.jar,
              body: urlencoded([
                ["csrf", await visitor.csrf()],
                ["intent", "attack-matrix-probe"],
              ]),
              headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: ORIGIN },
            });
            const refused = res.status >= 400 || want === "deny" || want === "login" || want === "none";
            if (refused) changed = diff(before, await fingerprint());
            if (row.signsOut && res.status < 400) {
              visitor.forgetCsrf();
              await visitor.signIn();
            }
          }
          const problem =
            judge(want, method, res, inst.dossier, actor, followed) ??
            (changed.length > 0 ? `refused POST changed ${changed.join(", ")}` : null);
          count(`${want}:${problem ? "FAIL" : "ok"}`);
          const line = `${method} ${path} [${inst.label}] ${actor} (${account}): ${problem ?? "ok"}`;
          cells.push({
            method,
            route: r.id,
            path,
            subject: inst.label,
            actor,
            account,
            expected: want,
            status: res.status,
            problem: problem ?? "",
          });
          if (problem) failures.push(line);
        }
      }
    }
  }

  const summary = [
    `[matrix] ${cells.length} cells tried (${skipped} skipped: no demo account fits), ${stats.requests} requests, ${stats.serverErrors.length} responses ≥ 500`,
    `[matrix] by expected class: ${[...tally].map(([k, n]) => `${k}=${n}`).join(" ")}`,
  ].join("\n");
  console.log(summary);
  if (failures.length > 0)
    console.log(`[matrix] ${failures.length} cells do not match the policy:\n  ${failures.join("\n  ")}`);
  fs.writeFileSync(testInfo.outputPath("matrix.json"), JSON.stringify(cells, null, 1));
  expect(stats.serverErrors, "responses ≥ 500").toEqual([]);
  expect(failures, failures.join("\n")).toEqual([]);
});
