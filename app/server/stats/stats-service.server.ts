/** Metrics for a period and scope: counts from the database, formulas from the domain. */
import type { Kysely } from "kysely";
import { computeMetrics, decision766Index } from "../../domain/stats/metrics.ts";
import { agencySubtree, cachedCatalogue } from "../catalogue/catalogue-queries.server.ts";
import type { Database } from "../db.server.ts";
import {
  type AgencyCounts,
  countMetrics,
  countMetricsByAgency,
  emptyCounts,
  type Period,
  type StatsScope,
  totalCounts,
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
  const tree = await cachedCatalogue.agencySubtree(db, agencyCode);
  if (tree.length === 0) throw new UnknownAgencyError(agencyCode);
  return { agencyCodes: tree.map((a) => a.code), level };
}

export async function metricsFor(db: Kysely<Database>, period: Period, scope: StatsScope, now = new Date()) {
  const counts = await countMetrics(db, period, scope, now);
  return { counts, metrics: computeMetrics(counts), index: decision766Index(counts) };
}

type TreeAgency = { code: string; parent_code: string | null; name_vi: string; name_en: string; level: string };

/**
 * The root's own desk and each unit directly under it (with its whole subtree), summed from per-agency
 * counts and ranked by Decision 766 score. `codes` are the agencies each row covers.
 */
export function rankUnits(tree: ReadonlyArray<TreeAgency>, rootCode: string, byAgency: Map<string, AgencyCounts>) {
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
  const codesOf = new Map<string, string[]>();
  for (const a of tree) {
    const unit = unitOf(a.code);
    codesOf.set(unit, [...(codesOf.get(unit) ?? []), a.code]);
  }
  return tree
    .filter((a) => a.parent_code === rootCode || a.code === rootCode)
    .map((unit) => {
      const codes = codesOf.get(unit.code) ?? [unit.code];
      const counts = totalCounts(codes.flatMap((c) => byAgency.get(c) ?? []));
      return {
        code: unit.code,
        nameVi: unit.name_vi,
        nameEn: unit.name_en,
        level: unit.level,
        codes,
        counts,
        metrics: computeMetrics(counts),
        score: decision766Index(counts).scoreOutOf100,
      };
    })
    .sort((a, b) => (b.score ?? -1) - (a.score ?? -1));
}

/** The ranking table for a root: one rollup read for the whole tree, summed per unit. */
export async function metricsByUnit(db: Kysely<Database>, period: Period, rootCode: string, now = new Date()) {
  const tree = await agencySubtree(db, rootCode);
  const byAgency = await countMetricsByAgency(db, period, { agencyCodes: tree.map((a) => a.code) }, now);
  return rankUnits(tree, rootCode, byAgency);
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
