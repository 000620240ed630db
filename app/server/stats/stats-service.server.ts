/** Metrics for a period and scope: counts from the database, formulas from the domain. */
import type { Kysely } from "kysely";
import { computeMetrics, decision766Index } from "../../domain/stats/metrics.ts";
import { agencyByCode, agencySubtree } from "../catalogue/catalogue-queries.server.ts";
import type { Database } from "../db.server.ts";
import { countMetrics, type Period, type StatsScope } from "./stats-queries.server.ts";

export class UnknownAgencyError extends Error {
  override name = "UnknownAgencyError";
}

export async function scopeOf(
  db: Kysely<Database>,
  agencyCode: string | undefined,
  level?: StatsScope["level"],
): Promise<StatsScope> {
  if (!agencyCode) return { agencyCodes: null, level };
  if (!(await agencyByCode(db, agencyCode))) throw new UnknownAgencyError(agencyCode);
  const tree = await agencySubtree(db, agencyCode);
  return { agencyCodes: tree.map((a) => a.code), level };
}

export async function metricsFor(db: Kysely<Database>, period: Period, scope: StatsScope, now = new Date()) {
  const counts = await countMetrics(db, period, scope, now);
  return { counts, metrics: computeMetrics(counts), index: decision766Index(counts) };
}

/** One row per unit directly under the root (each with its own subtree), for the ranking table. */
export async function metricsByUnit(db: Kysely<Database>, period: Period, rootCode: string, now = new Date()) {
  const tree = await agencySubtree(db, rootCode);
  const children = tree.filter((a) => a.parent_code === rootCode || a.code === rootCode);
  const rows = [];
  for (const unit of children) {
    const codes =
      unit.code === rootCode ? [rootCode] : tree.filter((a) => isUnder(tree, a.code, unit.code)).map((a) => a.code);
    const { metrics, index } = await metricsFor(db, period, { agencyCodes: codes }, now);
    rows.push({
      code: unit.code,
      nameVi: unit.name_vi,
      nameEn: unit.name_en,
      level: unit.level,
      metrics,
      score: index.scoreOutOf100,
    });
  }
  return rows.sort((a, b) => (b.score ?? -1) - (a.score ?? -1));
}

function isUnder(tree: Array<{ code: string; parent_code: string | null }>, code: string, ancestor: string): boolean {
  let current: string | null = code;
  while (current) {
    if (current === ancestor) return true;
    current = tree.find((a) => a.code === current)?.parent_code ?? null;
  }
  return false;
}
