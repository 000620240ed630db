/**
 * Metrics: the performance figures of the portal (docs/domain.md#metrics), each defined once and shared by the
 * dashboard, the public API and the exports.
 *
 * A metric is a count of dossiers, payments or procedures, or a ratio between two such counts, for a period
 * and a scope. Counting rows is the database layer's job; this module only receives the counts and applies
 * the formulas, so a formula can be checked by hand and changed in one place.
 *
 * A ratio whose denominator is 0 has no value ("not assessed"), rather than 0% or 100%: an agency that
 * received no dossiers neither failed nor succeeded, and in the Decision 766 index such an indicator is left
 * out of the maximum instead of counting as lost points.
 *
 * The module is pure: no clock, no I/O; the same counts always give the same figures.
 */

export type Ratio = {
  numerator: number;
  denominator: number;
  /** numerator / denominator as a fraction 0..1, unrounded; null when the denominator is 0 (not assessed). */
  value: number | null;
};

export type Ratings = {
  /** Not satisfied. */
  r1: number;
  /** Satisfied. */
  r2: number;
  /** Very satisfied. */
  r3: number;
};

/** Counts for one period and scope, as produced by the database layer. Every field is a non-negative integer. */
export type MetricCounts = {
  /** Dossiers with receipt time in the period. */
  received: number;
  /** Of those, filed through the online channel. */
  receivedOnline: number;
  /** Dossiers whose end time is in the period, by outcome. */
  resolvedEarly: number;
  resolvedOnTime: number;
  resolvedLate: number;
  /** Open at the end of the period, due time passed. */
  overdueOpen: number;
  /** Open at the end of the period, not yet due. */
  openNotYetDue: number;
  /** Successful payments with paid time in the period. */
  feePayments: number;
  /** Of those, by online gateway or bank transfer. */
  cashlessPayments: number;
  /** Active procedures in scope, and of those with a full / partial online service. */
  proceduresTotal: number;
  proceduresFullOnline: number;
  proceduresPartialOnline: number;
  /** Active procedures that charge a fee or charge. */
  proceduresWithFees: number;
  /** Of those, offered for online payment. */
  proceduresWithFeesOnlinePayment: number;
  /** Of those, with at least one online payment actually made in the period. */
  proceduresWithFeesWithOnlinePayment: number;
  /** Dossiers of `full` online procedures received in the period. */
  fullProcedureDossiers: number;
  /** Of those, handled wholly online: filed online, fee paid online or no fee, result returned electronically. */
  handledWhollyOnline: number;
  /** Received dossiers whose every component is an electronic file (uploaded or scanned at intake). */
  digitisedDossiers: number;
  /** Dossiers returned in the period, and of those returned with an electronic result. */
  returned: number;
  returnedElectronic: number;
  /** Dossiers that carry a fee (fee-free dossiers are outside payment denominators, docs/domain.md#payments). */
  feeBearingDossiers: number;
  /** Of those, paid online. */
  dossiersPaidOnline: number;
  /** Received dossiers that reused documents already stored for the applicant. */
  dossiersReusingDocuments: number;
  /**
   * Resolved dossiers (same set as resolvedEarly + resolvedOnTime + resolvedLate) with a complaint or a
   * "not satisfied" rating; each dossier counted once.
   */
  complaintsOrNotSatisfied: number;
  ratings: Ratings;
  /** Active procedures with all mandatory components published. */
  proceduresFullyPublished: number;
  /** Received dossiers whose declaration the citizen signed digitally (a verified signature, ADR 018). */
  citizenSigned: number;
};

/** The headline figures of the API and dashboard: counts as integers, rates as fractions 0..1 or null. */
export type Metrics = {
  received: number;
  receivedOnline: number;
  onlineRate: number | null;
  resolved: number;
  resolvedEarly: number;
  resolvedOnTime: number;
  resolvedLate: number;
  onTimeRate: number | null;
  overdueOpen: number;
  feePayments: number;
  cashlessPayments: number;
  cashlessRate: number | null;
  proceduresTotal: number;
  proceduresFullOnline: number;
  proceduresPartialOnline: number;
  onlineProcedureRate: number | null;
  fullProcessRate: number | null;
  digitisedRate: number | null;
  eResultRate: number | null;
  satisfiedRate: number | null;
  /** Received dossiers signed by the citizen / received (ADR 018). */
  citizenSignedRate: number | null;
};

/** Counts of an empty period or scope: every count 0. */
export function zeroCounts(): MetricCounts {
  return {
    received: 0,
    receivedOnline: 0,
    resolvedEarly: 0,
    resolvedOnTime: 0,
    resolvedLate: 0,
    overdueOpen: 0,
    openNotYetDue: 0,
    feePayments: 0,
    cashlessPayments: 0,
    proceduresTotal: 0,
    proceduresFullOnline: 0,
    proceduresPartialOnline: 0,
    proceduresWithFees: 0,
    proceduresWithFeesOnlinePayment: 0,
    proceduresWithFeesWithOnlinePayment: 0,
    fullProcedureDossiers: 0,
    handledWhollyOnline: 0,
    digitisedDossiers: 0,
    returned: 0,
    returnedElectronic: 0,
    feeBearingDossiers: 0,
    dossiersPaidOnline: 0,
    dossiersReusingDocuments: 0,
    complaintsOrNotSatisfied: 0,
    ratings: { r1: 0, r2: 0, r3: 0 },
    proceduresFullyPublished: 0,
    citizenSigned: 0,
  };
}

const COUNT_FIELDS = [
  "received",
  "receivedOnline",
  "resolvedEarly",
  "resolvedOnTime",
  "resolvedLate",
  "overdueOpen",
  "openNotYetDue",
  "feePayments",
  "cashlessPayments",
  "proceduresTotal",
  "proceduresFullOnline",
  "proceduresPartialOnline",
  "proceduresWithFees",
  "proceduresWithFeesOnlinePayment",
  "proceduresWithFeesWithOnlinePayment",
  "fullProcedureDossiers",
  "handledWhollyOnline",
  "digitisedDossiers",
  "returned",
  "returnedElectronic",
  "feeBearingDossiers",
  "dossiersPaidOnline",
  "dossiersReusingDocuments",
  "complaintsOrNotSatisfied",
  "proceduresFullyPublished",
  "citizenSigned",
] as const satisfies readonly (keyof MetricCounts)[];

function assertCount(value: number, label: string): void {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
    throw new RangeError(`${label} must be a non-negative integer, got ${String(value)}`);
  }
}

// Counts come from SQL aggregates, which some drivers return as strings or bigints; a wrong type must fail
// loudly here instead of concatenating or producing NaN further down.
function assertCounts(counts: MetricCounts): void {
  for (const field of COUNT_FIELDS) assertCount(counts[field], field);
  assertCount(counts.ratings?.r1, "ratings.r1");
  assertCount(counts.ratings?.r2, "ratings.r2");
  assertCount(counts.ratings?.r3, "ratings.r3");
}

/**
 * The one place a fraction is formed. A numerator larger than its denominator means the two counts were
 * taken over different sets (or passed in the wrong order), so it is rejected rather than shown as >100%.
 */
export function ratio(numerator: number, denominator: number): Ratio {
  assertCount(numerator, "numerator");
  assertCount(denominator, "denominator");
  if (numerator > denominator) {
    throw new RangeError(`numerator (${numerator}) must not exceed denominator (${denominator})`);
  }
  return { numerator, denominator, value: denominator === 0 ? null : numerator / denominator };
}

/**
 * Rounds to 2 decimals, half away from zero. Going through 15 significant digits first strips binary noise,
 * so 1.005 (stored as 1.00499999…) and 4 × 0.7 / 0.8 (computed as 3.4999…) round the way they read.
 */
export function round2(x: number): number {
  if (!Number.isFinite(x)) throw new RangeError(`cannot round ${String(x)}`);
  const scaled = Number((Math.abs(x) * 100).toPrecision(15));
  const rounded = Math.round(scaled) / 100;
  return rounded === 0 ? 0 : Math.sign(x) * rounded;
}

/** Share of received dossiers filed online. */
export function onlineRate(received: number, receivedOnline: number): Ratio {
  return ratio(receivedOnline, received);
}

/** Share of resolved dossiers that ended early or on time. */
export function onTimeRate(c: { resolvedEarly: number; resolvedOnTime: number; resolvedLate: number }): Ratio {
  assertCount(c.resolvedEarly, "resolvedEarly");
  assertCount(c.resolvedOnTime, "resolvedOnTime");
  assertCount(c.resolvedLate, "resolvedLate");
  return ratio(c.resolvedEarly + c.resolvedOnTime, c.resolvedEarly + c.resolvedOnTime + c.resolvedLate);
}

/** Share of successful fee payments made by online gateway or bank transfer. */
export function cashlessRate(feePayments: number, cashlessPayments: number): Ratio {
  return ratio(cashlessPayments, feePayments);
}

/** Share of active procedures that have an online service, full or partial. */
export function onlineProcedureRate(c: { total: number; full: number; partial: number }): Ratio {
  assertCount(c.full, "full");
  assertCount(c.partial, "partial");
  return ratio(c.full + c.partial, c.total);
}

/** Share of dossiers of `full` procedures that were handled wholly online. Note: numerator first. */
export function fullProcessRate(handledWhollyOnline: number, fullProcedureDossiers: number): Ratio {
  return ratio(handledWhollyOnline, fullProcedureDossiers);
}

/** Share of received dossiers whose every component is an electronic file. */
export function digitisedRate(received: number, digitisedDossiers: number): Ratio {
  return ratio(digitisedDossiers, received);
}

/** Share of returned dossiers whose result was returned electronically. */
/** Digital-signature adoption: received dossiers the citizen signed digitally, of those received (ADR 018). */
export function citizenSignedRate(received: number, citizenSigned: number): Ratio {
  return ratio(citizenSigned, received);
}

export function eResultRate(returned: number, returnedElectronic: number): Ratio {
  return ratio(returnedElectronic, returned);
}

/** Share of ratings that are "satisfied" (2) or "very satisfied" (3). */
export function satisfiedRate(ratings: Ratings): Ratio {
  assertCount(ratings.r1, "r1");
  assertCount(ratings.r2, "r2");
  assertCount(ratings.r3, "r3");
  return ratio(ratings.r2 + ratings.r3, ratings.r1 + ratings.r2 + ratings.r3);
}

export function computeMetrics(counts: MetricCounts): Metrics {
  assertCounts(counts);
  const c = counts;
  return {
    received: c.received,
    receivedOnline: c.receivedOnline,
    onlineRate: onlineRate(c.received, c.receivedOnline).value,
    resolved: c.resolvedEarly + c.resolvedOnTime + c.resolvedLate,
    resolvedEarly: c.resolvedEarly,
    resolvedOnTime: c.resolvedOnTime,
    resolvedLate: c.resolvedLate,
    onTimeRate: onTimeRate(c).value,
    overdueOpen: c.overdueOpen,
    feePayments: c.feePayments,
    cashlessPayments: c.cashlessPayments,
    cashlessRate: cashlessRate(c.feePayments, c.cashlessPayments).value,
    proceduresTotal: c.proceduresTotal,
    proceduresFullOnline: c.proceduresFullOnline,
    proceduresPartialOnline: c.proceduresPartialOnline,
    onlineProcedureRate: onlineProcedureRate({
      total: c.proceduresTotal,
      full: c.proceduresFullOnline,
      partial: c.proceduresPartialOnline,
    }).value,
    fullProcessRate: fullProcessRate(c.handledWhollyOnline, c.fullProcedureDossiers).value,
    digitisedRate: digitisedRate(c.received, c.digitisedDossiers).value,
    eResultRate: eResultRate(c.returned, c.returnedElectronic).value,
    satisfiedRate: satisfiedRate(c.ratings).value,
    citizenSignedRate: citizenSignedRate(c.received, c.citizenSigned).value,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Decision 766 index (Decision 766/QĐ-TTg, 100 points)
// ---------------------------------------------------------------------------------------------------------

export type Decision766Group =
  | "transparency"
  | "progress"
  | "digitisation"
  | "onlineServices"
  | "onlinePayment"
  | "satisfaction";

export type Decision766IndicatorSpec = {
  id: string;
  group: Decision766Group;
  name: string;
  points: number;
  /** Target ratio T: reaching it earns full points. Null: points × ratio. */
  threshold: number | null;
};

export type Decision766Indicator = Decision766IndicatorSpec & {
  /** Null for indicators the portal has no data for yet. */
  ratio: Ratio | null;
  assessed: boolean;
  /** Rounded to 2 decimals; null when not assessed. */
  score: number | null;
};

export type Decision766Index = {
  indicators: Decision766Indicator[];
  /** Sum of the assessed indicators' (rounded) scores. */
  score: number;
  /** Sum of the assessed indicators' points: the maximum this scope could have scored. */
  maxAssessed: number;
  /** score / maxAssessed × 100, or null when nothing could be assessed. */
  scoreOutOf100: number | null;
};

export const DECISION_766_GROUP_POINTS: Readonly<Record<Decision766Group, number>> = Object.freeze({
  transparency: 18,
  progress: 20,
  digitisation: 22,
  onlineServices: 12,
  onlinePayment: 10,
  satisfaction: 18,
});

/**
 * Points and thresholds, in one table so a revised decision is a data change. Rows ending in ".other" hold
 * the rest of a group's points for indicators the portal has no data for yet (announcement timeliness,
 * petitions, sync); they always show as not assessed. Each group's rows add up to its maximum above.
 */
export const DECISION_766_INDICATORS: readonly Readonly<Decision766IndicatorSpec>[] = Object.freeze([
  {
    id: "1.3",
    group: "transparency",
    name: "Procedures with all mandatory components published",
    points: 2,
    threshold: null,
  },
  {
    id: "1.other",
    group: "transparency",
    name: "Other transparency indicators (no data yet)",
    points: 16,
    threshold: null,
  },
  {
    id: "2.1",
    group: "progress",
    name: "Dossiers ended in time or open and not yet due",
    points: 20,
    threshold: null,
  },
  // docs/domain.md#metrics gives 12 points for the online group but not how they split across its three indicators:
  // 4/4/4 is an assumption (verify). "3.4" is this portal's id for full-process handling, which the text
  // names without a number (verify); the text gives it no threshold, so it scores points × ratio.
  {
    id: "3.1",
    group: "onlineServices",
    name: "Procedures with an online service",
    points: 4,
    threshold: 0.8,
  },
  {
    id: "3.3",
    group: "onlineServices",
    name: "Dossiers filed online",
    points: 4,
    threshold: 0.5,
  },
  {
    id: "3.4",
    group: "onlineServices",
    name: "Dossiers of full online procedures handled wholly online",
    points: 4,
    threshold: null,
  },
  {
    id: "3.5a",
    group: "onlinePayment",
    name: "Procedures with fees offered for online payment",
    points: 2,
    threshold: 0.8,
  },
  {
    id: "3.5b",
    group: "onlinePayment",
    name: "Procedures with fees with at least one online payment",
    points: 2,
    threshold: 0.8,
  },
  {
    id: "3.6",
    group: "onlinePayment",
    name: "Fee-bearing dossiers paid online",
    points: 6,
    threshold: null,
  },
  {
    id: "4.1",
    group: "digitisation",
    name: "Returned dossiers with an electronic result",
    points: 6,
    threshold: null,
  },
  {
    id: "4.2",
    group: "digitisation",
    name: "Received dossiers fully digitised",
    points: 4,
    threshold: 0.8,
  },
  {
    id: "4.3",
    group: "digitisation",
    name: "Received dossiers reusing stored documents",
    points: 2,
    threshold: 0.8,
  },
  {
    id: "4.other",
    group: "digitisation",
    name: "Other digitisation indicators (no data yet)",
    points: 10,
    threshold: null,
  },
  {
    id: "5.4",
    group: "satisfaction",
    name: "1 − (late rate + rate of dossiers with a complaint or a “not satisfied” rating)",
    points: 6,
    threshold: 0.9,
  },
  {
    id: "5.other",
    group: "satisfaction",
    name: "Other satisfaction indicators (no data yet)",
    points: 12,
    threshold: null,
  },
]);

/**
 * 5.4 as one fraction over resolved dossiers: 1 − late/resolved − complaints/resolved
 * = (resolved − late − complaints) / resolved. Both rates are taken over resolved dossiers (verify: the text
 * does not name the denominator of the complaint rate). A dossier both late and complained about is counted
 * in both rates, as the text adds them, so the result is floored at 0 instead of going negative.
 */
function satisfactionIndicatorRatio(c: MetricCounts): Ratio {
  const resolved = c.resolvedEarly + c.resolvedOnTime + c.resolvedLate;
  ratio(c.complaintsOrNotSatisfied, resolved);
  return ratio(Math.max(0, resolved - c.resolvedLate - c.complaintsOrNotSatisfied), resolved);
}

// The formula behind each indicator the portal can compute, reusing the metric functions above so each
// definition exists once. Ids missing here are the "no data yet" rows.
const INDICATOR_RATIOS: Readonly<Record<string, (c: MetricCounts) => Ratio>> = {
  "1.3": (c) => ratio(c.proceduresFullyPublished, c.proceduresTotal),
  "2.1": (c) =>
    ratio(
      c.resolvedEarly + c.resolvedOnTime + c.openNotYetDue,
      c.resolvedEarly + c.resolvedOnTime + c.resolvedLate + c.overdueOpen + c.openNotYetDue,
    ),
  "3.1": (c) =>
    onlineProcedureRate({ total: c.proceduresTotal, full: c.proceduresFullOnline, partial: c.proceduresPartialOnline }),
  "3.3": (c) => onlineRate(c.received, c.receivedOnline),
  "3.4": (c) => fullProcessRate(c.handledWhollyOnline, c.fullProcedureDossiers),
  "3.5a": (c) => ratio(c.proceduresWithFeesOnlinePayment, c.proceduresWithFees),
  "3.5b": (c) => ratio(c.proceduresWithFeesWithOnlinePayment, c.proceduresWithFees),
  "3.6": (c) => ratio(c.dossiersPaidOnline, c.feeBearingDossiers),
  "4.1": (c) => eResultRate(c.returned, c.returnedElectronic),
  "4.2": (c) => digitisedRate(c.received, c.digitisedDossiers),
  // Over received dossiers, like 4.2 (verify: the text names only the numerator).
  "4.3": (c) => ratio(c.dossiersReusingDocuments, c.received),
  "5.4": satisfactionIndicatorRatio,
};

/** points × min(1, ratio / T) with a threshold, points × ratio without. */
function indicatorScore(points: number, threshold: number | null, value: number): number {
  return threshold === null ? points * value : points * Math.min(1, value / threshold);
}

export function decision766Index(counts: MetricCounts): Decision766Index {
  assertCounts(counts);
  const indicators = DECISION_766_INDICATORS.map((spec): Decision766Indicator => {
    const formula = INDICATOR_RATIOS[spec.id];
    const r = formula ? formula(counts) : null;
    if (r === null || r.value === null) return { ...spec, ratio: r, assessed: false, score: null };
    return { ...spec, ratio: r, assessed: true, score: round2(indicatorScore(spec.points, spec.threshold, r.value)) };
  });
  // The total adds the rounded indicator scores, so the published table adds up to the published total.
  let score = 0;
  let maxAssessed = 0;
  for (const indicator of indicators) {
    if (indicator.score === null) continue;
    score += indicator.score;
    maxAssessed += indicator.points;
  }
  score = round2(score);
  return {
    indicators,
    score,
    maxAssessed,
    scoreOutOf100: maxAssessed === 0 ? null : round2((score / maxAssessed) * 100),
  };
}
