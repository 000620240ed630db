/**
 * Drill-down: the dossier rows behind a number on the dashboard. Each metric is the same definition as the
 * count it explains (docs/domain.md#metrics, as counted in stats-queries.server.ts), written as a condition on one
 * dossier (or payment) row, so the list's total equals the dashboard's number; a db test checks that for
 * several metrics on both databases.
 *
 * Managers see what they need to find where time went: code, procedure, unit, channel, times and outcome.
 * No applicant data (name, national ID, contacts) is read here.
 */
import { type Expression, type Kysely, type SqlBool, sql } from "kysely";
import { vnDateTime } from "../../domain/calendar/working-calendar.ts";
import { type StepRow, stepBreakdown } from "../../domain/dossier/step-shares.ts";
import { type DrillMetric, isDrillMetric } from "../../domain/stats/drill-metrics.ts";
import { getCalendar } from "../calendar/calendar-service.server.ts";
import type { Database } from "../db.server.ts";
import { type Manager, type Problems, readSelection } from "./manager-dashboard.server.ts";
import { whollyOnlineSql } from "./rollup-sql.server.ts";
import type { Period, StatsScope } from "./stats-queries.server.ts";

export { DRILL_METRICS, type DrillMetric, isDrillMetric } from "../../domain/stats/drill-metrics.ts";

export const PAGE_SIZE = 50;
/** Deep offsets are slow and nobody pages that far: past this, narrow the scope or download the CSV. */
export const MAX_PAGE = 2000;

type Bounds = { start: Date; end: Date; cutoff: Date };

/** [from 00:00, to+1 00:00) in Vietnam time; "open at the end of the period" means at min(end, now). */
export function drillBounds(p: Period, now: Date): Bounds {
  const start = vnDateTime(p.from, 0);
  const end = vnDateTime(p.to, 1440);
  return { start, end, cutoff: end < now ? end : now };
}

type Spec = {
  /** Rows come from payments (`pay`, joined to their dossier) rather than dossiers. */
  payments?: true;
  /** The time column the metric is about; never null for a row of the metric, so it orders and pages. */
  sortColumn: "d.received_at" | "d.ended_at" | "d.due_at" | "d.returned_at" | "d.rated_at" | "pay.paid_at";
  where: (b: Bounds) => Expression<SqlBool>;
};

const inP = (col: string, b: Bounds) => sql<SqlBool>`${sql.ref(col)} >= ${b.start} and ${sql.ref(col)} < ${b.end}`;
const receivedIn = (b: Bounds) => inP("d.received_at", b);
const endedIn = (b: Bounds) =>
  sql<SqlBool>`${inP("d.ended_at", b)} and d.outcome is not null and d.received_at is not null`;
const openAt = (b: Bounds) =>
  sql<SqlBool>`d.received_at < ${b.cutoff} and (d.ended_at is null or d.ended_at >= ${b.cutoff})`;
const ratedIn = (b: Bounds) => sql<SqlBool>`${inP("d.rated_at", b)} and d.rating is not null`;
/** Filed online, fee paid online or no fee, result returned electronically (imports may state it). */
const whollyOnline = sql.raw<SqlBool>(whollyOnlineSql("d"));
const paidIn = (b: Bounds) => sql<SqlBool>`pay.status = 'paid' and ${inP("pay.paid_at", b)}`;

const SPECS: Record<DrillMetric, Spec> = {
  received: { sortColumn: "d.received_at", where: receivedIn },
  receivedOnline: { sortColumn: "d.received_at", where: (b) => sql`${receivedIn(b)} and d.channel = 'online'` },
  resolved: { sortColumn: "d.ended_at", where: endedIn },
  resolvedInTime: { sortColumn: "d.ended_at", where: (b) => sql`${endedIn(b)} and d.outcome in ('early', 'on_time')` },
  resolvedEarly: { sortColumn: "d.ended_at", where: (b) => sql`${endedIn(b)} and d.outcome = 'early'` },
  resolvedOnTime: { sortColumn: "d.ended_at", where: (b) => sql`${endedIn(b)} and d.outcome = 'on_time'` },
  resolvedLate: { sortColumn: "d.ended_at", where: (b) => sql`${endedIn(b)} and d.outcome = 'late'` },
  overdueOpen: { sortColumn: "d.due_at", where: (b) => sql`${openAt(b)} and d.due_at < ${b.cutoff}` },
  openNotYetDue: { sortColumn: "d.due_at", where: (b) => sql`${openAt(b)} and d.due_at >= ${b.cutoff}` },
  fullProcedureDossiers: { sortColumn: "d.received_at", where: (b) => sql`${receivedIn(b)} and d.full_procedure` },
  handledWhollyOnline: {
    sortColumn: "d.received_at",
    where: (b) => sql`${receivedIn(b)} and d.full_procedure and ${whollyOnline}`,
  },
  digitisedDossiers: { sortColumn: "d.received_at", where: (b) => sql`${receivedIn(b)} and d.digitised` },
  feeBearingDossiers: { sortColumn: "d.received_at", where: (b) => sql`${receivedIn(b)} and d.fee_vnd > 0` },
  dossiersPaidOnline: {
    sortColumn: "d.received_at",
    where: (b) => sql`${receivedIn(b)} and d.fee_vnd > 0 and d.paid_online`,
  },
  returned: { sortColumn: "d.returned_at", where: (b) => inP("d.returned_at", b) },
  returnedElectronic: { sortColumn: "d.returned_at", where: (b) => sql`${inP("d.returned_at", b)} and d.e_result` },
  rated: { sortColumn: "d.rated_at", where: ratedIn },
  ratedSatisfied: { sortColumn: "d.rated_at", where: (b) => sql`${ratedIn(b)} and d.rating >= 2` },
  ratedNotSatisfied: { sortColumn: "d.rated_at", where: (b) => sql`${ratedIn(b)} and d.rating = 1` },
  feePayments: { payments: true, sortColumn: "pay.paid_at", where: paidIn },
  cashlessPayments: {
    payments: true,
    sortColumn: "pay.paid_at",
    where: (b) => sql`${paidIn(b)} and pay.method in ('gateway', 'transfer')`,
  },
};

/** The scope on dossier rows, as the metric counts apply it (a procedure, when given, wins over its field). */
function scopeCondition(scope: StatsScope): Expression<SqlBool> {
  const conds: Expression<SqlBool>[] = [sql<SqlBool>`d.status <> 'draft'`];
  if (scope.agencyCodes) conds.push(sql<SqlBool>`d.agency_code = any(${scope.agencyCodes}::text[])`);
  if (scope.level) conds.push(sql<SqlBool>`a.level = ${scope.level}`);
  if (scope.procedureCode) conds.push(sql<SqlBool>`d.procedure_code = ${scope.procedureCode}`);
  else if (scope.fieldCode) conds.push(sql<SqlBool>`p.field_code = ${scope.fieldCode}`);
  return sql<SqlBool>`${sql.join(conds, sql` and `)}`;
}

export type DrillQuery = { metric: DrillMetric; period: Period; scope: StatsScope; now: Date };

function baseQuery(db: Kysely<Database>, q: DrillQuery) {
  const spec = SPECS[q.metric];
  const b = drillBounds(q.period, q.now);
  const from = spec.payments
    ? db.selectFrom("payments as pay").innerJoin("dossiers as d", "d.id", "pay.dossier_id")
    : // A one-row "pay" stand-in keeps the selected columns the same for both kinds of metric.
      db.selectFrom("dossiers as d").leftJoin("payments as pay", (j) => j.on(sql<SqlBool>`false`));
  return from
    .innerJoin("procedures as p", "p.code", "d.procedure_code")
    .innerJoin("agencies as a", "a.code", "d.agency_code")
    .where(scopeCondition(q.scope))
    .where(spec.where(b));
}

export async function countDrillDown(db: Kysely<Database>, q: DrillQuery): Promise<number> {
  const row = await baseQuery(db, q).select(sql<number>`count(*)::int`.as("n")).executeTakeFirstOrThrow();
  return Number(row.n);
}

function selectRows(db: Kysely<Database>, q: DrillQuery) {
  const spec = SPECS[q.metric];
  const idCol = spec.payments ? "pay.id" : "d.id";
  return baseQuery(db, q)
    .select([
      "d.id",
      "d.code",
      "d.procedure_code",
      "p.name_vi as procedure_name_vi",
      "p.name_en as procedure_name_en",
      "d.agency_code",
      "a.name_vi as agency_name_vi",
      "a.name_en as agency_name_en",
      "d.channel",
      "d.status",
      "d.received_at",
      "d.due_at",
      "d.original_due_at",
      "d.ended_at",
      "d.outcome",
      "pay.id as payment_id",
      "pay.paid_at",
      "pay.method as payment_method",
      "pay.amount_vnd",
      // As text: keyset paging must compare at full (microsecond) precision, which a JS Date loses.
      sql<string>`${sql.ref(spec.sortColumn)}::text`.as("sort_at"),
      sql<string>`${sql.ref(idCol)}::text`.as("sort_id"),
    ])
    .orderBy(sql.ref(spec.sortColumn))
    .orderBy(sql.ref(idCol));
}

export type DrillRow = Awaited<ReturnType<ReturnType<typeof selectRows>["execute"]>>[number];

/** One page of rows (1-based), in the order of the metric's time column. */
export async function drillDownPage(db: Kysely<Database>, q: DrillQuery, page: number): Promise<DrillRow[]> {
  return selectRows(db, q)
    .limit(PAGE_SIZE)
    .offset((page - 1) * PAGE_SIZE)
    .execute();
}

/** Every row, in batches by keyset (time, id), so an export of a province-year never sits in memory. */
export async function* drillDownAll(db: Kysely<Database>, q: DrillQuery, batch = 2000): AsyncGenerator<DrillRow[]> {
  const spec = SPECS[q.metric];
  const idCol = spec.payments ? "pay.id" : "d.id";
  let after: { at: string; id: string } | null = null;
  for (;;) {
    let query = selectRows(db, q);
    if (after)
      query = query.where(
        sql<SqlBool>`(${sql.ref(spec.sortColumn)}, ${sql.ref(idCol)}) > (${after.at}::timestamptz, ${after.id}::uuid)`,
      );
    const rows = await query.limit(batch).execute();
    if (rows.length === 0) return;
    yield rows;
    const last = rows[rows.length - 1];
    if (!last || rows.length < batch) return;
    after = { at: last.sort_at, id: last.sort_id };
  }
}

/** The step and unit that used up a late or overdue dossier's time (processing control sheet, form 05). */
export type LateStep = { step: StepRow["step"]; agencyCode: string | null; usedMinutes: number; budgetMinutes: number };

export function isLateRow(row: Pick<DrillRow, "outcome" | "ended_at" | "due_at">, now: Date): boolean {
  if (row.outcome === "late") return true;
  return !row.ended_at && row.due_at !== null && new Date(row.due_at) < now;
}

/** The step of the control sheet furthest over its share of the time (the first of equals). */
export function worstStep(rows: readonly StepRow[]): StepRow | null {
  let worst: StepRow | null = null;
  for (const r of rows) {
    if (!worst || r.usedMinutes - r.budgetMinutes > worst.usedMinutes - worst.budgetMinutes) worst = r;
  }
  return worst;
}

/** For the late and overdue rows of a page: which step, at which unit, used up the time. */
export async function lateStepsOf(
  db: Kysely<Database>,
  rows: ReadonlyArray<Pick<DrillRow, "id" | "outcome" | "ended_at" | "due_at" | "received_at" | "original_due_at">>,
  now: Date,
): Promise<Map<string, LateStep>> {
  const late = rows.filter((r) => isLateRow(r, now) && r.received_at && r.original_due_at);
  const out = new Map<string, LateStep>();
  if (late.length === 0) return out;
  const [events, calendar] = await Promise.all([
    db
      .selectFrom("dossier_events")
      .select(["dossier_id", "action", "at", "agency_code"])
      .where(
        "dossier_id",
        "in",
        late.map((r) => r.id),
      )
      .orderBy("at")
      .orderBy("id")
      .execute(),
    getCalendar(db),
  ]);
  for (const r of late) {
    const steps = stepBreakdown(
      events
        .filter((e) => e.dossier_id === r.id)
        .map((e) => ({ action: e.action, at: new Date(e.at), agencyCode: e.agency_code })),
      { receivedAt: new Date(r.received_at as Date), originalDueAt: new Date(r.original_due_at as Date) },
      calendar,
      r.ended_at ? new Date(r.ended_at) : now,
    );
    const w = worstStep(steps);
    if (w)
      out.set(r.id, {
        step: w.step,
        agencyCode: w.agencyCode,
        usedMinutes: w.usedMinutes,
        budgetMinutes: w.budgetMinutes,
      });
  }
  return out;
}

/** A row as the list and the CSV show it: no applicant data, times as ISO instants. */
export function drillRowView(
  row: DrillRow,
  late: LateStep | undefined,
  agencyName: (code: string) => string,
  lng: string,
) {
  const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
  return {
    id: row.id,
    code: row.code ?? "",
    procedureCode: row.procedure_code,
    procedure: lng === "en" ? row.procedure_name_en : row.procedure_name_vi,
    agencyCode: row.agency_code,
    unit: lng === "en" ? row.agency_name_en : row.agency_name_vi,
    channel: row.channel,
    status: row.status,
    receivedAt: iso(row.received_at),
    dueAt: iso(row.due_at),
    endedAt: iso(row.ended_at),
    outcome: row.outcome,
    paidAt: iso(row.paid_at),
    paymentMethod: row.payment_method,
    late: late
      ? {
          step: late.step,
          unit: late.agencyCode ? agencyName(late.agencyCode) : "—",
          usedHours: Math.round((late.usedMinutes / 60) * 10) / 10,
          budgetHours: Math.round((late.budgetMinutes / 60) * 10) / 10,
        }
      : null,
  };
}
export type DrillRowView = ReturnType<typeof drillRowView>;

export { agencyNames } from "../units/units.server.ts";

/** Whether a metric lists payments (one row per payment) rather than dossiers. */
export function isPaymentMetric(metric: DrillMetric): boolean {
  return SPECS[metric].payments === true;
}

/** Reads a drill-down request: the dashboard's period and scope, plus the metric and the page. */
export async function readDrillRequest(url: URL, user: Manager, now: Date) {
  const sel = await readSelection(url, user, now);
  const problems: Problems = { ...sel.problems };
  const rawMetric = url.searchParams.get("metric") ?? "";
  const metric = isDrillMetric(rawMetric) ? rawMetric : null;
  if (!metric) problems.metric = "stats:errors.metric";
  const rawPage = url.searchParams.get("page");
  let page = 1;
  if (rawPage !== null && rawPage !== "") {
    const n = /^\d{1,7}$/.test(rawPage) ? Number(rawPage) : Number.NaN;
    if (n >= 1 && n <= MAX_PAGE) page = n;
    else problems.page = "stats:errors.page";
  }
  return { sel, metric, page, problems };
}
