/** Metrics for a period and scope: counts from the database, formulas from the domain. */
import type { Kysely } from "kysely";
import { computeMetrics, decision766Index } from "../../domain/stats/metrics.ts";
import { agencyByCode, agencySubtree } from "../catalogue/catalogue-queries.server.ts";
import type { Database } from "../db.server.ts";
import {
  type AgencyCounts,
  addCounts,
  countMetrics,
  countMetricsByAgency,
  emptyCounts,
  type Period,
  type StatsScope,
  trendCounts,
} from "./stats-queries.server.ts";

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

/**
 * One row per unit directly under the root (each with its own subtree) and the root's own desk, for the
 * ranking table: one rollup read for the whole tree, summed per unit here.
 */
export async function metricsByUnit(db: Kysely<Database>, period: Period, rootCode: string, now = new Date()) {
  const tree = await agencySubtree(db, rootCode);
  const parent = new Map(tree.map((a) => [a.code, a.parent_code]));
  const unitOf = (code: string): string => {
    let current = code;
    for (let guard = 0; guard < 100; guard++) {
      const p = parent.get(current);
      if (current === rootCode || p === rootCode || p == null) return current;
      current = p;
    }
    return current;
  };
  const byAgency = await countMetricsByAgency(db, period, { agencyCodes: tree.map((a) => a.code) }, now);
  const perUnit = new Map<string, AgencyCounts>();
  for (const [agency, counts] of byAgency) {
    const unit = unitOf(agency);
    perUnit.set(unit, addCounts(perUnit.get(unit) ?? emptyCounts(), counts));
  }
  const rows = tree
    .filter((a) => a.parent_code === rootCode || a.code === rootCode)
    .map((unit) => {
      const { onlinePaidProcedures: _, ...counts } = perUnit.get(unit.code) ?? emptyCounts();
      const index = decision766Index(counts);
      return {
        code: unit.code,
        nameVi: unit.name_vi,
        nameEn: unit.name_en,
        level: unit.level,
        counts,
        metrics: computeMetrics(counts),
        score: index.scoreOutOf100,
      };
    });
  return rows.sort((a, b) => (b.score ?? -1) - (a.score ?? -1));
}

/** Months (YYYY-MM) covered by a period, the last 12 at most. */
export function monthsOf(period: Period): Array<{ month: string; from: string; to: string }> {
  const out: Array<{ month: string; from: string; to: string }> = [];
  let y = Number(period.from.slice(0, 4));
  let m = Number(period.from.slice(5, 7));
  const endKey = period.to.slice(0, 7);
  for (let guard = 0; guard < 1000; guard++) {
    const month = `${y}-${String(m).padStart(2, "0")}`;
    const last = new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
    out.push({
      month,
      from: month === period.from.slice(0, 7) ? period.from : `${month}-01`,
      to: month === endKey ? period.to : last,
    });
    if (month >= endKey) break;
    m++;
    if (m > 12) {
      m = 1;
      y++;
    }
  }
  return out.slice(-12);
}

/** On-time and online rates per month (the last 12 months of the period), in one rollup read. */
export async function monthlyTrend(db: Kysely<Database>, period: Period, scope: StatsScope, _now = new Date()) {
  const months = monthsOf(period);
  const first = months[0];
  const last = months[months.length - 1];
  if (!first || !last) return [];
  const byMonth = await trendCounts(db, { from: first.from, to: last.to }, scope);
  return months.map((m) => {
    const counts = { ...emptyCounts(), ...byMonth.get(m.month) };
    const metrics = computeMetrics(counts);
    return { month: m.month, onTimeRate: metrics.onTimeRate, onlineRate: metrics.onlineRate };
  });
}
