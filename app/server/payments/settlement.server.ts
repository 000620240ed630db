/**
 * Daily settlement (đối soát, issue 16 point 3, ADR 012). Every morning a job fetches yesterday's
 * settlement file from the gateway (signed request, signed answer), stores it, and compares it with the
 * portal's books for that Vietnam day: gateway payments captured and refunds made. What differs is recorded
 * as a mismatch for the finance view and its CSV; a finance officer resolves each one with a note (audited).
 *
 * Idempotent per day: importing a day again replaces its lines and its unresolved mismatches; a resolved
 * mismatch stays resolved, and the same finding is not reopened.
 */
import crypto from "node:crypto";
import type { Task } from "graphile-worker";
import type { Kysely, Transaction } from "kysely";
import type { FinanceScope } from "../../domain/access/duties.ts";
import { isReportingDate } from "../../domain/calendar/iso-date.ts";
import { toVnDateString, vnDateTime } from "../../domain/calendar/working-calendar.ts";
import { formatVnpDate, parseVnpDate, signingString, type VnpParams } from "../../domain/payment/vnpay.ts";
import {
  CAPTURED_STATUSES,
  compareSettlement,
  lineKey,
  MAX_NOTE_LENGTH,
  type Mismatch,
  type MismatchKind,
  mismatchKey,
  type PortalPayment,
} from "../../domain/settlement/compare.ts";
import {
  compactDate,
  parseSettlementFile,
  SETTLEMENT_SIGNATURE_HEADER,
  type SettlementLine,
  settlementSigningString,
} from "../../domain/settlement/settlement-file.ts";
import { recordAudit } from "../audit.server.ts";
import type { Database } from "../db.server.ts";
import { gatewayConfig } from "../env.server.ts";

/** The job's name in the queue. */
export const SETTLEMENT_TASK = "import_settlement";
/**
 * Crontab line (graphile-worker, UTC): 01:30 UTC is 08:30 in Vietnam, when yesterday's file is complete.
 * `fill=3d` catches up days missed while the portal was down; `max=5` retries an unreachable gateway.
 */
export const SETTLEMENT_CRON = `30 1 * * * ${SETTLEMENT_TASK} ?fill=3d&max=5`;

/** A settlement file larger than this is refused (a province's busiest day is a few hundred KB). */
const MAX_FILE_BYTES = 20 * 1024 * 1024;
const FETCH_TIMEOUT_MS = 15_000;

export type GatewayAccess = { url: string; tmnCode: string; secret: string };

export type ImportProblem = "date" | "unreachable" | "refused" | "signature" | "malformed";

export type ImportResult =
  | { ok: true; runId: string; date: string; lines: number; mismatches: number; open: number }
  | { ok: false; date: string; problem: ImportProblem; detail: string };

export class SettlementError extends Error {
  override name = "SettlementError";
  /** An i18n key (finance namespace). */
  constructor(readonly code: string) {
    super(code);
  }
}

function hmacHex(secret: string, data: string): string {
  return crypto.createHmac("sha512", secret).update(data, "utf8").digest("hex");
}

function signatureValid(given: string | null, expected: string): boolean {
  if (!given || !/^[0-9a-fA-F]{128}$/.test(given)) return false;
  return crypto.timingSafeEqual(Buffer.from(given.toLowerCase(), "ascii"), Buffer.from(expected, "ascii"));
}

/** The Vietnam day before `now`'s, as YYYY-MM-DD. */
export function yesterdayInVietnam(now: Date): string {
  return toVnDateString(new Date(now.getTime() - 24 * 60 * 60 * 1000));
}

/** Days that can be settled: a real date, not after today in Vietnam. */
export function settlementDateProblem(date: string, now: Date): string | null {
  if (!isReportingDate(date)) return "finance:settlement.problems.date";
  if (date > toVnDateString(now)) return "finance:settlement.problems.future";
  return null;
}

type Fetched = { ok: true; body: string; signature: string } | { ok: false; problem: ImportProblem; detail: string };

async function fetchSettlementFile(gateway: GatewayAccess, compactDay: string, now: Date): Promise<Fetched> {
  const request: VnpParams = {
    vnp_RequestId: crypto.randomBytes(8).toString("hex"),
    vnp_Version: "2.1.0",
    vnp_Command: "settlement",
    vnp_TmnCode: gateway.tmnCode,
    vnp_SettlementDate: compactDay,
    vnp_CreateDate: formatVnpDate(now),
  };
  const query = new URLSearchParams({ ...request, vnp_SecureHash: hmacHex(gateway.secret, signingString(request)) });
  let res: Response;
  try {
    res = await fetch(`${gateway.url}/merchant_webapi/settlement?${query}`, {
      signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
    });
  } catch (error) {
    return { ok: false, problem: "unreachable", detail: error instanceof Error ? error.message : String(error) };
  }
  const buffer = Buffer.from(await res.arrayBuffer());
  if (!res.ok)
    return { ok: false, problem: "refused", detail: `HTTP ${res.status}: ${buffer.toString("utf8", 0, 200)}` };
  if (buffer.length > MAX_FILE_BYTES) return { ok: false, problem: "malformed", detail: "file too large" };
  const body = buffer.toString("utf8");
  const signature = res.headers.get(SETTLEMENT_SIGNATURE_HEADER);
  const expected = hmacHex(gateway.secret, settlementSigningString(gateway.tmnCode, compactDay, body));
  if (!signatureValid(signature, expected))
    return { ok: false, problem: "signature", detail: "the file's signature does not match the merchant secret" };
  return { ok: true, body, signature: signature?.toLowerCase() ?? "" };
}

/** Locks (creating when missing) the day's run row, so two imports of one day run one after the other. */
async function lockRun(trx: Transaction<Database>, date: string, now: Date) {
  await trx
    .insertInto("settlement_runs")
    .values({ settlement_date: date, status: "failed", last_attempt_at: now })
    .onConflict((oc) => oc.column("settlement_date").doNothing())
    .execute();
  return trx
    .selectFrom("settlement_runs")
    .select(["id", "imported_at"])
    .where("settlement_date", "=", date)
    .forUpdate()
    .executeTakeFirstOrThrow();
}

/** Payments with the unit they belong to (the payment's, else its dossier's), as the comparison reads them. */
function portalPayments(trx: Transaction<Database>) {
  return trx
    .selectFrom("payments as p")
    .innerJoin("dossiers as d", "d.id", "p.dossier_id")
    .select((eb) => [
      "p.id",
      "p.order_ref",
      "p.method",
      "p.status",
      "p.amount_vnd",
      eb.fn.coalesce("p.agency_code", "d.agency_code").as("agency_code"),
    ]);
}

function toPortal(r: {
  id: string;
  order_ref: string;
  method: string;
  status: string;
  amount_vnd: number;
  agency_code: string | null;
}): PortalPayment {
  return {
    id: r.id,
    orderRef: r.order_ref,
    method: r.method,
    status: r.status,
    amountVnd: Number(r.amount_vnd),
    agencyCode: r.agency_code,
  };
}

async function compareWithBooks(
  trx: Transaction<Database>,
  runId: string,
  date: string,
  lines: readonly SettlementLine[],
): Promise<Mismatch[]> {
  const from = vnDateTime(date, 0);
  const to = vnDateTime(date, 1440);
  const refs = [...new Set(lines.map((l) => l.txnRef))];
  const [byRefRows, captured, refunded] = await Promise.all([
    refs.length > 0 ? portalPayments(trx).where("p.order_ref", "in", refs).execute() : Promise.resolve([]),
    portalPayments(trx)
      .where("p.method", "=", "gateway")
      .where("p.status", "in", [...CAPTURED_STATUSES])
      .where("p.paid_at", ">=", from)
      .where("p.paid_at", "<", to)
      .execute(),
    portalPayments(trx)
      .where("p.method", "=", "gateway")
      .where("p.status", "=", "refunded")
      .where("p.refunded_at", ">=", from)
      .where("p.refunded_at", "<", to)
      .execute(),
  ]);
  const inFile = new Set(lines.map((l) => lineKey(l.type, l.txnRef)));
  const candidates = [
    ...captured.filter((p) => !inFile.has(lineKey("payment", p.order_ref))),
    ...refunded.filter((p) => !inFile.has(lineKey("refund", p.order_ref))),
  ].map((p) => p.order_ref);
  const elsewhere =
    candidates.length > 0
      ? await trx
          .selectFrom("settlement_lines")
          .select(["type", "txn_ref"])
          .where("run_id", "<>", runId)
          .where("txn_ref", "in", [...new Set(candidates)])
          .execute()
      : [];
  return compareSettlement({
    lines,
    byRef: new Map(byRefRows.map((r) => [r.order_ref, toPortal(r)])),
    capturedOnDay: captured.map(toPortal),
    refundedOnDay: refunded.map(toPortal),
    settledElsewhere: new Set(elsewhere.map((l) => lineKey(l.type as "payment" | "refund", l.txn_ref))),
  });
}

/**
 * Fetches, checks, stores and compares the settlement file of `date` (YYYY-MM-DD, Vietnam). `actorId`: the
 * finance officer who asked (null for the job). Never throws for a problem with the file or the gateway:
 * that is recorded on the day's run (and audited) and returned.
 */
export async function importSettlement(
  db: Kysely<Database>,
  date: string,
  now: Date,
  options: { actorId?: string | null; gateway?: GatewayAccess } = {},
): Promise<ImportResult> {
  const actorId = options.actorId ?? null;
  const compactDay = compactDate(date);
  if (!compactDay || settlementDateProblem(date, now))
    return { ok: false, date, problem: "date", detail: "not a day that can be settled" };
  const gateway = options.gateway ?? gatewayConfig();
  const fetched = await fetchSettlementFile(gateway, compactDay, now);
  const parsed = fetched.ok ? parseSettlementFile(fetched.body, compactDay) : null;
  const failure: Fetched | null = !fetched.ok
    ? fetched
    : parsed && !parsed.ok
      ? { ok: false, problem: "malformed", detail: `line ${parsed.line}: ${parsed.problem}` }
      : null;

  return db.transaction().execute(async (trx): Promise<ImportResult> => {
    const run = await lockRun(trx, date, now);
    if (failure && !failure.ok) {
      // A day already imported keeps its file and findings; the failed attempt is noted next to them.
      await trx
        .updateTable("settlement_runs")
        .set({ last_attempt_at: now, last_error: `${failure.problem}: ${failure.detail}`.slice(0, 500) })
        .where("id", "=", run.id)
        .execute();
      await recordAudit(trx, {
        actorId,
        action: "settlement_import_failed",
        entity: "settlement",
        entityId: date,
        data: { problem: failure.problem, detail: failure.detail.slice(0, 200) },
      });
      console.warn(JSON.stringify({ event: "settlement_import_failed", date, problem: failure.problem }));
      return { ok: false, date, problem: failure.problem, detail: failure.detail };
    }
    if (!fetched.ok || !parsed?.ok) throw new Error("unreachable");
    const lines = parsed.lines;

    await trx.deleteFrom("settlement_lines").where("run_id", "=", run.id).execute();
    for (let i = 0; i < lines.length; i += 1000) {
      await trx
        .insertInto("settlement_lines")
        .values(
          lines.slice(i, i + 1000).map((l, j) => ({
            run_id: run.id,
            line_no: i + j + 1,
            type: l.type,
            txn_ref: l.txnRef,
            transaction_no: l.transactionNo || null,
            amount_vnd: l.amountVnd,
            occurred_at: parseVnpDate(l.time) ?? now,
            bank_code: l.bank || null,
          })),
        )
        .execute();
    }
    await trx
      .deleteFrom("settlement_mismatches")
      .where("run_id", "=", run.id)
      .where("resolved_at", "is", null)
      .execute();
    const resolved = await trx
      .selectFrom("settlement_mismatches")
      .select(["kind", "line_type", "txn_ref", "amount_gateway", "amount_portal"])
      .where("run_id", "=", run.id)
      .execute();
    const settled = new Set(
      resolved.map((r) =>
        mismatchKey({
          kind: r.kind as MismatchKind,
          lineType: r.line_type as "payment" | "refund",
          txnRef: r.txn_ref,
          amountGateway: r.amount_gateway,
          amountPortal: r.amount_portal,
        }),
      ),
    );
    const found = await compareWithBooks(trx, run.id, date, lines);
    const open = found.filter((m) => !settled.has(mismatchKey(m)));
    if (open.length > 0) {
      await trx
        .insertInto("settlement_mismatches")
        .values(
          open.map((m) => ({
            run_id: run.id,
            kind: m.kind,
            line_type: m.lineType,
            txn_ref: m.txnRef,
            transaction_no: m.transactionNo,
            amount_gateway: m.amountGateway,
            amount_portal: m.amountPortal,
            payment_id: m.paymentId,
            agency_code: m.agencyCode,
            found_at: now,
          })),
        )
        .execute();
    }
    const sum = (type: string) => lines.filter((l) => l.type === type).reduce((s, l) => s + l.amountVnd, 0);
    const body = fetched.body;
    await trx
      .updateTable("settlement_runs")
      .set({
        status: found.length > 0 ? "mismatched" : "matched",
        imported_at: now,
        imported_by: actorId,
        lines: lines.length,
        payments_vnd: sum("payment"),
        refunds_vnd: sum("refund"),
        content: body,
        signature: fetched.signature,
        file_sha256: crypto.createHash("sha256").update(body, "utf8").digest("hex"),
        last_attempt_at: now,
        last_error: null,
      })
      .where("id", "=", run.id)
      .execute();
    const byKind: Record<string, number> = {};
    for (const m of found) byKind[m.kind] = (byKind[m.kind] ?? 0) + 1;
    await recordAudit(trx, {
      actorId,
      action: "settlement_imported",
      entity: "settlement",
      entityId: date,
      data: {
        lines: lines.length,
        mismatches: found.length,
        open: open.length,
        byKind,
        reimport: run.imported_at !== null,
      },
    });
    return { ok: true, runId: run.id, date, lines: lines.length, mismatches: found.length, open: open.length };
  });
}

/**
 * The queue's task: imports the settlement file of the Vietnam day before the cron tick (or of
 * `payload.date`). A failed import is thrown, so the queue retries it (an unreachable gateway comes back).
 */
export function settlementTask(db: Kysely<Database>): Task {
  return async (payload) => {
    const p = (payload ?? {}) as { date?: unknown; _cron?: { ts?: unknown } };
    const tick = typeof p._cron?.ts === "string" ? new Date(p._cron.ts) : new Date();
    const at = Number.isNaN(tick.getTime()) ? new Date() : tick;
    const date = typeof p.date === "string" && isReportingDate(p.date) ? p.date : yesterdayInVietnam(at);
    const result = await importSettlement(db, date, new Date());
    if (!result.ok && result.problem !== "date")
      throw new Error(`settlement of ${date} not imported: ${result.problem} (${result.detail})`);
  };
}

// ---------------------------------------------------------------------------------------------------------
// The finance view: runs, mismatches, resolving one.

export type SettlementRunView = {
  id: string;
  date: string;
  status: "matched" | "mismatched" | "failed";
  importedAt: Date | null;
  lines: number;
  paymentsVnd: number;
  refundsVnd: number;
  lastAttemptAt: Date;
  lastError: string | null;
  /** Mismatches in the viewer's scope: all, and still open. */
  mismatches: number;
  open: number;
};

function scoped<QB extends { where: (...args: any[]) => QB }>(qb: QB, scope: FinanceScope, column: string): QB {
  if (scope.all) return qb;
  // No unit (an order the portal does not know) is the province's business only.
  return scope.agencyCodes.length > 0 ? qb.where(column, "in", [...scope.agencyCodes]) : qb.where(column, "=", "-");
}

export async function listSettlementRuns(
  db: Kysely<Database>,
  scope: FinanceScope,
  limit = 31,
): Promise<SettlementRunView[]> {
  const runs = await db
    .selectFrom("settlement_runs")
    .selectAll()
    .orderBy("settlement_date", "desc")
    .limit(limit)
    .execute();
  if (runs.length === 0) return [];
  const counts = await scoped(
    db
      .selectFrom("settlement_mismatches as m")
      .select((eb) => [
        "m.run_id",
        eb.fn.countAll<number>().as("n"),
        eb.fn.count<number>("m.id").filterWhere("m.resolved_at", "is", null).as("open"),
      ])
      .where(
        "m.run_id",
        "in",
        runs.map((r) => r.id),
      )
      .groupBy("m.run_id"),
    scope,
    "m.agency_code",
  ).execute();
  const byRun = new Map(counts.map((c) => [c.run_id, c]));
  return runs.map((r) => ({
    id: r.id,
    date: r.settlement_date,
    status: r.status as SettlementRunView["status"],
    importedAt: r.imported_at,
    lines: r.lines,
    paymentsVnd: Number(r.payments_vnd),
    refundsVnd: Number(r.refunds_vnd),
    lastAttemptAt: r.last_attempt_at,
    lastError: r.last_error,
    mismatches: Number(byRun.get(r.id)?.n ?? 0),
    open: Number(byRun.get(r.id)?.open ?? 0),
  }));
}

export type MismatchView = {
  id: string;
  date: string;
  kind: MismatchKind;
  lineType: "payment" | "refund";
  txnRef: string;
  transactionNo: string | null;
  amountGateway: number | null;
  amountPortal: number | null;
  paymentId: string | null;
  paymentStatus: string | null;
  dossierCode: string | null;
  agencyCode: string | null;
  foundAt: Date;
  resolvedAt: Date | null;
  resolvedByName: string | null;
  resolutionNote: string | null;
};

/**
 * Mismatches in the scope: of one day (`date`), or, without it, every one still open plus those of the last
 * `days` days. Oldest day first within the open ones, as a work list.
 */
export async function listMismatches(
  db: Kysely<Database>,
  scope: FinanceScope,
  filter: { date?: string; days?: number; now?: Date } = {},
): Promise<MismatchView[]> {
  let q = db
    .selectFrom("settlement_mismatches as m")
    .innerJoin("settlement_runs as r", "r.id", "m.run_id")
    .leftJoin("payments as p", "p.id", "m.payment_id")
    .leftJoin("dossiers as d", "d.id", "p.dossier_id")
    .leftJoin("users as u", "u.id", "m.resolved_by")
    .select([
      "m.id",
      "r.settlement_date",
      "m.kind",
      "m.line_type",
      "m.txn_ref",
      "m.transaction_no",
      "m.amount_gateway",
      "m.amount_portal",
      "m.payment_id",
      "p.status as payment_status",
      "d.code as dossier_code",
      "m.agency_code",
      "m.found_at",
      "m.resolved_at",
      "u.full_name as resolved_by_name",
      "m.resolution_note",
    ]);
  if (filter.date) q = q.where("r.settlement_date", "=", filter.date);
  else {
    const since = yesterdayInVietnam(new Date((filter.now ?? new Date()).getTime() - (filter.days ?? 30) * 86_400_000));
    q = q.where((eb) => eb.or([eb("m.resolved_at", "is", null), eb("r.settlement_date", ">", since)]));
  }
  const rows = await scoped(q, scope, "m.agency_code")
    .orderBy("r.settlement_date", "desc")
    .orderBy("m.kind")
    .orderBy("m.txn_ref")
    .limit(5000)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    date: r.settlement_date,
    kind: r.kind as MismatchKind,
    lineType: r.line_type as "payment" | "refund",
    txnRef: r.txn_ref,
    transactionNo: r.transaction_no,
    amountGateway: r.amount_gateway === null ? null : Number(r.amount_gateway),
    amountPortal: r.amount_portal === null ? null : Number(r.amount_portal),
    paymentId: r.payment_id,
    paymentStatus: r.payment_status,
    dossierCode: r.dossier_code,
    agencyCode: r.agency_code,
    foundAt: r.found_at,
    resolvedAt: r.resolved_at,
    resolvedByName: r.resolved_by_name,
    resolutionNote: r.resolution_note,
  }));
}

/** A finance officer closes a mismatch with what they found out; one transaction with its audit row. */
export async function resolveMismatch(
  db: Kysely<Database>,
  input: { mismatchId: string; note: string; actor: { id: string; scope: FinanceScope } },
  now: Date,
): Promise<void> {
  const note = input.note.trim();
  if (note.length === 0 || note.length > MAX_NOTE_LENGTH) throw new SettlementError("finance:errors.note");
  await db.transaction().execute(async (trx) => {
    const m = await trx
      .selectFrom("settlement_mismatches as m")
      .innerJoin("settlement_runs as r", "r.id", "m.run_id")
      .select(["m.id", "m.kind", "m.line_type", "m.txn_ref", "m.agency_code", "m.resolved_at", "r.settlement_date"])
      .where("m.id", "=", input.mismatchId)
      .forUpdate("m")
      .executeTakeFirst();
    const visible =
      m && (input.actor.scope.all || (m.agency_code !== null && input.actor.scope.agencyCodes.includes(m.agency_code)));
    if (!m || !visible) throw new SettlementError("finance:errors.mismatchNotFound");
    if (m.resolved_at) throw new SettlementError("finance:errors.alreadyResolved");
    await trx
      .updateTable("settlement_mismatches")
      .set({ resolved_at: now, resolved_by: input.actor.id, resolution_note: note })
      .where("id", "=", m.id)
      .execute();
    await recordAudit(trx, {
      actorId: input.actor.id,
      action: "settlement_mismatch_resolved",
      entity: "settlement",
      entityId: m.settlement_date,
      data: { mismatchId: m.id, kind: m.kind, lineType: m.line_type, txnRef: m.txn_ref, note },
    });
  });
}
