/**
 * Targets per indicator and unit (metric_targets), and the open-dossier counts the on-time forecast needs.
 * Setting or removing a target is one transaction with its audit event; a manager may only touch units of
 * their own subtree (checked here as well as in the route).
 */
import { type Expression, type Kysely, type SqlBool, sql } from "kysely";
import { effectiveTarget, type OpenDueCounts, type TargetIndicator } from "../../domain/stats/forecast.ts";
import { recordAudit } from "../audit.server.ts";
import { agencySubtree, cachedCatalogue } from "../catalogue/catalogue-queries.server.ts";
import type { Database } from "../db.server.ts";
import { inFlightByAgency, overdueByAgency, type StatsScope } from "./stats-queries.server.ts";

export class TargetOutsideScopeError extends Error {
  override name = "TargetOutsideScopeError";
}

/** The agency's ancestors, nearest first (not the agency itself). */
export async function ancestorsOf(
  db: Kysely<Database>,
  code: string,
): Promise<Array<{ code: string; parent_code: string | null }>> {
  const rows = await sql<{ code: string; parent_code: string | null; depth: number }>`
    with recursive up(code, parent_code, depth) as (
      select a.code, a.parent_code, 0 from agencies a where a.code = ${code}
      union all
      select a.code, a.parent_code, up.depth + 1 from agencies a join up on a.code = up.parent_code where up.depth < 20
    )
    select code, parent_code, depth from up where depth > 0 order by depth`.execute(db);
  return rows.rows.map((r) => ({ code: r.code, parent_code: r.parent_code }));
}

export type TargetRow = { agencyCode: string; indicator: string; targetBp: number; setAt: Date };

export async function targetsOn(db: Kysely<Database>, agencyCodes: readonly string[]): Promise<TargetRow[]> {
  if (agencyCodes.length === 0) return [];
  const rows = await db
    .selectFrom("metric_targets")
    .select(["agency_code", "indicator", "target_bp", "set_at"])
    .where("agency_code", "in", [...agencyCodes])
    .orderBy("agency_code")
    .orderBy("indicator")
    .execute();
  return rows.map((r) => ({
    agencyCode: r.agency_code,
    indicator: r.indicator,
    targetBp: r.target_bp,
    setAt: r.set_at,
  }));
}

/**
 * Resolves effective targets for units under (and including) `rootCode`: a unit's own target, else its
 * nearest ancestor's, up through the ancestors above the root.
 */
export async function targetResolver(db: Kysely<Database>, rootCode: string) {
  // The unit tree from the catalogue cache: read on every dashboard, it changes only by a reorganisation.
  const [tree, ancestors] = await Promise.all([cachedCatalogue.agencySubtree(db, rootCode), ancestorsOf(db, rootCode)]);
  const parents = new Map<string, string | null>();
  for (const a of ancestors) parents.set(a.code, a.parent_code);
  for (const a of tree) parents.set(a.code, a.parent_code);
  const rows = await targetsOn(db, [...parents.keys()]);
  const byAgency = new Map<string, Map<string, number>>();
  for (const r of rows) {
    const m = byAgency.get(r.agencyCode) ?? new Map<string, number>();
    m.set(r.indicator, r.targetBp / 10_000);
    byAgency.set(r.agencyCode, m);
  }
  return {
    rows,
    /** The target that applies to a unit for an indicator, as a fraction, and where it was set. */
    targetFor(agencyCode: string, indicator: TargetIndicator) {
      return effectiveTarget(
        agencyCode,
        (c) => parents.get(c) ?? null,
        (c) => byAgency.get(c)?.get(indicator),
      );
    },
  };
}

async function assertInSubtree(db: Kysely<Database>, managerAgency: string, agencyCode: string) {
  const tree = await agencySubtree(db, managerAgency);
  if (!tree.some((a) => a.code === agencyCode)) throw new TargetOutsideScopeError(agencyCode);
}

export async function setTarget(
  db: Kysely<Database>,
  actor: { id: string; agencyCode: string },
  input: { agencyCode: string; indicator: TargetIndicator; targetBp: number },
): Promise<void> {
  await assertInSubtree(db, actor.agencyCode, input.agencyCode);
  await db.transaction().execute(async (trx) => {
    const previous = await trx
      .selectFrom("metric_targets")
      .select("target_bp")
      .where("agency_code", "=", input.agencyCode)
      .where("indicator", "=", input.indicator)
      .forUpdate()
      .executeTakeFirst();
    await trx
      .insertInto("metric_targets")
      .values({
        agency_code: input.agencyCode,
        indicator: input.indicator,
        target_bp: input.targetBp,
        set_by: actor.id,
        set_at: new Date(),
      })
      .onConflict((oc) =>
        oc.columns(["agency_code", "indicator"]).doUpdateSet({
          target_bp: input.targetBp,
          set_by: actor.id,
          set_at: new Date(),
        }),
      )
      .execute();
    await recordAudit(trx, {
      actorId: actor.id,
      action: "target_set",
      entity: "metric_target",
      entityId: `${input.agencyCode}:${input.indicator}`,
      data: { ...input, previousBp: previous?.target_bp ?? null },
    });
  });
}

export async function removeTarget(
  db: Kysely<Database>,
  actor: { id: string; agencyCode: string },
  input: { agencyCode: string; indicator: TargetIndicator },
): Promise<void> {
  await assertInSubtree(db, actor.agencyCode, input.agencyCode);
  await db.transaction().execute(async (trx) => {
    const removed = await trx
      .deleteFrom("metric_targets")
      .where("agency_code", "=", input.agencyCode)
      .where("indicator", "=", input.indicator)
      .returning("target_bp")
      .executeTakeFirst();
    if (removed)
      await recordAudit(trx, {
        actorId: actor.id,
        action: "target_remove",
        entity: "metric_target",
        entityId: `${input.agencyCode}:${input.indicator}`,
        data: { ...input, previousBp: removed.target_bp },
      });
  });
}

/**
 * Open dossiers now (received, not ended), per agency, by due time: overdue, due before `periodEnd`, due
 * after it. The open and overdue counts come from the rollups and the small overdue indexes (as on the
 * dashboard); only the smaller side of the split is counted from the rows: dossiers due before a period
 * end that is near, or due after one that is far (index-only scans of dossiers_open_due_idx).
 */
export async function openDueByAgency(
  db: Kysely<Database>,
  scope: StatsScope,
  periodEnd: Date,
  now: Date,
): Promise<Map<string, OpenDueCounts>> {
  const near = periodEnd.getTime() - now.getTime() <= NEAR_PERIOD_END_MS;
  const conds: Expression<SqlBool>[] = [
    sql<SqlBool>`d.received_at is not null and d.ended_at is null and d.received_at <= ${now}`,
    near ? sql<SqlBool>`d.due_at >= ${now} and d.due_at < ${periodEnd}` : sql<SqlBool>`d.due_at >= ${periodEnd}`,
  ];
  // A semi-join, not `= any(array)`: an array of codes would become one index scan per code.
  if (scope.agencyCodes) conds.push(sql<SqlBool>`d.agency_code in (select unnest(${scope.agencyCodes}::text[]))`);
  if (scope.level) conds.push(sql<SqlBool>`d.agency_code in (select code from agencies where level = ${scope.level})`);
  if (scope.procedureCode) conds.push(sql<SqlBool>`d.procedure_code = ${scope.procedureCode}`);
  else if (scope.fieldCode)
    conds.push(sql<SqlBool>`d.procedure_code in (select code from procedures where field_code = ${scope.fieldCode})`);
  const [inFlight, overdue, side] = await Promise.all([
    inFlightByAgency(db, scope, now),
    overdueByAgency(db, scope, now),
    sql<{ agency: string; n: number }>`
      select d.agency_code as agency, count(*)::int as n from dossiers d
      where ${sql.join(conds, sql` and `)}
      group by d.agency_code`.execute(db),
  ]);
  const overdueOf = new Map(overdue.map((r) => [r.agency, Number(r.n)]));
  const sideOf = new Map(side.rows.map((r) => [r.agency, Number(r.n)]));
  const out = new Map<string, OpenDueCounts>();
  for (const agency of new Set([...inFlight.keys(), ...overdueOf.keys(), ...sideOf.keys()])) {
    const o = overdueOf.get(agency) ?? 0;
    const counted = sideOf.get(agency) ?? 0;
    const rest = Math.max(0, (inFlight.get(agency) ?? 0) - o - counted);
    if (o + counted + rest === 0) continue;
    out.set(agency, {
      overdue: o,
      dueBeforePeriodEnd: near ? counted : rest,
      dueAfterPeriodEnd: near ? rest : counted,
    });
  }
  return out;
}

/** Within this much of the period end, the dossiers due before it are the few; beyond, those due after it. */
const NEAR_PERIOD_END_MS = 15 * 86_400_000;

/** Sums per-agency open counts over a set of agencies. */
export function sumOpen(byAgency: ReadonlyMap<string, OpenDueCounts>, codes: Iterable<string>): OpenDueCounts {
  const out = { overdue: 0, dueBeforePeriodEnd: 0, dueAfterPeriodEnd: 0 };
  for (const c of codes) {
    const o = byAgency.get(c);
    if (!o) continue;
    out.overdue += o.overdue;
    out.dueBeforePeriodEnd += o.dueBeforePeriodEnd;
    out.dueAfterPeriodEnd += o.dueAfterPeriodEnd;
  }
  return out;
}
