/**
 * Hostile-input property tests (fast-check): every POST form of the portal, as an actor allowed to post it,
 * and every open-data API parameter (public/openapi.json), plus the IPN and the public GET pages' parameters.
 * Properties: no answer ≥ 500; and a refused request (status ≥ 400; for the IPN, any RspCode but 00) changes
 * nothing in the domain tables. Runs per form/endpoint: ATTACK_RUNS (default 40); seed: ATTACK_SEED.
 *
 * The fuzz works on fixtures of its own (a freshly registered citizen, dossiers at Sở Tư pháp handled by
 * canbo.tuphap, the calendar of 2099), and puts back through the portal's own forms any target or calendar
 * day it managed to change, so the other e2e specs that share the database are not disturbed.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import { expect, test } from "@playwright/test";
import fc from "fast-check";
import { closeDb, diff, fingerprint, rows, settleJobs } from "./lib/db.ts";
import { postForms } from "./lib/forms.ts";
import {
  bodyMode,
  encodeBody,
  encodeQuery,
  type HPair,
  type HValue,
  hostilePairs,
  hostileValue,
  pct,
} from "./lib/hostile.ts";
import { ORIGIN, type Res, send, stats, Visitor } from "./lib/http.ts";
import { loadManifest } from "./lib/manifest.ts";
import { ACTORS, clerkAct, fileOnline, getWorld } from "./lib/world.ts";
import { POLICY } from "./policy.ts";

const RUNS = Math.max(1, Number(process.env.ATTACK_RUNS ?? 40));
const SEED = Number(process.env.ATTACK_SEED ?? Date.now() % 2 ** 31);
/** Longer request lines only exercise Node's own parser (431, connection closed), not the portal. */
const MAX_URL = 8000;

type Failure = { where: string; status: number | string; sent: string };
const failures: Failure[] = [];
let propertyRuns = 0;
let refusedChecked = 0;

function describeSent(pairs: Array<[string, HValue]>, mode = ""): string {
  const show = (v: HValue) =>
    v.t === "text"
      ? JSON.stringify(v.v.length > 60 ? `${v.v.slice(0, 60)}…(${v.v.length})` : v.v)
      : v.t === "bytes"
        ? `<bytes ${v.v.length}>`
        : `<file ${JSON.stringify(v.name.slice(0, 30))} ${v.type} ${v.data.length}B>`;
  return `${mode ? `[${mode}] ` : ""}${pairs.map(([k, v]) => `${JSON.stringify(k.slice(0, 30))}=${show(v)}`).join(" ")}`.slice(
    0,
    600,
  );
}

/** One request under the two properties; records failures instead of throwing, so every target is tried. */
async function check(
  where: string,
  sent: string,
  act: () => Promise<Res>,
  refusedOf: (r: Res) => boolean = (r) => r.status >= 400,
) {
  propertyRuns++;
  const before = await fingerprint();
  let res: Res;
  try {
    res = await act();
  } catch (error) {
    failures.push({ where, status: `network error: ${(error as Error).message}`, sent });
    return;
  }
  if (res.status >= 500) {
    failures.push({ where, status: res.status, sent });
    return;
  }
  if (refusedOf(res)) {
    refusedChecked++;
    const changed = diff(before, await fingerprint());
    if (changed.length > 0)
      failures.push({ where, status: `${res.status}, refused but changed ${changed.join(", ")}`, sent });
  } else {
    // Accepted: let any background work it started finish before the next "before" snapshot.
    await settleJobs();
  }
}

function freshNationalId(): string {
  const serial = `${Date.now()}${crypto.randomInt(1000)}`.slice(-6);
  return `0221${String(crypto.randomInt(10, 100))}${serial}`;
}

/**
 * A page whose POST forms are fuzzed, as `visitor`. `fresh`: a new anonymous visitor per run (sign-in and
 * registration change who the visitor is). `values`: extra valid values per field, to get past the first check.
 */
type Target = { visitor: Visitor; page: string; runs?: number; fresh?: true; values?: Record<string, string[]> };

let targets: Target[] = [];
let admin: Visitor;
let manager: Visitor;
let targetsBefore: Array<{ agency_code: string; indicator: string; target_bp: number }> = [];
let calendarBefore = new Set<string>();

test.beforeAll(async () => {
  test.setTimeout(180_000);
  stats.reset();
  const w = await getWorld();
  const tuphap = w.visitors.clerkTuphap;
  admin = w.visitors.admin;
  manager = w.visitors.managerTinh;

  // A citizen of the fuzz's own, registered through the form.
  const citizen = new Visitor("fuzz-citizen", null);
  await citizen.page("/auth/register");
  const nationalId = freshNationalId();
  const reg = await citizen.post("/auth/register", [
    ["nationalId", nationalId],
    ["fullName", "Người Thử Tấn Công"],
    ["email", ""],
    ["password", "Attack2026suite"],
    ["confirmPassword", "Attack2026suite"],
  ]);
  expect(reg.status, `register: ${reg.body.slice(0, 200)}`).toBe(302);
  citizen.forgetCsrf();
  await citizen.page("/");

  const free = (purpose: string): Array<[string, string]> => [
    ["requestingOrganisation", "Công an tỉnh"],
    ["subjectFullName", "Người Thử Tấn Công"],
    ["purpose", purpose],
  ];
  const supp = await fileOnline(citizen, "3.000334", free("bổ sung"), 1);
  await clerkAct(tuphap, supp, "receive");
  await clerkAct(tuphap, supp, "start_processing");
  await clerkAct(tuphap, supp, "request_supplement", [["missingDocuments", "Bản sao giấy tờ tùy thân"]]);
  const done = await fileOnline(citizen, "3.000334", free("đánh giá"), 1);
  for (const a of ["receive", "start_processing", "resolve", "return_result"]) await clerkAct(tuphap, done, a);
  const received = await fileOnline(citizen, "3.000334", free("tiếp nhận"), 1);
  await clerkAct(tuphap, received, "receive");
  const processing = await fileOnline(citizen, "3.000334", free("xử lý"), 1);
  await clerkAct(tuphap, processing, "receive");
  await clerkAct(tuphap, processing, "start_processing");
  await tuphap.page("/clerk/intake");
  const intake = await tuphap.post("/clerk/intake", [
    ["procedureCode", "3.000333"],
    ["channel", "counter"],
    ["nationalId", nationalId],
    ["fullName", "Người Thử Tấn Công"],
  ]);
  const payId = /\/clerk\/dossiers\/([0-9a-f-]{36})/.exec(intake.location ?? "")?.[1] ?? "";
  expect(payId, "intake").not.toBe("");
  await clerkAct(tuphap, payId, "start_processing");
  await clerkAct(tuphap, payId, "request_payment", [["amountVnd", "200000"]]);
  const draft = await fileOnline(citizen, "3.000334", [["purpose", "nháp"]], 0, false);

  targets = [
    {
      visitor: new Visitor("fuzz-anonymous", null),
      page: "/auth/login",
      fresh: true,
      values: { identifier: ["022195000002", "canbo.tuphap"], password: ["DemoPortal2026"] },
    },
    {
      visitor: new Visitor("fuzz-anonymous", null),
      page: "/auth/register",
      fresh: true,
      values: { password: ["Attack2026suite"], confirmPassword: ["Attack2026suite"], fullName: ["Người Thử"] },
    },
    { visitor: new Visitor("fuzz-anonymous", null), page: "/lookup", fresh: true },
    { visitor: new Visitor("fuzz-anonymous", null), page: "/" },
    { visitor: citizen, page: "/dossiers/new/3.000334" },
    { visitor: citizen, page: `/dossiers/${draft}/edit` },
    { visitor: citizen, page: `/dossiers/${draft}/check` },
    { visitor: citizen, page: `/dossiers/${supp}` },
    { visitor: citizen, page: `/dossiers/${payId}` },
    { visitor: citizen, page: `/dossiers/${done}` },
    { visitor: tuphap, page: "/clerk/intake" },
    { visitor: tuphap, page: `/clerk/dossiers/${received}` },
    { visitor: tuphap, page: `/clerk/dossiers/${processing}` },
    { visitor: manager, page: "/manager/targets" },
    { visitor: admin, page: "/admin/calendar?year=2099" },
    { visitor: admin, page: "/admin/imports", runs: Math.max(1, Math.ceil(RUNS / 3)) },
    { visitor: admin, page: "/finance" },
    { visitor: admin, page: "/finance/settlement" },
  ];
  targetsBefore = await rows("select agency_code, indicator, target_bp from metric_targets");
  calendarBefore = new Set((await rows<{ d: string }>("select date::text as d from calendar_days")).map((r) => r.d));
  await settleJobs();
});

test.afterAll(async () => {
  console.log(`[hostile] ${stats.requests} requests in all, ${stats.serverErrors.length} responses ≥ 500`);
  // Put back what accepted fuzz posts changed, through the portal's own forms.
  const now = await rows<{ agency_code: string; indicator: string; target_bp: number }>(
    "select agency_code, indicator, target_bp from metric_targets",
  );
  const key = (r: { agency_code: string; indicator: string }) => `${r.agency_code}|${r.indicator}`;
  const was = new Map(targetsBefore.map((r) => [key(r), r]));
  for (const r of now) {
    const old = was.get(key(r));
    if (old && old.target_bp === r.target_bp) continue;
    await manager.page(`/manager/targets?agency=${encodeURIComponent(r.agency_code)}`);
    await manager.post(
      "/manager/targets",
      old
        ? [
            ["intent", "set"],
            ["agency", r.agency_code],
            ["indicator", r.indicator],
            ["target", String(old.target_bp / 100)],
          ]
        : [
            ["intent", "remove"],
            ["agency", r.agency_code],
            ["indicator", r.indicator],
          ],
    );
  }
  for (const d of await rows<{ d: string }>("select date::text as d from calendar_days")) {
    if (!calendarBefore.has(d.d))
      await admin.post("/admin/calendar", [
        ["intent", "remove"],
        ["date", d.d],
      ]);
  }
  await closeDb();
});

test("hostile values in every field of every POST form: no 5xx, and a refusal changes nothing", async () => {
  const testInfo = test.info();
  test.setTimeout(300_000);
  const seen = new Set<string>();
  const list: string[] = [];
  for (const t of targets) {
    const page = await t.visitor.page(t.page);
    expect(page.status, `${t.visitor.name} GET ${t.page}`).toBeLessThan(400);
    for (const form of postForms(page.body, t.page.split("?")[0] ?? t.page)) {
      if (form.action.startsWith("/auth/logout")) continue;
      const names = form.fields
        .map((f) => f.name)
        .filter((n) => n !== "csrf")
        .sort();
      const id = `${form.action.replace(/\?.*$/, "")}|${names.join(",")}|${form.fields.find((f) => f.name === "intent")?.values.join("/") ?? ""}`;
      if (seen.has(id)) continue;
      seen.add(id);
      const fields = form.fields
        .filter((f) => f.name !== "csrf")
        .map((f) => ({ name: f.name, file: f.kind === "file", values: [...f.values, ...(t.values?.[f.name] ?? [])] }));
      const intents = form.fields.find((f) => f.name === "intent")?.values.join("/") ?? "";
      const where = `${t.visitor.name} POST ${form.action}${intents ? ` intent=${intents}` : ""} {${names.join(", ")}}`;
      list.push(where);
      await fc.assert(
        fc.asyncProperty(hostilePairs(fields), bodyMode, async (pairs: HPair[], mode) => {
          const visitor = t.fresh ? new Visitor("fuzz-anonymous", null) : t.visitor;
          if (t.fresh) await visitor.page(t.page);
          const token = await visitor.csrf();
          const { body, contentType } = encodeBody(pairs, token, form.multipart, mode);
          await check(where, describeSent(pairs, mode), () =>
            send({
              method: "POST",
              path: form.action,
              jar: visitor.jar,
              body,
              headers: { "Content-Type": contentType, Origin: ORIGIN },
            }),
          );
          return true;
        }),
        { numRuns: t.runs ?? RUNS, seed: SEED, endOnFailure: true },
      );
    }
  }
  console.log(`[hostile] forms fuzzed:\n  ${list.join("\n  ")}`);
  report(testInfo, `forms: ${list.length}`);
});

/** The open-data API as documented, plus the IPN and the public pages that take query parameters. */
test("hostile values in every API and page query parameter: no 5xx, and a refusal changes nothing", async () => {
  const testInfo = test.info();
  test.setTimeout(300_000);
  const spec = JSON.parse(fs.readFileSync("public/openapi.json", "utf8")) as {
    paths: Record<
      string,
      Record<string, { parameters?: Array<{ name: string; in?: string; schema?: { enum?: string[] } }> }>
    >;
  };
  type Endpoint = { path: string; params: Array<{ name: string; values: string[] }> };
  const endpoints: Endpoint[] = [];
  for (const [path, ops] of Object.entries(spec.paths)) {
    const get = ops.get;
    if (!get) continue;
    const params = (get.parameters ?? [])
      .filter((p) => (p.in ?? "query") === "query")
      .map((p) => ({ name: p.name, values: p.schema?.enum ?? [] }));
    endpoints.push({ path, params });
  }
  expect(endpoints.length, "GET operations in public/openapi.json").toBeGreaterThan(0);
  const examples: Record<string, string[]> = {
    from: ["2026-01-01", "2025-12-31"],
    to: ["2026-12-31", "2026-01-31"],
    received: ["2026-03-10T10:00:00+07:00", "2026-12-31T23:59:59Z"],
    amount: ["0", "3", "10000"],
    agency: ["000.00.02.H99", "000.00.31.H99"],
    page: ["1", "2"],
    pageSize: ["1", "100"],
    q: ["ho tich", "khai sinh"],
    field: ["tu-phap"],
    code: ["ABCDEFGHJK", "000.00.02.H99-261126-0001"],
    nationalId: ["022090000001"],
  };
  const pages: Endpoint[] = [
    {
      path: "/procedures",
      params: ["q", "field", "level", "agency", "online", "page", "pageSize"].map((name) => ({ name, values: [] })),
    },
    { path: "/verify", params: [{ name: "code", values: [] }] },
    {
      path: "/lookup",
      params: [
        { name: "code", values: [] },
        { name: "nationalId", values: [] },
      ],
    },
  ];
  const queryArb = (ep: Endpoint) =>
    hostilePairs(
      ep.params.map((p) => ({ name: p.name, file: false, values: [...p.values, ...(examples[p.name] ?? [])] })),
    ).map((pairs) => pairs.filter(([, v]) => v.t !== "file"));
  for (const ep of [...endpoints, ...pages]) {
    await fc.assert(
      fc.asyncProperty(queryArb(ep), async (pairs) => {
        const query = encodeQuery(pairs);
        const path = `${ep.path}?${query}`.slice(0, MAX_URL);
        await check(`GET ${ep.path}`, describeSent(pairs), () => send({ path }));
        return true;
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
  }

  // The IPN: hostile values in every vnp_* field, unsigned, badly signed, or signed with the demo gateway secret
  // (so the checks after the signature run too). A refusal is any RspCode but 00.
  const secret = process.env.GATEWAY_SECRET ?? "demo-secret-change-me";
  const vnpFields = [
    "vnp_Amount",
    "vnp_BankCode",
    "vnp_CardType",
    "vnp_CurrCode",
    "vnp_OrderInfo",
    "vnp_PayDate",
    "vnp_ResponseCode",
    "vnp_TmnCode",
    "vnp_TransactionNo",
    "vnp_TransactionStatus",
    "vnp_TxnRef",
  ];
  const pending = await rows<{ order_ref: string; amount_vnd: number }>(
    "select order_ref, amount_vnd from payments where status = 'pending' limit 3",
  );
  const values: Record<string, string[]> = {
    vnp_Amount: ["10000000", "20000000", ...pending.map((p) => String(p.amount_vnd * 100))],
    vnp_TxnRef: pending.map((p) => p.order_ref),
    vnp_ResponseCode: ["00", "24"],
    vnp_TransactionStatus: ["00", "02"],
    vnp_TmnCode: ["DEMO0001"],
    vnp_CurrCode: ["VND"],
  };
  const sign = (pairs: HPair[]) => {
    const enc = (s: string) => encodeURIComponent(s).replace(/%20/g, "+");
    const p: Record<string, string> = {};
    for (const [k, v] of pairs) if (v.t === "text" && !(k in p)) p[k] = Buffer.from(v.v, "utf8").toString("utf8");
    const data = Object.keys(p)
      .filter((k) => k.startsWith("vnp_") && k !== "vnp_SecureHash" && k !== "vnp_SecureHashType")
      .sort()
      .map((k) => `${enc(k)}=${enc(p[k] ?? "")}`)
      .join("&");
    return crypto.createHmac("sha512", secret).update(data, "utf8").digest("hex");
  };
  const ipnArb = fc.tuple(
    hostilePairs(vnpFields.map((name) => ({ name, file: false, values: values[name] ?? [] }))).map((pairs) =>
      pairs.filter(([, v]) => v.t !== "file"),
    ),
    fc.constantFrom("signed", "none", "random", "hostile"),
    hostileValue,
  );
  await fc.assert(
    fc.asyncProperty(ipnArb, async ([pairs, how, bad]) => {
      const hash: HValue | null =
        how === "signed"
          ? { t: "text", v: sign(pairs) }
          : how === "random"
            ? { t: "text", v: crypto.randomBytes(64).toString("hex") }
            : how === "hostile"
              ? bad
              : null;
      const all: HPair[] = hash ? [...pairs, ["vnp_SecureHash", hash]] : pairs;
      const path = `/api/payments/ipn?${encodeQuery(all)}`.slice(0, MAX_URL);
      await check(
        `GET /api/payments/ipn (${how})`,
        describeSent(all),
        () => send({ path }),
        (r) => {
          try {
            return (JSON.parse(r.body) as { RspCode?: string }).RspCode !== "00";
          } catch {
            return true;
          }
        },
      );
      return true;
    }),
    { numRuns: RUNS * 2, seed: SEED, endOnFailure: true },
  );
  report(testInfo, `endpoints: ${endpoints.length} API + ${pages.length} pages + IPN`);
});

test("hostile values in every route parameter: no 5xx, and a refusal changes nothing", async () => {
  const testInfo = test.info();
  test.setTimeout(300_000);
  const w = await getWorld();
  const real: Record<string, Record<string, string>> = {
    dossier: { id: w.justice.id, fileId: w.justice.fileId ?? "" },
    payment: { id: w.justice.paymentId },
    import: { id: w.importId },
    none: {},
  };
  const list: string[] = [];
  for (const r of loadManifest()) {
    const row = POLICY[r.id];
    const names = (r.pattern.match(/:(\w+)|\*/g) ?? []).map((n) => (n === "*" ? "*" : n.slice(1)));
    if (!row || row.layout || names.length === 0) continue;
    const base = {
      ...(row.subject === "payment"
        ? real.payment
        : row.subject === "import"
          ? real.import
          : row.subject === "none"
            ? real.none
            : real.dossier),
      ...row.params,
    };
    for (const method of ["GET", "POST"] as const) {
      const cells = row[method];
      const actor = cells && ACTORS.find((a) => cells[a] === "allow");
      if (!actor) continue;
      const account = w.justice.cast[actor];
      if (!account) continue;
      const visitor = w.visitors[account];
      const where = `${account} ${method} ${r.pattern}`;
      list.push(where);
      const arb = fc
        .tuple(
          ...names.map((n) =>
            fc
              .option(fc.oneof({ weight: 3, arbitrary: hostileValue }, { weight: 1, arbitrary: uuidShaped }), {
                nil: undefined,
                freq: 3,
              })
              .map((v) => [n, v] as const),
          ),
        )
        .filter((pairs) => pairs.some(([, v]) => v !== undefined));
      await fc.assert(
        fc.asyncProperty(arb, async (pairs) => {
          let path = r.pattern;
          for (const [n, v] of pairs) {
            const value =
              v === undefined
                ? encodeURIComponent(base[n] ?? "")
                : pct(v.t === "file" ? v.data : v.t === "bytes" ? v.v : Buffer.from(v.v, "utf8")).slice(0, 3000);
            path = path.replace(n === "*" ? "*" : `:${n}`, value || "%20");
          }
          const sent = describeSent(pairs.filter(([, v]) => v !== undefined) as Array<[string, HValue]>);
          await check(where, `${path.slice(0, 200)} ${sent}`, () =>
            method === "GET" ? visitor.get(path) : visitor.post(path, [["intent", "attack-route-param"]]),
          );
          return true;
        }),
        { numRuns: Math.max(1, Math.ceil(RUNS / 2)), seed: SEED, endOnFailure: true },
      );
    }
  }
  console.log(`[hostile] route parameters fuzzed:\n  ${list.join("\n  ")}`);
  report(testInfo, `routes: ${list.length}`);
});

/** Strings that pass a loose `[0-9a-f-]{36}` check without being UUIDs (and real, unknown UUIDs). */
const uuidShaped: fc.Arbitrary<HValue> = fc
  .oneof(fc.string({ unit: fc.constantFrom(..."0123456789abcdef-"), minLength: 36, maxLength: 36 }), fc.uuid())
  .map((v) => ({ t: "text" as const, v }));

let reported = { runs: 0, refused: 0, requests: 0 };
function report(testInfo: { title: string }, what: string) {
  const lines = failures.map((f) => `${f.where} → ${f.status}\n      sent: ${f.sent}`);
  console.log(
    `[hostile] ${testInfo.title.slice(0, 48)}…: ${what}; ${propertyRuns - reported.runs} runs, ${refusedChecked - reported.refused} refusals checked unchanged, ${stats.requests - reported.requests} requests; ${lines.length} failures (ATTACK_RUNS=${RUNS}, ATTACK_SEED=${SEED})`,
  );
  reported = { runs: propertyRuns, refused: refusedChecked, requests: stats.requests };
  failures.splice(0);
  if (lines.length > 0) console.log(`[hostile]   ${lines.slice(0, 60).join("\n  ")}`);
  expect(lines, lines.slice(0, 60).join("\n")).toEqual([]);
}
