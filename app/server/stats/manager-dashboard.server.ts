/**
 * The manager's dashboard: who may see it, which period and scope a request asks for (read from the URL,
 * so every view is a shareable link and works as a plain GET form), and the data of its tables: headline
 * numbers, indicators against targets with the on-time forecast, units ranked by Decision 766 score, trend.
 *
 * A manager only ever sees their own agency's subtree: an agency outside it is refused with a message,
 * never shown. Bad input (impossible dates, reversed or huge ranges, unknown codes) is reported per field
 * and replaced by the default, never a 500.
 */

import type { Kysely } from "kysely";
import { isReportingDate } from "../../domain/calendar/iso-date.ts";
import { toVnDateString, vnDateTime } from "../../domain/calendar/working-calendar.ts";
import type { DrillMetric } from "../../domain/stats/drill-metrics.ts";
import {
  assessTarget,
  NO_OPEN_DOSSIERS,
  type OpenDueCounts,
  projectedOnTimeRate,
  TARGET_INDICATORS,
  type TargetIndicator,
  type TargetStatus,
} from "../../domain/stats/forecast.ts";
import { computeMetrics, decision766Index, type MetricCounts, type Metrics } from "../../domain/stats/metrics.ts";
import { LEVELS, type Level, PRESETS, type Preset, type ScopeFilters } from "../../domain/stats/scope-filters.ts";
import { MAX_RANGE_DAYS } from "../../utils/metrics-query-schema.ts";
import type { SessionUser } from "../auth.server.ts";
import { requirePermission } from "../auth.server.ts";
import { type agencySubtree, cachedCatalogue } from "../catalogue/catalogue-queries.server.ts";
import { type Database, db, db as primaryDb } from "../db.server.ts";
import { readNotice, readWith } from "../read-db.server.ts";
import { codesExistingIn, levelsInPeriod } from "../units/units.server.ts";
import { cachedStats } from "./stats-cache.server.ts";
import { countMetricsByAgency, type Period, type StatsScope, totalCounts } from "./stats-queries.server.ts";
import { monthlyTrend, rankUnits } from "./stats-service.server.ts";
import { openDueByAgency, sumOpen, targetResolver } from "./targets.server.ts";
import { emptyUnitsLast } from "./unit-ranking.ts";

export type Manager = SessionUser & { agencyCode: string };

export async function requireManager(request: Request): Promise<Manager> {
  const user = await requirePermission(request, "read:stats:agency");
  if (user.role !== "manager" || !user.agencyCode) throw new Response("Forbidden", { status: 403 });
  return { ...user, agencyCode: user.agencyCode };
}

/** What the form shows: the values in force (after defaults replaced bad input). */
export type Filters = ScopeFilters;

/** Problems with the request, per form field, as i18n keys. */
export type Problems = Partial<Record<keyof Filters | "metric" | "page", string>>;

export type Selection = {
  filters: Filters;
  period: Period;
  scope: StatsScope;
  /** The canonical query string of this selection (no page, no metric), for links and exports. */
  query: string;
  problems: Problems;
  tree: Awaited<ReturnType<typeof agencySubtree>>;
};

const FIELD_NAMES = [
  "period",
  "year",
  "quarter",
  "month",
  "from",
  "to",
  "agency",
  "level",
  "field",
  "procedure",
] as const;

const lastDay = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
const pad = (n: number) => String(n).padStart(2, "0");

/**
 * The period a request asks for. Presets: a calendar year, quarter or month; or a custom range. Without
 * any period parameter: the current year. `from`/`to` alone mean a custom range (older links).
 */
export function resolvePeriod(
  raw: Partial<Record<(typeof FIELD_NAMES)[number], string>>,
  today: string,
): { filters: Pick<Filters, "period" | "year" | "quarter" | "month" | "from" | "to">; problems: Problems } {
  const problems: Problems = {};
  const nowYear = Number(today.slice(0, 4));
  const nowMonth = Number(today.slice(5, 7));
  const preset = (raw.period || (raw.from || raw.to ? "custom" : "year")) as Preset;
  if (!(PRESETS as readonly string[]).includes(preset)) problems.period = "stats:errors.preset";
  const int = (v: string | undefined, min: number, max: number, fallback: number, key: keyof Problems) => {
    if (v === undefined || v === "") return fallback;
    const n = /^\d{1,4}$/.test(v) ? Number(v) : Number.NaN;
    if (Number.isInteger(n) && n >= min && n <= max) return n;
    problems[key] = `stats:errors.${key}`;
    return fallback;
  };
  const year = int(raw.year, 2000, 2100, nowYear, "year");
  const quarter = int(raw.quarter, 1, 4, Math.ceil(nowMonth / 3), "quarter");
  const month = int(raw.month, 1, 12, nowMonth, "month");
  let from = `${nowYear}-01-01`;
  let to = `${nowYear}-12-31`;
  if (preset === "year" && !problems.year) {
    from = `${year}-01-01`;
    to = `${year}-12-31`;
  } else if (preset === "quarter" && !problems.year && !problems.quarter) {
    from = `${year}-${pad(quarter * 3 - 2)}-01`;
    to = lastDay(year, quarter * 3);
  } else if (preset === "month" && !problems.year && !problems.month) {
    from = `${year}-${pad(month)}-01`;
    to = lastDay(year, month);
  } else if (preset === "custom") {
    const f = raw.from ?? "";
    const t = raw.to ?? "";
    if (!isReportingDate(f)) problems.from = "stats:errors.date";
    if (!isReportingDate(t)) problems.to = "stats:errors.date";
    if (!problems.from && !problems.to) {
      if (f > t) problems.to = "stats:errors.reversed";
      else if ((Date.parse(t) - Date.parse(f)) / 86_400_000 > MAX_RANGE_DAYS) problems.to = "stats:errors.tooLong";
      else {
        from = f;
        to = t;
      }
    }
  }
  const failed = Object.keys(problems).length > 0;
  return {
    filters: {
      period: failed || !(PRESETS as readonly string[]).includes(preset) ? "year" : preset,
      year: String(failed ? nowYear : year),
      quarter: String(quarter),
      month: String(month),
      from,
      to,
    },
    problems,
  };
}

function readRaw(url: URL) {
  const raw: Partial<Record<(typeof FIELD_NAMES)[number], string>> = {};
  for (const name of FIELD_NAMES) {
    const v = url.searchParams.get(name);
    if (v !== null) raw[name] = v.trim().slice(0, 100);
  }
  return raw;
}

/** Reads and checks the period and scope of a dashboard, drill-down or export request. */
export async function readSelection(url: URL, user: Manager, now: Date): Promise<Selection> {
  const raw = readRaw(url);
  const { filters: periodFilters, problems } = resolvePeriod(raw, toVnDateString(now));
  const tree = await cachedCatalogue.agencySubtree(db, user.agencyCode);
  let agency = user.agencyCode;
  if (raw.agency) {
    if (tree.some((a) => a.code === raw.agency)) agency = raw.agency;
    else problems.agency = "stats:errors.agency";
  }
  let level: Level | undefined;
  if (raw.level) {
    if ((LEVELS as readonly string[]).includes(raw.level)) level = raw.level as Level;
    else problems.level = "stats:errors.level";
  }
  let field: string | undefined;
  if (raw.field) {
    const row = await db.selectFrom("fields").select("code").where("code", "=", raw.field).executeTakeFirst();
    if (row) field = row.code;
    else problems.field = "stats:errors.field";
  }
  let procedure: string | undefined;
  if (raw.procedure) {
    const row = await db
      .selectFrom("procedures")
      .select(["code", "field_code"])
      .where("code", "=", raw.procedure)
      .executeTakeFirst();
    if (!row) problems.procedure = "stats:errors.procedure";
    else if (field && row.field_code !== field) problems.procedure = "stats:errors.procedureField";
    else procedure = row.code;
  }
  const inAgency = subtreeOf(tree, agency);
  const scope: StatsScope = { agencyCodes: inAgency, level, fieldCode: field, procedureCode: procedure };
  const filters: Filters = {
    ...periodFilters,
    agency,
    level: level ?? "",
    field: field ?? "",
    procedure: procedure ?? "",
  };
  return {
    filters,
    period: { from: filters.from, to: filters.to },
    scope,
    query: selectionQuery(filters),
    problems,
    tree,
  };
}

/** The canonical query string of a selection: the preset's own parameters and the non-empty scope ones. */
export function selectionQuery(f: Filters): string {
  const q = new URLSearchParams({ period: f.period });
  if (f.period === "custom") {
    q.set("from", f.from);
    q.set("to", f.to);
  } else {
    q.set("year", f.year);
    if (f.period === "quarter") q.set("quarter", f.quarter);
    if (f.period === "month") q.set("month", f.month);
  }
  q.set("agency", f.agency);
  if (f.level) q.set("level", f.level);
  if (f.field) q.set("field", f.field);
  if (f.procedure) q.set("procedure", f.procedure);
  return q.toString();
}

/** Codes of `root` and every unit below it, from a subtree listing. */
export function subtreeOf(tree: ReadonlyArray<{ code: string; parent_code: string | null }>, root: string): string[] {
  const children = new Map<string, string[]>();
  for (const a of tree) {
    if (!a.parent_code) continue;
    const list = children.get(a.parent_code) ?? [];
    list.push(a.code);
    children.set(a.parent_code, list);
  }
  const out: string[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const c = stack.pop() as string;
    out.push(c);
    stack.push(...(children.get(c) ?? []));
  }
  return out;
}

/**
 * Options of the scope form: the manager's units (indented by depth), fields and procedures. With a period,
 * only the units that existed during it (and the selected one) are offered, with the levels of local
 * government of that period (ADR 016: 2023 has province, district, commune; 2026 province, commune).
 */
export async function scopeOptions(
  tree: Selection["tree"],
  lng: string,
  asOf?: { period: Period; selected: string },
  /**
   * The selected field and procedure: the procedure list offers the field's procedures only (a province has
   * over a thousand; one select of all of them made the page heavy and hard to use), or just the selected one.
   */
  narrow?: { field: string; procedure: string },
) {
  const [{ fields, procedures }, existing, levels] = await Promise.all([
    cachedCatalogue.scopeLists(db),
    asOf ? codesExistingIn(db, asOf.period.from, asOf.period.to) : null,
    asOf ? levelsInPeriod(db, asOf.period.from, asOf.period.to) : null,
  ]);
  const name = (r: { name_vi: string; name_en: string }) => (lng === "en" ? r.name_en : r.name_vi);
  const inPeriod = existing;
  return {
    agencies: tree
      .filter((a) => !inPeriod || inPeriod.has(a.code) || a.code === asOf?.selected)
      .map((a) => ({ code: a.code, name: name(a), depth: a.depth })),
    levels: levels ?? [...LEVELS],
    fields: fields.map((f) => ({ code: f.code, name: name(f) })),
    procedures: procedures
      .filter((p) => (narrow?.field ? p.field_code === narrow.field : p.code === narrow?.procedure))
      .map((p) => ({ code: p.code, name: name(p), field: p.field_code })),
  };
}

/** The counts behind each target indicator: which drill-down lists its numerator and denominator. */
const INDICATOR_PARTS: Record<
  TargetIndicator,
  {
    numerator: { metric: DrillMetric | null; count: (c: MetricCounts) => number };
    denominator: { metric: DrillMetric | null; count: (c: MetricCounts) => number };
  }
> = {
  onTimeRate: {
    numerator: { metric: "resolvedInTime", count: (c) => c.resolvedEarly + c.resolvedOnTime },
    denominator: { metric: "resolved", count: (c) => c.resolvedEarly + c.resolvedOnTime + c.resolvedLate },
  },
  onlineRate: {
    numerator: { metric: "receivedOnline", count: (c) => c.receivedOnline },
    denominator: { metric: "received", count: (c) => c.received },
  },
  cashlessRate: {
    numerator: { metric: "cashlessPayments", count: (c) => c.cashlessPayments },
    denominator: { metric: "feePayments", count: (c) => c.feePayments },
  },
  fullProcessRate: {
    numerator: { metric: "handledWhollyOnline", count: (c) => c.handledWhollyOnline },
    denominator: { metric: "fullProcedureDossiers", count: (c) => c.fullProcedureDossiers },
  },
  digitisedRate: {
    numerator: { metric: "digitisedDossiers", count: (c) => c.digitisedDossiers },
    denominator: { metric: "received", count: (c) => c.received },
  },
  eResultRate: {
    numerator: { metric: "returnedElectronic", count: (c) => c.returnedElectronic },
    denominator: { metric: "returned", count: (c) => c.returned },
  },
  satisfiedRate: {
    numerator: { metric: "ratedSatisfied", count: (c) => c.ratings.r2 + c.ratings.r3 },
    denominator: { metric: "rated", count: (c) => c.ratings.r1 + c.ratings.r2 + c.ratings.r3 },
  },
  // Signed by the citizen (ADR 018): no drill-down list of its own yet; the denominator is the received list.
  citizenSignedRate: {
    numerator: { metric: null, count: (c) => c.citizenSigned },
    denominator: { metric: "received", count: (c) => c.received },
  },
  // Procedures, not dossiers: no drill-down list.
  onlineProcedureRate: {
    numerator: { metric: null, count: (c) => c.proceduresFullOnline + c.proceduresPartialOnline },
    denominator: { metric: null, count: (c) => c.proceduresTotal },
  },
};

export type TargetCheck = {
  indicator: TargetIndicator;
  value: number | null;
  target: number | null;
  /** Where the applying target was set (the unit itself or an ancestor). */
  targetSetOn: string | null;
  projected: number | null;
  status: TargetStatus;
};

function checkTargets(
  metrics: Metrics,
  open: OpenDueCounts | null,
  targetFor: (indicator: TargetIndicator) => { target: number; setOn: string } | null,
): TargetCheck[] {
  return TARGET_INDICATORS.map((indicator) => {
    const t = targetFor(indicator);
    const projected = indicator === "onTimeRate" && open ? projectedOnTimeRate(metrics, open).value : null;
    const value = metrics[indicator];
    return {
      indicator,
      value,
      target: t?.target ?? null,
      targetSetOn: t?.setOn ?? null,
      projected,
      status: assessTarget(value, t?.target ?? null, projected),
    };
  });
}

/** The counted part of a dashboard: the expensive reads of the rollups and open dossiers. */
async function dashboardFigures(sel: Selection, now: Date, db: Kysely<Database> = primaryDb) {
  const { period, scope } = sel;
  const start = vnDateTime(period.from, 0);
  const end = vnDateTime(period.to, 1440);
  // A forecast only makes sense while the period is running.
  const forecasting = start <= now && now < end;
  const today = toVnDateString(now);
  const trendPeriod = { from: period.from, to: period.to.localeCompare(today) < 0 ? period.to : today };
  // One rollup read per agency serves both the headline figures (their sum) and the unit ranking.
  const [byAgency, trend, open, existing] = await Promise.all([
    countMetricsByAgency(db, period, scope, now),
    trendPeriod.from <= trendPeriod.to ? monthlyTrend(db, trendPeriod, scope, now) : Promise.resolve([]),
    forecasting ? openDueByAgency(db, scope, end, now) : Promise.resolve(new Map<string, OpenDueCounts>()),
    codesExistingIn(db, period.from, period.to),
  ]);
  // Sums per unit and overall are computed once with the figures (they union every agency's procedure sets).
  const overallCounts = totalCounts(byAgency.values());
  const overall = {
    counts: overallCounts,
    metrics: computeMetrics(overallCounts),
    index: decision766Index(overallCounts),
  };
  const inScope = sel.tree.filter((a) => scope.agencyCodes?.includes(a.code));
  // Units that did not exist in the period (ADR 016) are left out of the ranking unless they have dossiers in
  // it; units with nothing to measure go last.
  const units = emptyUnitsLast(
    rankUnits(inScope, sel.filters.agency, byAgency).filter(
      (u) =>
        existing.has(u.code) ||
        u.counts.received > 0 ||
        u.counts.resolvedEarly + u.counts.resolvedOnTime + u.counts.resolvedLate > 0 ||
        u.counts.overdueOpen > 0,
    ),
  );
  return { overall, units, trend, open, forecasting };
}

/**
 * The dashboard for a selection, its figures kept for a short while (stats-cache.server.ts): the page and
 * its CSV export show the same figures, with the time they were computed. Targets are read fresh, so a
 * target just set shows at once.
 */
export async function cachedDashboardData(sel: Selection, now = new Date()) {
  const { level, fieldCode, procedureCode } = sel.scope;
  const key = JSON.stringify([
    "dashboard",
    sel.tree[0]?.code ?? "",
    sel.filters.agency,
    level,
    fieldCode,
    procedureCode,
  ]);
  const [figures, targets] = await Promise.all([
    // The figures come from the replica when it is fresh enough (read-db.server.ts), with a note saying so,
    // kept with the answer: a cached answer tells where and how fresh it was when computed.
    readWith((choice) =>
      cachedStats(choice.db, key, sel.period, now, async () => ({
        figures: await dashboardFigures(sel, now, choice.db),
        read: readNotice(choice),
      })),
    ),
    targetResolver(primaryDb, sel.filters.agency),
  ]);
  return {
    value: assembleDashboard(sel, figures.value.figures, targets),
    computedAt: figures.computedAt,
    read: figures.value.read,
  };
}

/** The dashboard computed now, nothing kept. */
export async function dashboardData(sel: Selection, now = new Date()) {
  const [figures, targets] = await Promise.all([dashboardFigures(sel, now), targetResolver(db, sel.filters.agency)]);
  return assembleDashboard(sel, figures, targets);
}

function assembleDashboard(
  sel: Selection,
  figures: Awaited<ReturnType<typeof dashboardFigures>>,
  targets: Awaited<ReturnType<typeof targetResolver>>,
) {
  const { overall, units, trend, open, forecasting } = figures;
  const overallOpen = forecasting ? sumOpen(open, open.keys()) : null;
  const indicators = checkTargets(overall.metrics, overallOpen, (i) => targets.targetFor(sel.filters.agency, i)).map(
    (check) => {
      const parts = INDICATOR_PARTS[check.indicator];
      return {
        ...check,
        numerator: { metric: parts.numerator.metric, count: parts.numerator.count(overall.counts) },
        denominator: { metric: parts.denominator.metric, count: parts.denominator.count(overall.counts) },
      };
    },
  );
  const rankedWithTargets = units.map(({ codes, counts: _, ...u }) => {
    const unitOpen = forecasting ? sumOpen(open, codes) : null;
    const checks = checkTargets(u.metrics, unitOpen, (i) => targets.targetFor(u.code, i));
    return {
      ...u,
      below: checks.filter((c) => c.status === "below").map((c) => c.indicator),
      forecastBelow: checks.filter((c) => c.status === "forecastBelow").map((c) => c.indicator),
      onTimeProjected: checks.find((c) => c.indicator === "onTimeRate")?.projected ?? null,
    };
  });
  return {
    overall: { counts: overall.counts, metrics: overall.metrics, index: overall.index },
    indicators,
    units: rankedWithTargets,
    trend,
    forecasting,
    open: overallOpen ?? NO_OPEN_DOSSIERS,
  };
}
