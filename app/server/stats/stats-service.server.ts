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

export async function monthlyTrend(db: Kysely<Database>, period: Period, scope: StatsScope, now = new Date()) {
  const points = [];
  for (const m of monthsOf(period)) {
    const { metrics } = await metricsFor(db, { from: m.from, to: m.to }, scope, now);
    points.push({ month: m.month, onTimeRate: metrics.onTimeRate, onlineRate: metrics.onlineRate });
  }
  return points;
}
