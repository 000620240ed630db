/**
 * Counting dossier rows for the metric formulas in app/domain/stats (DOMAIN.md §6). This is the
 * direct count over `dossiers` (correct at demo scale); per-day rollups for a province-year are
 * still to come (issue 6). Periods are Vietnam calendar dates, [from 00:00, to+1 00:00) at UTC+7.
 */
import { type Kysely, sql } from "kysely";
import { vnDateTime } from "../../domain/calendar/working-calendar.ts";
import type { MetricCounts } from "../../domain/stats/metrics.ts";
import type { Database } from "../db.server.ts";

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

const OPEN = ["received", "processing", "supplement_requested", "payment_requested"];

export async function countMetrics(
  db: Kysely<Database>,
  period: Period,
  scope: StatsScope,
  now = new Date(),
): Promise<MetricCounts> {
  const { start, end } = periodBounds(period);
  // "Open at the end of the period": for a period that has not ended yet, that is now.
  const cutoff = end < now ? end : now;
  const inScope = <T extends { where: (...a: any[]) => T }>(q: T, col: string): T => {
    let r = q;
    if (scope.agencyCodes) r = r.where(col, "in", scope.agencyCodes.length > 0 ? scope.agencyCodes : ["-"]);
    return r;
  };
  let dq = db
    .selectFrom("dossiers as d")
    .innerJoin("procedures as p", "p.code", "d.procedure_code")
    .innerJoin("agencies as a", "a.code", "d.agency_code")
    .leftJoin("dossier_results as r", "r.dossier_id", "d.id")
    .where("d.status", "<>", "draft");
  dq = inScope(dq, "d.agency_code");
  if (scope.level) dq = dq.where("a.level", "=", scope.level);
  const received = sql<boolean>`d.received_at >= ${start} and d.received_at < ${end}`;
  const ended = sql<boolean>`d.ended_at >= ${start} and d.ended_at < ${end} and d.outcome is not null`;
  const openAtEnd = sql<boolean>`d.received_at < ${cutoff} and (d.ended_at is null or d.ended_at >= ${cutoff}) and d.status in (${sql.join(OPEN)})`;
  const returned = sql<boolean>`d.returned_at >= ${start} and d.returned_at < ${end}`;
  const hasFiles = sql<boolean>`exists (select 1 from dossier_attachments f where f.dossier_id = d.id)`;
  const paidOnline = sql<boolean>`exists (select 1 from payments pay where pay.dossier_id = d.id and pay.status = 'paid' and pay.method = 'gateway')`;
  const n = (cond: ReturnType<typeof sql<boolean>>) => sql<number>`count(*) filter (where ${cond})`;
  const row = await dq
    .select([
      n(received).as("received"),
      n(sql`${received} and d.channel = 'online'`).as("receivedOnline"),
      n(sql`${ended} and d.outcome = 'early'`).as("resolvedEarly"),
      n(sql`${ended} and d.outcome = 'on_time'`).as("resolvedOnTime"),
      n(sql`${ended} and d.outcome = 'late'`).as("resolvedLate"),
      n(sql`${openAtEnd} and d.due_at < ${cutoff}`).as("overdueOpen"),
      n(sql`${openAtEnd} and d.due_at >= ${cutoff}`).as("openNotYetDue"),
      n(sql`${received} and p.online_kind = 'full'`).as("fullProcedureDossiers"),
      n(
        sql`${received} and p.online_kind = 'full' and d.channel = 'online' and (d.fee_vnd = 0 or ${paidOnline}) and r.id is not null`,
      ).as("handledWhollyOnline"),
      n(sql`${received} and d.fee_vnd > 0 and ${paidOnline}`).as("dossiersPaidOnline"),
      n(sql`${received} and ${hasFiles}`).as("digitisedDossiers"),
      n(returned).as("returned"),
      n(sql`${returned} and r.id is not null`).as("returnedElectronic"),
      n(sql`${received} and d.fee_vnd > 0`).as("feeBearingDossiers"),
    ])
    .executeTakeFirstOrThrow();

  let pq = db
    .selectFrom("procedures as p")
    .innerJoin("agencies as a", "a.code", "p.agency_code")
    .where("p.active", "=", true);
  pq = inScope(pq, "p.agency_code");
  if (scope.level) pq = pq.where("p.level", "=", scope.level);
  const procs = await pq
    .select([
      sql<number>`count(*)`.as("total"),
      sql<number>`count(*) filter (where p.online_kind = 'full')`.as("full"),
      sql<number>`count(*) filter (where p.online_kind = 'partial')`.as("partial"),
      sql<number>`count(*) filter (where p.fee_vnd > 0)`.as("withFees"),
      sql<number>`count(*) filter (where p.fee_vnd > 0 and p.online_kind <> 'none')`.as("withFeesOnline"),
      sql<number>`count(*) filter (where jsonb_array_length(p.documents) > 0 and p.legal_basis_vi <> '' and p.result_vi <> '')`.as(
        "published",
      ),
    ])
    .executeTakeFirstOrThrow();

  let payq = db
    .selectFrom("payments as pay")
    .innerJoin("dossiers as d", "d.id", "pay.dossier_id")
    .innerJoin("agencies as a", "a.code", "d.agency_code")
    .where("pay.status", "=", "paid")
    .where("pay.paid_at", ">=", start)
    .where("pay.paid_at", "<", end);
  payq = inScope(payq, "d.agency_code");
  if (scope.level) payq = payq.where("a.level", "=", scope.level);
  const pays = await payq
    .select([
      sql<number>`count(*)`.as("fee"),
      sql<number>`count(*) filter (where pay.method in ('gateway', 'transfer'))`.as("cashless"),
      sql<number>`count(distinct d.procedure_code) filter (where pay.method = 'gateway')`.as("proceduresPaidOnline"),
    ])
    .executeTakeFirstOrThrow();

  const num = (v: unknown) => Number(v ?? 0);
  return {
    received: num(row.received),
    receivedOnline: num(row.receivedOnline),
    resolvedEarly: num(row.resolvedEarly),
    resolvedOnTime: num(row.resolvedOnTime),
    resolvedLate: num(row.resolvedLate),
    overdueOpen: num(row.overdueOpen),
    openNotYetDue: num(row.openNotYetDue),
    feePayments: num(pays.fee),
    cashlessPayments: num(pays.cashless),
    proceduresTotal: num(procs.total),
    proceduresFullOnline: num(procs.full),
    proceduresPartialOnline: num(procs.partial),
    proceduresWithFees: num(procs.withFees),
    proceduresWithFeesOnlinePayment: num(procs.withFeesOnline),
    proceduresWithFeesWithOnlinePayment: num(pays.proceduresPaidOnline),
    fullProcedureDossiers: num(row.fullProcedureDossiers),
    handledWhollyOnline: num(row.handledWhollyOnline),
    digitisedDossiers: num(row.digitisedDossiers),
    returned: num(row.returned),
    returnedElectronic: num(row.returnedElectronic),
    feeBearingDossiers: num(row.feeBearingDossiers),
    dossiersPaidOnline: num(row.dossiersPaidOnline),
    dossiersReusingDocuments: 0,
    complaintsOrNotSatisfied: 0,
    ratings: { r1: 0, r2: 0, r3: 0 },
    proceduresFullyPublished: num(procs.published),
  };
}
