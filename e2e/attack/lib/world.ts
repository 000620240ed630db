/**
 * The fixtures the attack suite needs, made through the portal's own HTTP flows (sign-in, filing, the clerk's
 * actions, counter payment, the CSV import), once per worker process and shared by the spec files.
 *
 * Subjects and who plays which part (see README.md):
 *  - `justice`: citizen 022090000001 files "Cấp Phiếu Lý lịch tư pháp" (3.000333) online at Sở Tư pháp; clerk
 *    canbo.tuphap receives, processes, asks for the 200,000 đ fee, records it in cash (a receipt), resolves and
 *    returns it (a signed result). Owning clerk canbo.tuphap, other clerk canbo.halong, covering manager
 *    lanhdao.tinh (whole province), non-covering manager lanhdao.halong (phường Hạ Long only). Every actor is
 *    meaningful.
 *  - `honggai`: the same citizen files a birth registration (1.001193) at UBND phường Hồng Gai (the ward of
 *    1 July 2025; the demo applies the reform). Owning clerk canbo.honggai, other clerk canbo.halong (another
 *    ward's clerk), covering manager lanhdao.tinh (whole province), non-covering manager lanhdao.halong (phường
 *    Hạ Long: since the reform, wards are not under one another).
 *  - `draft`: the same citizen's unsubmitted draft of 1.001193 (edit and check pages).
 */
import { expect } from "@playwright/test";
import { one, rows, settleJobs } from "./db.ts";
import { PDF, type Res, redirectPath, Visitor } from "./http.ts";

export const ACTORS = [
  "anonymous",
  "owner",
  "otherCitizen",
  "clerkIn",
  "clerkOut",
  "managerIn",
  "managerOut",
  "admin",
] as const;
export type Actor = (typeof ACTORS)[number];

export const ACCOUNTS = {
  citizenAn: "022090000001",
  citizenBinh: "022195000002",
  clerkHalong: "canbo.halong",
  clerkHonggai: "canbo.honggai",
  clerkTuphap: "canbo.tuphap",
  managerTinh: "lanhdao.tinh",
  managerHalong: "lanhdao.halong",
  admin: "quantri",
} as const;
export type Account = keyof typeof ACCOUNTS | "anonymous";

export type DossierFixture = {
  id: string;
  code: string;
  fileId: string | null;
  applicantName: string;
  applicantNationalId: string;
  /** Which account plays each actor for this dossier (null: no demo account fits; the cell is skipped). */
  cast: Record<Actor, Account | null>;
};

export type World = {
  visitors: Record<Account, Visitor>;
  justice: DossierFixture & { paymentId: string; orderRef: string; verificationCode: string };
  honggai: DossierFixture;
  draft: DossierFixture;
  importId: string;
};

const CAST_JUSTICE: Record<Actor, Account | null> = {
  anonymous: "anonymous",
  owner: "citizenAn",
  otherCitizen: "citizenBinh",
  clerkIn: "clerkTuphap",
  clerkOut: "clerkHalong",
  managerIn: "managerTinh",
  managerOut: "managerHalong",
  admin: "admin",
};

const CAST_HONGGAI: Record<Actor, Account | null> = {
  ...CAST_JUSTICE,
  clerkIn: "clerkHonggai",
  clerkOut: "clerkHalong",
  managerIn: "managerTinh",
  managerOut: "managerHalong",
};

function idFrom(res: Res, pattern: RegExp, what: string): string {
  const m = pattern.exec(redirectPath(res) ?? "");
  if (!m?.[1])
    throw new Error(`${what}: expected a redirect matching ${pattern}, got ${res.status} ${res.location ?? ""}`);
  return m[1];
}

async function version(dossierId: string): Promise<string> {
  return String((await one<{ version: number }>("select version from dossiers where id = $1", [dossierId])).version);
}

/** A clerk's workflow action through the clerk dossier page; fails unless the portal accepts it. */
/** The decision a clerk enters at "Hoàn thành xử lý" (issue 14); register book and page are ignored where not asked. */
export const DECISION: Array<[string, string]> = [
  ["decisionNumber", "15/2026/QĐ"],
  ["registerBook", "01/2026"],
  ["registerPage", "12"],
  ["signerName", "Trần Văn Nam"],
  ["signerTitle", "Phó Chủ tịch"],
  ["decidedOn", "2026-11-20"],
];

export async function clerkAct(clerk: Visitor, dossierId: string, intent: string, extra: Array<[string, string]> = []) {
  const res = await clerk.post(`/clerk/dossiers/${dossierId}`, [
    ["intent", intent],
    ["version", await version(dossierId)],
    ...(intent === "resolve" ? DECISION : []),
    ...extra,
  ]);
  expect(res.status, `${clerk.name} ${intent}: ${res.body.slice(0, 300)}`).toBeGreaterThanOrEqual(300);
  expect(res.status).toBeLessThan(400);
  return res;
}

/** The citizen files an online dossier: form + documents, "continue", then "submit" on the check page. */
export async function fileOnline(
  citizen: Visitor,
  procedureCode: string,
  answers: Array<[string, string]>,
  documents: number,
  submit = true,
): Promise<string> {
  await citizen.page(`/dossiers/new/${procedureCode}`);
  const res = await citizen.postMultipart(`/dossiers/new/${procedureCode}`, [
    ...answers.map(([name, value]) => ({ name, value })),
    ...Array.from({ length: documents }, (_, i) => ({
      name: `document-${i}`,
      file: { name: `tai-lieu-${i}.pdf`, type: "application/pdf", data: PDF },
    })),
    { name: "contact-phone", value: "0912345678" },
    { name: "contact-address", value: "Số 1 đường Trần Hưng Đạo, Hạ Long" },
    { name: "contact-delivery", value: "online" },
    { name: "intent", value: submit ? "continue" : "save" },
  ]);
  const id = idFrom(res, /^\/dossiers\/([0-9a-f-]{36})\/(?:check|edit)/, `file ${procedureCode}`);
  if (submit) {
    expect(redirectPath(res), "complete dossier goes to the check page").toMatch(/\/check$/);
    const done = await citizen.post(`/dossiers/${id}/check`, []);
    expect(redirectPath(done), "submitted").toMatch(new RegExp(`^/dossiers/${id}\\?submitted=1`));
  }
  return id;
}

async function dossierFixture(id: string, cast: Record<Actor, Account | null>): Promise<DossierFixture> {
  const d = await one<{ code: string | null; applicant_name: string; applicant_national_id: string }>(
    "select code, applicant_name, applicant_national_id from dossiers where id = $1",
    [id],
  );
  const files = await rows<{ id: string }>(
    "select id from dossier_attachments where dossier_id = $1 order by created_at limit 1",
    [id],
  );
  return {
    id,
    code: d.code ?? "",
    fileId: files[0]?.id ?? null,
    applicantName: d.applicant_name,
    applicantNationalId: d.applicant_national_id,
    cast,
  };
}

export async function signedInVisitors(): Promise<Record<Account, Visitor>> {
  const v = {} as Record<Account, Visitor>;
  v.anonymous = new Visitor("anonymous", null);
  for (const [key, identifier] of Object.entries(ACCOUNTS)) v[key as Account] = new Visitor(key, identifier);
  for (const visitor of Object.values(v)) await visitor.signIn();
  return v;
}

async function build(): Promise<World> {
  const visitors = await signedInVisitors();
  const an = visitors.citizenAn;
  const tuphap = visitors.clerkTuphap;

  // justice: filed online, received, paid at the counter (receipt), resolved and returned (signed result).
  const jId = await fileOnline(
    an,
    "3.000333",
    [
      ["cardType", "1"],
      ["purpose", "Bổ sung hồ sơ xin việc (attack suite)"],
      ["copies", "1"],
    ],
    2,
  );
  await clerkAct(tuphap, jId, "receive");
  await clerkAct(tuphap, jId, "start_processing");
  await clerkAct(tuphap, jId, "request_payment", [["amountVnd", "200000"]]);
  await clerkAct(tuphap, jId, "counter_payment", [["method", "cash"]]);
  await clerkAct(tuphap, jId, "resolve");
  await clerkAct(tuphap, jId, "return_result");
  const pay = await one<{ id: string; order_ref: string }>(
    "select id, order_ref from payments where dossier_id = $1 and status = 'paid' and receipt_no is not null",
    [jId],
  );
  const result = await one<{ verification_code: string }>(
    "select verification_code from dossier_results where dossier_id = $1",
    [jId],
  );

  // honggai: a birth registration filed online at the commune.
  const hId = await fileOnline(
    an,
    "1.001193",
    [
      ["childFullName", "Nguyễn Minh Khang"],
      ["childBirthDate", "2025-02-01"],
      ["childSex", "male"],
      ["placeOfBirth", "Bệnh viện Sản Nhi Quảng Ninh"],
    ],
    2,
  );

  // draft: saved, never submitted.
  const draftId = await fileOnline(an, "1.001193", [["childFullName", "Bản nháp (attack suite)"]], 0, false);

  // An import run with an error report: one row that cannot be imported.
  const csv = [
    "code,procedure_code,agency_code,channel,submitted_at,received_at,due_at,resolved_at,returned_at,status,fee_vnd,payment_method,paid_at,rating,full_online",
    "ATTACK-NOT-A-CODE,9.999999,000.00.02.H99,online,not-a-date,,,,,received,0,none,,,true",
  ].join("\n");
  await visitors.admin.page("/admin/imports");
  const up = await visitors.admin.postMultipart("/admin/imports", [
    { name: "file", file: { name: "attack-errors.csv", type: "text/csv", data: Buffer.from(csv) } },
  ]);
  const importId = idFrom(up, /queued=([0-9a-f-]{36})/, "import upload");
  await settleJobs(30_000);
  await expect
    .poll(
      async () =>
        (
          await one<{ p: string | null }>("select error_report_path as p from dossier_imports where id = $1", [
            importId,
          ])
        ).p,
      { timeout: 30_000, message: "the import's error report" },
    )
    .not.toBeNull();

  return {
    visitors,
    justice: {
      ...(await dossierFixture(jId, CAST_JUSTICE)),
      paymentId: pay.id,
      orderRef: pay.order_ref,
      verificationCode: result.verification_code,
    },
    honggai: await dossierFixture(hId, CAST_HONGGAI),
    draft: await dossierFixture(draftId, CAST_JUSTICE),
    importId,
  };
}

let world: Promise<World> | undefined;
/** The shared fixtures (built on first use in this worker). */
export function getWorld(): Promise<World> {
  world ??= build().catch((error) => {
    world = undefined;
    throw error;
  });
  return world;
}

/**
 * A dossier of the demo citizen waiting for an online fee, with a pending gateway order started by the citizen
 * ("Pay online" → redirect to the gateway, which is never visited): canbo.halong takes in a household-business
 * registration (1.001612, 100,000 đ) at the counter, processes it and asks for the fee.
 */
export async function pendingOnlinePayment(v: Record<Account, Visitor>): Promise<{
  dossierId: string;
  paymentId: string;
  orderRef: string;
  amountVnd: number;
}> {
  const halong = v.clerkHalong;
  await halong.page("/clerk/intake");
  const res = await halong.post("/clerk/intake", [
    ["procedureCode", "1.001612"],
    ["channel", "counter"],
    ["nationalId", ACCOUNTS.citizenAn],
    ["fullName", "Nguyễn Văn An"],
    ["phone", ""],
  ]);
  const dossierId = idFrom(res, /^\/clerk\/dossiers\/([0-9a-f-]{36})/, "intake");
  await clerkAct(halong, dossierId, "start_processing");
  await clerkAct(halong, dossierId, "request_payment", [["amountVnd", "100000"]]);
  const pay = await v.citizenAn.post(`/dossiers/${dossierId}`, [["intent", "pay"]]);
  expect(pay.status, "pay online redirects to the gateway").toBeGreaterThanOrEqual(300);
  const gateway = new URL(pay.location ?? "", "http://x");
  const orderRef = gateway.searchParams.get("vnp_TxnRef") ?? "";
  const p = await one<{ id: string; amount_vnd: number; status: string }>(
    "select id, amount_vnd, status from payments where order_ref = $1",
    [orderRef],
  );
  expect(p.status).toBe("pending");
  return { dossierId, paymentId: p.id, orderRef, amountVnd: p.amount_vnd };
}
