/**
 * Counting for the metric formulas in app/domain/stats (docs/domain.md#metrics), two ways:
 *
 * - `countMetrics` / `countMetricsByAgency` read `stats_rollup` (per day and per month x agency x procedure,
 *   kept by triggers in the same transaction as every change: db/migrations/2026_11_23_1700_stats_rollups.ts).
 *   A period is cut into whole months (month rows) and the days at either edge (day rows), so a year is
 *   12 month rows per agency whatever the volume. Only two things are read from dossier rows, through
 *   small indexes: dossiers open past their due time at the cutoff, and today's receipts/ends before `now`.
 * - `recountMetrics` counts the same definitions straight from the dossier and payment rows. It is the
 *   reference the rollups are tested against (stats-rollup.test.ts) and the naive baseline of bench/.
 *
 * Periods are Vietnam calendar dates, [from 00:00, to+1 00:00) at UTC+7.
 */
import { type Expression, type Kysely, type SqlBool, sql } from "kysely";
import { toVnDateString, vnDateTime } from "../../domain/calendar/working-calendar.ts";
import { type MetricCounts, zeroCounts } from "../../domain/stats/metrics.ts";
import type { Database } from "../db.server.ts";
import { whollyOnlineSql } from "./rollup-sql.server.ts";

export type StatsScope = {
  /** The agency and its children (codes), or null for the whole province. */
  agencyCodes: string[] | null;
  level?: "province" | "district" | "commune";
  /** Only dossiers of procedures in this field. */
  fieldCode?: string;
  /** Only dossiers of this procedure. */
  procedureCode?: string;
};
export type Period = { from: string; to: string };

export function periodBounds(p: Period): { start: Date; end: Date } {
  const start = vnDateTime(p.from, 0);
  const end = new Date(vnDateTime(p.to, 0).getTime() + 86_400_000);
  return { start, end };
}

/** "Open at the end of the period": for a period that has not ended yet, that is now. */
export function cutoffOf(period: Period, now: Date): Date {
  const { end } = periodBounds(period);
  return end < now ? end : now;
}

const addDays = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const monthStart = (day: string) => `${day.slice(0, 7)}-01`;
const monthEnd = (day: string) => {
  const y = Number(day.slice(0, 4));
  const m = Number(day.slice(5, 7));
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
};

/**
 * A period as rollup rows: whole months as month rows, the rest as day rows. `[from, to]` inclusive dates.
 * Exported for tests.
 */
export function periodSlices(p: Period): { months: [string, string] | null; days: Array<[string, string]> } {
  const firstFull = p.from === monthStart(p.from) ? p.from : addDays(monthEnd(p.from), 1);
  const lastFullEnd = p.to === monthEnd(p.to) ? p.to : addDays(monthStart(p.to), -1);
  if (firstFull > lastFullEnd) return { months: null, days: [[p.from, p.to]] };
  const days: Array<[string, string]> = [];
  if (p.from < firstFull) days.push([p.from, addDays(firstFull, -1)]);
  if (lastFullEnd < p.to) days.push([addDays(lastFullEnd, 1), p.to]);
  return { months: [firstFull, monthStart(lastFullEnd)], days };
}

function sliceConditions(p: Period): Expression<SqlBool>[] {
  const s = periodSlices(p);
  const parts = s.days.map(([a, b]) => sql<SqlBool>`(r.grain = 'd' and r.period between ${a}::date and ${b}::date)`);
  if (s.months)
    parts.push(sql<SqlBool>`(r.grain = 'm' and r.period between ${s.months[0]}::date and ${s.months[1]}::date)`);
  return parts;
}

function sliceCondition(p: Period): Expression<SqlBool> {
  return sql<SqlBool>`(${sql.join(sliceConditions(p), sql` or `)})`;
}

/** Counts per agency, plus the procedures with an online payment (a distinct count does not add up). */
export type AgencyCounts = MetricCounts & { onlinePaidProcedures: Set<string> };

export function emptyCounts(): AgencyCounts {
  return { ...zeroCounts(), onlinePaidProcedures: new Set() };
}

/** Adds `b` into `a` (in place) and returns `a`. */
export function addCounts(a: AgencyCounts, b: AgencyCounts): AgencyCounts {
  for (const k of Object.keys(a) as Array<keyof AgencyCounts>) {
    if (typeof a[k] === "number") (a as any)[k] += b[k] as number;
  }
  a.ratings = { r1: a.ratings.r1 + b.ratings.r1, r2: a.ratings.r2 + b.ratings.r2, r3: a.ratings.r3 + b.ratings.r3 };
  for (const p of b.onlinePaidProcedures) a.onlinePaidProcedures.add(p);
  a.proceduresWithFeesWithOnlinePayment = a.onlinePaidProcedures.size;
  return a;
}

/** The agency part of a scope (agency list, level) on rows with an agency_code column. */
function agencyScope(scope: StatsScope, alias: string) {
  const a = sql.ref(alias);
  const conds: Expression<SqlBool>[] = [sql<SqlBool>`true`];
  if (scope.agencyCodes) conds.push(sql<SqlBool>`${a}.agency_code in (select unnest(${scope.agencyCodes}::text[]))`);
  if (scope.level)
    conds.push(sql<SqlBool>`${a}.agency_code in (select code from agencies where level = ${scope.level})`);
  return sql<SqlBool>`${sql.join(conds, sql` and `)}`;
}

/** A scope on rows with agency_code / procedure_code columns (dossiers, payments, per-procedure rollup rows). */
function rowScope(scope: StatsScope, alias: string) {
  const a = sql.ref(alias);
  const conds: Expression<SqlBool>[] = [agencyScope(scope, alias)];
  if (scope.procedureCode) conds.push(sql<SqlBool>`${a}.procedure_code = ${scope.procedureCode}`);
  else if (scope.fieldCode)
    conds.push(
      sql<SqlBool>`${a}.procedure_code in (select code from procedures where field_code = ${scope.fieldCode})`,
    );
  return sql<SqlBool>`${sql.join(conds, sql` and `)}`;
}

/**
 * Rollup rows for a scope: one procedure's rows, one field's ('@' || field code) or all procedures' ('*'),
 * so a field or the whole catalogue is never summed procedure by procedure.
 */
function rollupScope(scope: StatsScope) {
  const key = scope.procedureCode
    ? sql<SqlBool>`r.procedure_code = ${scope.procedureCode}`
    : scope.fieldCode
      ? sql<SqlBool>`r.procedure_code = ${`@${scope.fieldCode}`}`
      : sql<SqlBool>`r.procedure_code = '*'`;
  return sql<SqlBool>`${key} and ${agencyScope(scope, "r")}`;
}

/** Procedures `p` of the scope's catalogue that charge a fee and are offered for online payment. */
function paidCatalogueScope(scope: StatsScope) {
  const conds: Expression<SqlBool>[] = [sql<SqlBool>`p.active and p.fee_vnd > 0 and p.online_kind <> 'none'`];
  if (scope.agencyCodes) conds.push(sql<SqlBool>`p.agency_code in (select unnest(${scope.agencyCodes}::text[]))`);
  if (scope.level) conds.push(sql<SqlBool>`p.level = ${scope.level}`);
  return sql<SqlBool>`${sql.join(conds, sql` and `)}`;
}

/** Active procedures in scope, per owning agency (the catalogue is small: counted directly). */
async function catalogueByAgency(db: Kysely<Database>, scope: StatsScope) {
  const rows = await sql<{
    agency: string;
    total: number;
    full: number;
    partial: number;
    with_fees: number;
    with_fees_online: number;
    published: number;
  }>`
    select p.agency_code as agency, count(*)::int as total,
      count(*) filter (where p.online_kind = 'full')::int as full,
      count(*) filter (where p.online_kind = 'partial')::int as partial,
      count(*) filter (where p.fee_vnd > 0)::int as with_fees,
      count(*) filter (where p.fee_vnd > 0 and p.online_kind <> 'none')::int as with_fees_online,
      count(*) filter (where jsonb_array_length(p.documents) > 0 and p.legal_basis_vi <> '' and p.result_vi <> '')::int as published
    from procedures p
    where p.active
      ${scope.agencyCodes ? sql`and p.agency_code in (select unnest(${scope.agencyCodes}::text[]))` : sql``}
      ${scope.level ? sql`and p.level = ${scope.level}` : sql``}
      ${scope.procedureCode ? sql`and p.code = ${scope.procedureCode}` : sql``}
      ${scope.fieldCode && !scope.procedureCode ? sql`and p.field_code = ${scope.fieldCode}` : sql``}
    group by p.agency_code`.execute(db);
  return rows.rows;
}

/**
 * Dossiers open past their due time at `cutoff`, per agency: those still open now and due before the
 * cutoff, plus those that ended late after the cutoff (partial indexes dossiers_open_due_idx and
 * dossiers_ended_late_idx; a dossier ending at or after the cutoff while overdue then has ended_at > due_at).
 */
export async function overdueByAgency(db: Kysely<Database>, scope: StatsScope, cutoff: Date) {
  // The dossiers that ended late after the cutoff are read through their partial index first (a fence):
  // left to itself the planner walked every dossier received before the cutoff instead (for March 2023,
  // 180,000 rows to find 2: 70 ms of the API's 80; docs/performance.md).
  const rows = await sql<{ agency: string; n: number }>`
    with ended_late as materialized (
      select d.agency_code, d.procedure_code, d.due_at, d.received_at from dossiers d
       where d.ended_at > d.due_at and d.ended_at >= ${cutoff}
    )
    select agency, count(*)::int as n from (
      select d.agency_code as agency from dossiers d
       where d.ended_at is null and d.received_at is not null
         and d.due_at < ${cutoff} and d.received_at < ${cutoff} and ${rowScope(scope, "d")}
      union all
      select d.agency_code from ended_late d
       where d.due_at < ${cutoff} and d.received_at < ${cutoff} and ${rowScope(scope, "d")}
    ) t group by agency`.execute(db);
  return rows.rows;
}

/**
 * Dossiers in flight at `cutoff` (received before it, not ended before it), per agency: receipts minus
 * ends over the rollup days before the cutoff. A cutoff inside a day (now) takes that day's rollup row too
 * and takes back the events after the cutoff, read from the rows: none when the cutoff is the real now,
 * since nothing has happened after it.
 */
export async function inFlightByAgency(db: Kysely<Database>, scope: StatsScope, cutoff: Date) {
  const day = toVnDateString(cutoff);
  const dayStart = vnDateTime(day, 0);
  const midDay = cutoff.getTime() !== dayStart.getTime();
  const month = monthStart(day);
  const rolled = await sql<{ agency: string; n: number }>`
    select r.agency_code as agency, sum(r.received - r.ended)::int as n
    from stats_rollup r
    where ((r.grain = 'm' and r.period < ${month}::date)
        or (r.grain = 'd' and r.period >= ${month}::date and r.period ${midDay ? sql`<=` : sql`<`} ${day}::date))
      and ${rollupScope(scope)}
    group by r.agency_code`.execute(db);
  const dayEnd = new Date(dayStart.getTime() + 86_400_000);
  const later = !midDay
    ? { rows: [] as Array<{ agency: string; n: number }> }
    : await sql<{ agency: string; n: number }>`
    select agency, sum(n)::int as n from (
      select d.agency_code as agency, -1 as n from dossiers d
       where d.received_at >= ${cutoff} and d.received_at < ${dayEnd} and d.status <> 'draft' and ${rowScope(scope, "d")}
      union all
      select d.agency_code, 1 from dossiers d
       where d.ended_at >= ${cutoff} and d.ended_at < ${dayEnd} and d.received_at is not null and d.status <> 'draft'
         and ${rowScope(scope, "d")}
    ) t group by agency`.execute(db);
  const out = new Map<string, number>();
  for (const r of [...rolled.rows, ...later.rows]) out.set(r.agency, (out.get(r.agency) ?? 0) + Number(r.n));
  return out;
}

/**
 * Received dossiers in the period that carry the citizen's signed declaration (ADR 018), per agency. Counted
 * from the rows, not the rollups: signatures are few (the join starts from dossier_signatures) and a row exists
 * only for a signature that verified when it was made. Same agency and scope as the rollups' `received`
 * (the dossier's current agency), so it never exceeds it.
 */
async function citizenSignedByAgency(db: Kysely<Database>, period: Period, scope: StatsScope) {
  const { start, end } = periodBounds(period);
  const rows = await sql<{ agency: string; n: number }>`
    select d.agency_code as agency, count(*)::int as n
    from dossier_signatures s join dossiers d on d.id = s.dossier_id
    where d.received_at >= ${start} and d.received_at < ${end} and d.status <> 'draft' and ${rowScope(scope, "d")}
    group by d.agency_code`.execute(db);
  return rows.rows;
}

/** Metric counts per agency for a period and scope, from the rollups. */
export async function countMetricsByAgency(
  db: Kysely<Database>,
  period: Period,
  scope: StatsScope,
  now = new Date(),
): Promise<Map<string, AgencyCounts>> {
  const cutoff = cutoffOf(period, now);
  const [sums, paidProcs, catalogue, overdue, inFlight, signed] = await Promise.all([
    sql<Record<string, number> & { agency: string }>`
      select r.agency_code as agency,
        sum(r.received)::int as received, sum(r.received_online)::int as received_online,
        sum(r.full_proc_received)::int as full_proc_received, sum(r.wholly_online)::int as wholly_online,
        sum(r.digitised)::int as digitised, sum(r.fee_bearing)::int as fee_bearing,
        sum(r.paid_online_dossiers)::int as paid_online_dossiers,
        sum(r.resolved_early)::int as resolved_early, sum(r.resolved_on_time)::int as resolved_on_time,
        sum(r.resolved_late)::int as resolved_late, sum(r.ended_not_satisfied)::int as ended_not_satisfied,
        sum(r.returned)::int as returned, sum(r.returned_electronic)::int as returned_electronic,
        sum(r.rated_1)::int as rated_1, sum(r.rated_2)::int as rated_2, sum(r.rated_3)::int as rated_3,
        sum(r.fee_payments)::int as fee_payments, sum(r.cashless_payments)::int as cashless_payments
      from stats_rollup r
      where ${sliceCondition(period)} and ${rollupScope(scope)}
      group by r.agency_code`.execute(db),
    // Indicator 3.5b: procedures of the scope's catalogue, offered for online payment, that were paid online
    // by dossiers in scope; credited to the procedure's owner so the count never exceeds the catalogue it is
    // a share of. A lateral probe per procedure and slice (stats_rollup_online_payments_idx), stopping at the
    // first hit: an OR of EXISTS would let the planner hash-scan every slice instead.
    sql<{ agency: string; procedure: string }>`
      select p.agency_code as agency, p.code as procedure
      from procedures p
      cross join lateral (
        select 1 from (${sql.join(
          sliceConditions(period).map(
            (slice) => sql`(select 1 from stats_rollup r
              where r.procedure_code = p.code and r.online_payments > 0 and ${slice} and ${agencyScope(scope, "r")}
              limit 1)`,
          ),
          sql` union all `,
        )}) probes
        limit 1
      ) hit
      where ${paidCatalogueScope(scope)}
        ${scope.procedureCode ? sql`and p.code = ${scope.procedureCode}` : sql``}
        ${scope.fieldCode && !scope.procedureCode ? sql`and p.field_code = ${scope.fieldCode}` : sql``}`.execute(db),
    catalogueByAgency(db, scope),
    overdueByAgency(db, scope, cutoff),
    inFlightByAgency(db, scope, cutoff),
    citizenSignedByAgency(db, period, scope),
  ]);

  const out = new Map<string, AgencyCounts>();
  const get = (agency: string) => {
    let c = out.get(agency);
    if (!c) {
      c = emptyCounts();
      out.set(agency, c);
    }
    return c;
  };
  const n = (v: unknown) => Number(v ?? 0);
  for (const r of sums.rows) {
    const c = get(r.agency);
    c.received = n(r.received);
    c.receivedOnline = n(r.received_online);
    c.resolvedEarly = n(r.resolved_early);
    c.resolvedOnTime = n(r.resolved_on_time);
    c.resolvedLate = n(r.resolved_late);
    c.fullProcedureDossiers = n(r.full_proc_received);
    c.handledWhollyOnline = n(r.wholly_online);
    c.digitisedDossiers = n(r.digitised);
    c.feeBearingDossiers = n(r.fee_bearing);
    c.dossiersPaidOnline = n(r.paid_online_dossiers);
    c.complaintsOrNotSatisfied = n(r.ended_not_satisfied);
    c.returned = n(r.returned);
    c.returnedElectronic = n(r.returned_electronic);
    c.ratings = { r1: n(r.rated_1), r2: n(r.rated_2), r3: n(r.rated_3) };
    c.feePayments = n(r.fee_payments);
    c.cashlessPayments = n(r.cashless_payments);
  }
  for (const r of paidProcs.rows) {
    const c = get(r.agency);
    c.onlinePaidProcedures.add(r.procedure);
    c.proceduresWithFeesWithOnlinePayment = c.onlinePaidProcedures.size;
  }
  for (const r of catalogue) {
    const c = get(r.agency);
    c.proceduresTotal = n(r.total);
    c.proceduresFullOnline = n(r.full);
    c.proceduresPartialOnline = n(r.partial);
    c.proceduresWithFees = n(r.with_fees);
    c.proceduresWithFeesOnlinePayment = n(r.with_fees_online);
    c.proceduresFullyPublished = n(r.published);
  }
  for (const r of overdue) get(r.agency).overdueOpen = n(r.n);
  for (const r of signed) get(r.agency).citizenSigned = n(r.n);
  for (const [agency, inflight] of inFlight) {
    const c = get(agency);
    c.openNotYetDue = inflight - c.overdueOpen;
  }
  return out;
}

/** Receipts and outcomes per month (YYYY-MM) for the trend chart, from the rollups. */
export async function trendCounts(db: Kysely<Database>, period: Period, scope: StatsScope) {
  const rows = await sql<{
    month: string;
    received: number;
    received_online: number;
    early: number;
    on_time: number;
    late: number;
  }>`
    select to_char(r.period, 'YYYY-MM') as month, sum(r.received)::int as received,
      sum(r.received_online)::int as received_online, sum(r.resolved_early)::int as early,
      sum(r.resolved_on_time)::int as on_time, sum(r.resolved_late)::int as late
    from stats_rollup r
    where ${sliceCondition(period)} and ${rollupScope(scope)}
    group by 1`.execute(db);
  return new Map(
    rows.rows.map((r) => [
      r.month,
      {
        received: r.received,
        receivedOnline: r.received_online,
        resolvedEarly: r.early,
        resolvedOnTime: r.on_time,
        resolvedLate: r.late,
      },
    ]),
  );
}

/** The sum of per-agency counts, as plain metric counts. */
export function totalCounts(parts: Iterable<AgencyCounts>): MetricCounts {
  const total = emptyCounts();
  for (const c of parts) addCounts(total, c);
  const { onlinePaidProcedures: _, ...counts } = total;
  return counts;
}

/** Metric counts for a period and scope, from the rollups. */
export async function countMetrics(
  db: Kysely<Database>,
  period: Period,
  scope: StatsScope,
  now = new Date(),
): Promise<MetricCounts> {
  return totalCounts((await countMetricsByAgency(db, period, scope, now)).values());
}

/**
 * The same counts straight from the dossier and payment rows (no rollups): the reference for the
 * rollup-equals-recount test and the naive baseline of the benchmark.
 */
export async function recountMetrics(
  db: Kysely<Database>,
  period: Period,
  scope: StatsScope,
  now = new Date(),
): Promise<MetricCounts> {
  const { start, end } = periodBounds(period);
  const cutoff = cutoffOf(period, now);
  const received = sql<boolean>`d.received_at >= ${start} and d.received_at < ${end}`;
  const ended = sql<boolean>`d.ended_at >= ${start} and d.ended_at < ${end} and d.received_at is not null`;
  const openAtCutoff = sql<boolean>`d.received_at < ${cutoff} and (d.ended_at is null or d.ended_at >= ${cutoff})`;
  const returned = sql<boolean>`d.returned_at >= ${start} and d.returned_at < ${end}`;
  const rated = sql<boolean>`d.rated_at >= ${start} and d.rated_at < ${end}`;
  const n = (cond: ReturnType<typeof sql<boolean>>) => sql<number>`count(*) filter (where ${cond})::int`;
  const row = await db
    .selectFrom("dossiers as d")
    .where("d.status", "<>", "draft")
    .where(rowScope(scope, "d"))
    .select([
      n(received).as("received"),
      n(sql`${received} and d.channel = 'online'`).as("receivedOnline"),
      n(sql`${ended} and d.outcome = 'early'`).as("resolvedEarly"),
      n(sql`${ended} and d.outcome = 'on_time'`).as("resolvedOnTime"),
      n(sql`${ended} and d.outcome = 'late'`).as("resolvedLate"),
      n(sql`${openAtCutoff} and d.due_at < ${cutoff}`).as("overdueOpen"),
      n(sql`${openAtCutoff} and not (d.due_at < ${cutoff})`).as("openNotYetDue"),
      n(sql`${received} and d.full_procedure`).as("fullProcedureDossiers"),
      n(sql`${received} and d.full_procedure and ${sql.raw(whollyOnlineSql("d"))}`).as("handledWhollyOnline"),
      n(sql`${received} and d.fee_vnd > 0 and d.paid_online`).as("dossiersPaidOnline"),
      n(sql`${received} and d.digitised`).as("digitisedDossiers"),
      n(returned).as("returned"),
      n(sql`${returned} and d.e_result`).as("returnedElectronic"),
      n(sql`${received} and d.fee_vnd > 0`).as("feeBearingDossiers"),
      n(sql`${ended} and d.outcome is not null and d.rating = 1`).as("complaintsOrNotSatisfied"),
      n(sql`${rated} and d.rating = 1`).as("r1"),
      n(sql`${rated} and d.rating = 2`).as("r2"),
      n(sql`${rated} and d.rating = 3`).as("r3"),
      n(sql`${received} and exists (select 1 from dossier_signatures s where s.dossier_id = d.id)`).as("citizenSigned"),
    ])
    .executeTakeFirstOrThrow();

  const pays = await db
    .selectFrom("payments as p")
    .where("p.status", "=", "paid")
    .where("p.paid_at", ">=", start)
    .where("p.paid_at", "<", end)
    .where(rowScope(scope, "p"))
    .select([
      sql<number>`count(*)::int`.as("fee"),
      sql<number>`count(*) filter (where p.method in ('gateway', 'transfer'))::int`.as("cashless"),
    ])
    .executeTakeFirstOrThrow();
  const paidProcedures = await db
    .selectFrom("payments as r")
    .innerJoin("procedures as p", "p.code", "r.procedure_code")
    .where("r.status", "=", "paid")
    .where("r.method", "=", "gateway")
    .where("r.paid_at", ">=", start)
    .where("r.paid_at", "<", end)
    .where(rowScope(scope, "r"))
    .where(paidCatalogueScope(scope))
    .select(sql<number>`count(distinct r.procedure_code)::int`.as("n"))
    .executeTakeFirstOrThrow();

  const procs = emptyCounts();
  for (const r of await catalogueByAgency(db, scope)) {
    procs.proceduresTotal += r.total;
    procs.proceduresFullOnline += r.full;
    procs.proceduresPartialOnline += r.partial;
    procs.proceduresWithFees += r.with_fees;
    procs.proceduresWithFeesOnlinePayment += r.with_fees_online;
    procs.proceduresFullyPublished += r.published;
  }

  return {
    received: row.received,
    receivedOnline: row.receivedOnline,
    resolvedEarly: row.resolvedEarly,
    resolvedOnTime: row.resolvedOnTime,
    resolvedLate: row.resolvedLate,
    overdueOpen: row.overdueOpen,
    openNotYetDue: row.openNotYetDue,
    feePayments: pays.fee,
    cashlessPayments: pays.cashless,
    proceduresTotal: procs.proceduresTotal,
    proceduresFullOnline: procs.proceduresFullOnline,
    proceduresPartialOnline: procs.proceduresPartialOnline,
    proceduresWithFees: procs.proceduresWithFees,
    proceduresWithFeesOnlinePayment: procs.proceduresWithFeesOnlinePayment,
    proceduresWithFeesWithOnlinePayment: paidProcedures.n,
    fullProcedureDossiers: row.fullProcedureDossiers,
    handledWhollyOnline: row.handledWhollyOnline,
    digitisedDossiers: row.digitisedDossiers,
    returned: row.returned,
    returnedElectronic: row.returnedElectronic,
    feeBearingDossiers: row.feeBearingDossiers,
    dossiersPaidOnline: row.dossiersPaidOnline,
    dossiersReusingDocuments: 0,
    complaintsOrNotSatisfied: row.complaintsOrNotSatisfied,
    ratings: { r1: row.r1, r2: row.r2, r3: row.r3 },
    proceduresFullyPublished: procs.proceduresFullyPublished,
    citizenSigned: row.citizenSigned,
  };
}
