/**
 * Targets and forecasts: a manager sets a target per indicator (e.g. on-time rate ≥ 99.7%) for a unit, and
 * the dashboard says whether the unit is below it now and whether it is forecast to fall below it by the end
 * of the period.
 *
 * Every indicator here is "higher is better" and a target is a minimum share (0..1). A target set on a unit
 * applies to the units under it unless one of them has its own (the nearest one wins).
 *
 * The forecast is only made for the on-time rate, the one indicator whose end-of-period value is already
 * largely decided by the dossiers that are open now and their due dates. Assumptions (the portal's own,
 * verify with the province):
 * - An open dossier whose due time has passed will end within the period, late: it can no longer be on time.
 * - An open dossier due before the period ends, not yet overdue, will end within the period in time. This is
 *   the best case for it, so the projection is an upper bound on what the open dossiers can add: a forecast
 *   below target means the target is missed unless dossiers beyond these are resolved early.
 * - An open dossier due after the period ends is assumed to end after it and is left out.
 * - Dossiers not yet received are left out: their number is unknown and most end after the period.
 * The module is pure: no clock, no I/O.
 */
import { onTimeRate, type Ratio, ratio } from "./metrics.ts";

/** Indicators a manager can set a target for; each is a rate of the dashboard's Metrics. */
export const TARGET_INDICATORS = [
  "onTimeRate",
  "onlineRate",
  "cashlessRate",
  "fullProcessRate",
  "digitisedRate",
  "eResultRate",
  "satisfiedRate",
  "onlineProcedureRate",
  "citizenSignedRate",
] as const;
export type TargetIndicator = (typeof TARGET_INDICATORS)[number];

export function isTargetIndicator(v: unknown): v is TargetIndicator {
  return typeof v === "string" && (TARGET_INDICATORS as readonly string[]).includes(v);
}

/** Open dossiers of a scope, now, by their due time relative to now and to the period's end. */
export type OpenDueCounts = {
  /** Due time already passed. */
  overdue: number;
  /** Not yet overdue, due before the period ends. */
  dueBeforePeriodEnd: number;
  /** Due at or after the period's end. */
  dueAfterPeriodEnd: number;
};

export const NO_OPEN_DOSSIERS: OpenDueCounts = Object.freeze({
  overdue: 0,
  dueBeforePeriodEnd: 0,
  dueAfterPeriodEnd: 0,
});

/**
 * Projected on-time rate at the period's end:
 * (early + on time + open due before the end and not yet overdue) / (resolved + open overdue + open due before the end).
 */
export function projectedOnTimeRate(
  resolved: { resolvedEarly: number; resolvedOnTime: number; resolvedLate: number },
  open: OpenDueCounts,
): Ratio {
  // Validates the resolved counts the same way the on-time rate does.
  onTimeRate(resolved);
  const inTime = resolved.resolvedEarly + resolved.resolvedOnTime;
  const all = inTime + resolved.resolvedLate;
  return ratio(inTime + open.dueBeforePeriodEnd, all + open.overdue + open.dueBeforePeriodEnd);
}

export type TargetStatus =
  /** No target applies. */
  | "noTarget"
  /** The rate has no value (denominator 0). */
  | "notAssessed"
  /** The rate is below target now. */
  | "below"
  /** At or above target now, but the projection at period end is below it. */
  | "forecastBelow"
  | "met";

// Rates are ratios of integers and targets are stored to 0.01 percentage point; comparing with a small
// tolerance keeps 997/1000 "at" a 99.7% target despite binary rounding.
const EPSILON = 1e-9;

/**
 * Where a rate stands against its target. `projected` is the forecast at period end, or null when no forecast
 * is made (a period that has ended, or an indicator that is not forecast).
 */
export function assessTarget(
  value: number | null,
  target: number | null,
  projected: number | null = null,
): TargetStatus {
  if (target === null) return "noTarget";
  if (value === null) return projected !== null && projected < target - EPSILON ? "forecastBelow" : "notAssessed";
  if (value < target - EPSILON) return "below";
  if (projected !== null && projected < target - EPSILON) return "forecastBelow";
  return "met";
}

/** The target that applies to a unit: its own, else its nearest ancestor's. */
export function effectiveTarget(
  agencyCode: string,
  parentOf: (code: string) => string | null,
  targetOf: (code: string) => number | undefined,
): { target: number; setOn: string } | null {
  let current: string | null = agencyCode;
  for (let guard = 0; current && guard < 100; guard++) {
    const t = targetOf(current);
    if (t !== undefined) return { target: t, setOn: current };
    current = parentOf(current);
  }
  return null;
}

/** A target typed as a percentage ("99.7" or "99,7") → basis points (9970); null when not a valid 0..100. */
export function parseTargetPercent(input: string): number | null {
  const s = input.trim().replace(",", ".").replace(/%$/, "").trim();
  if (!/^\d{1,3}(\.\d{1,2})?$/.test(s)) return null;
  const bp = Math.round(Number(s) * 100);
  return bp >= 0 && bp <= 10_000 ? bp : null;
}
