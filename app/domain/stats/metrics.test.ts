import { describe, expect, it } from "vitest";
import {
  cashlessRate,
  computeMetrics,
  DECISION_766_GROUP_POINTS,
  DECISION_766_INDICATORS,
  decision766Index,
  digitisedRate,
  eResultRate,
  fullProcessRate,
  type MetricCounts,
  onlineProcedureRate,
  onlineRate,
  onTimeRate,
  ratio,
  round2,
  satisfiedRate,
  zeroCounts,
} from "./metrics";

const ZERO_COUNTS: MetricCounts = zeroCounts();

/**
 * A small scope whose Decision 766 scores are worked out by hand below. Chosen so that some indicators hit
 * their threshold, some fall short, and one score (4.3 = 0.375) lands exactly on a rounding half.
 */
const SMALL_SCOPE: MetricCounts = {
  ...ZERO_COUNTS,
  received: 200,
  receivedOnline: 90,
  resolvedEarly: 100,
  resolvedOnTime: 80,
  resolvedLate: 20,
  overdueOpen: 10,
  openNotYetDue: 40,
  feePayments: 120,
  cashlessPayments: 96,
  proceduresTotal: 50,
  proceduresFullOnline: 20,
  proceduresPartialOnline: 15,
  proceduresWithFees: 30,
  proceduresWithFeesOnlinePayment: 27,
  proceduresWithFeesWithOnlinePayment: 18,
  fullProcedureDossiers: 80,
  handledWhollyOnline: 60,
  digitisedDossiers: 150,
  returned: 150,
  returnedElectronic: 100,
  feeBearingDossiers: 120,
  dossiersPaidOnline: 90,
  dossiersReusingDocuments: 30,
  complaintsOrNotSatisfied: 10,
  ratings: { r1: 1, r2: 6, r3: 3 },
  proceduresFullyPublished: 45,
  citizenSigned: 50,
};

describe("ratio", () => {
  it("given 3 of 4, then the value is 0.75 and both counts are kept", () => {
    expect(ratio(3, 4)).toEqual({ numerator: 3, denominator: 4, value: 0.75 });
  });

  it("given a denominator of 0, then the value is null (not assessed), not 0", () => {
    expect(ratio(0, 0)).toEqual({ numerator: 0, denominator: 0, value: null });
  });

  it.each([
    ["a negative numerator", -1, 4],
    ["a negative denominator", 0, -4],
    ["a non-integer numerator", 1.5, 4],
    ["a non-integer denominator", 1, 4.5],
    ["NaN", Number.NaN, 4],
    ["Infinity", 1, Number.POSITIVE_INFINITY],
    ["a numerator above the denominator", 5, 4],
  ])("given %s, then it throws RangeError", (_label, n, d) => {
    expect(() => ratio(n, d)).toThrow(RangeError);
  });

  it("given a count that arrived as a string (an SQL driver quirk), then it throws RangeError", () => {
    expect(() => ratio("3" as unknown as number, 4)).toThrow(RangeError);
  });
});

describe("round2", () => {
  it.each([
    [0.125, 0.13],
    [-0.125, -0.13],
    [0.375, 0.38],
    // 1.005 and 2.675 are stored just below the half; they still round the way they read.
    [1.005, 1.01],
    [2.675, 2.68],
    [3.4999999999999996, 3.5],
    [5.666666666666666, 5.67],
    [82.74193548387096, 82.74],
    [0.004, 0],
    [-0.004, 0],
    [100, 100],
  ])("given %d, then it rounds half away from zero to %d", (x, expected) => {
    expect(round2(x)).toBe(expected);
  });

  it("given -0.004, then the result is 0, not -0", () => {
    expect(Object.is(round2(-0.004), 0)).toBe(true);
  });

  it("given NaN, then it throws RangeError", () => {
    expect(() => round2(Number.NaN)).toThrow(RangeError);
  });
});

describe("metric formulas (docs/domain.md#metrics)", () => {
  it("onlineRate: Quảng Ninh 2023, 663,732 of 861,990 received online -> 0.77", () => {
    // 861,990 × 0.77 = 663,732.3, so 663,732 / 861,990 = 0.769999652…
    const r = onlineRate(861_990, 663_732);
    expect(r.numerator).toBe(663_732);
    expect(r.denominator).toBe(861_990);
    expect(r.value).toBeCloseTo(0.77, 6);
    expect(round2(r.value! * 100)).toBe(77);
  });

  it("onTimeRate: early 500 + on time 497 + late 3 -> 997 / 1,000 = 0.997", () => {
    const r = onTimeRate({ resolvedEarly: 500, resolvedOnTime: 497, resolvedLate: 3 });
    expect(r).toEqual({ numerator: 997, denominator: 1000, value: 0.997 });
  });

  it("cashlessRate: every one of 5,000 payments cashless -> 1 (Quảng Ninh: 100%)", () => {
    expect(cashlessRate(5000, 5000).value).toBe(1);
  });

  it("cashlessRate: 96 of 120 payments cashless -> 0.8", () => {
    expect(cashlessRate(120, 96).value).toBe(0.8);
  });

  it("onlineProcedureRate: Quảng Ninh, full + partial 1,240 of 1,367 procedures -> 0.9071", () => {
    // 1,240 / 1,367 = 0.9070958… (1,367 × 0.9071 = 1,240.0057); split 700 full + 540 partial for the sake of the example.
    const r = onlineProcedureRate({ total: 1367, full: 700, partial: 540 });
    expect(r.numerator).toBe(1240);
    expect(r.denominator).toBe(1367);
    expect(r.value).toBeCloseTo(0.9071, 4);
    expect(round2(r.value! * 100)).toBe(90.71);
  });

  it("fullProcessRate: 41 of 50 dossiers of full procedures handled wholly online -> 0.82", () => {
    expect(fullProcessRate(41, 50)).toEqual({ numerator: 41, denominator: 50, value: 0.82 });
  });

  it("digitisedRate: 150 of 200 received dossiers fully electronic -> 0.75", () => {
    expect(digitisedRate(200, 150)).toEqual({ numerator: 150, denominator: 200, value: 0.75 });
  });

  it("eResultRate: 7 of 8 returned dossiers with an electronic result -> 0.875", () => {
    expect(eResultRate(8, 7)).toEqual({ numerator: 7, denominator: 8, value: 0.875 });
  });

  it("satisfiedRate: ratings 1×1, 6×2, 3×3 -> (6 + 3) / 10 = 0.9", () => {
    expect(satisfiedRate({ r1: 1, r2: 6, r3: 3 })).toEqual({ numerator: 9, denominator: 10, value: 0.9 });
  });

  it("given no dossiers, ratings or payments, then every rate is null (not assessed)", () => {
    expect(onlineRate(0, 0).value).toBeNull();
    expect(onTimeRate({ resolvedEarly: 0, resolvedOnTime: 0, resolvedLate: 0 }).value).toBeNull();
    expect(cashlessRate(0, 0).value).toBeNull();
    expect(onlineProcedureRate({ total: 0, full: 0, partial: 0 }).value).toBeNull();
    expect(satisfiedRate({ r1: 0, r2: 0, r3: 0 }).value).toBeNull();
  });

  it("given counts passed in the wrong order (part larger than whole), then it throws RangeError", () => {
    expect(() => onlineRate(663_732, 861_990)).toThrow(RangeError);
    expect(() => fullProcessRate(50, 41)).toThrow(RangeError);
  });

  it("given full + partial above the total, then it throws RangeError", () => {
    expect(() => onlineProcedureRate({ total: 10, full: 6, partial: 5 })).toThrow(RangeError);
  });

  it("given a negative or fractional part of a sum, then it throws RangeError", () => {
    expect(() => onTimeRate({ resolvedEarly: 5, resolvedOnTime: -1, resolvedLate: 3 })).toThrow(RangeError);
    expect(() => onlineProcedureRate({ total: 10, full: 2.5, partial: 1 })).toThrow(RangeError);
    expect(() => satisfiedRate({ r1: -1, r2: 2, r3: 0 })).toThrow(RangeError);
  });
});

describe("computeMetrics", () => {
  it("given the small scope, then it returns the headline counts and rates", () => {
    expect(computeMetrics(SMALL_SCOPE)).toEqual({
      received: 200,
      receivedOnline: 90,
      onlineRate: 0.45, // 90 / 200
      resolved: 200, // 100 + 80 + 20
      resolvedEarly: 100,
      resolvedOnTime: 80,
      resolvedLate: 20,
      onTimeRate: 0.9, // 180 / 200
      overdueOpen: 10,
      feePayments: 120,
      cashlessPayments: 96,
      cashlessRate: 0.8, // 96 / 120
      proceduresTotal: 50,
      proceduresFullOnline: 20,
      proceduresPartialOnline: 15,
      onlineProcedureRate: 0.7, // 35 / 50
      fullProcessRate: 0.75, // 60 / 80
      digitisedRate: 0.75, // 150 / 200
      eResultRate: 100 / 150, // 0.666…
      satisfiedRate: 0.9, // 9 / 10
      citizenSignedRate: 0.25, // 50 / 200
    });
  });

  it("given all-zero counts, then counts are 0 and every rate is null", () => {
    const m = computeMetrics(ZERO_COUNTS);
    expect(m.received).toBe(0);
    expect(m.resolved).toBe(0);
    for (const key of [
      "onlineRate",
      "onTimeRate",
      "cashlessRate",
      "onlineProcedureRate",
      "fullProcessRate",
      "digitisedRate",
      "eResultRate",
      "satisfiedRate",
      "citizenSignedRate",
    ] as const) {
      expect(m[key]).toBeNull();
    }
  });

  it("given a negative overdueOpen (a count no rate uses), then it still throws RangeError", () => {
    expect(() => computeMetrics({ ...SMALL_SCOPE, overdueOpen: -1 })).toThrow(RangeError);
  });

  it("given a missing rating count, then it throws RangeError", () => {
    const counts = { ...SMALL_SCOPE, ratings: { r1: 1, r2: 2 } } as unknown as MetricCounts;
    expect(() => computeMetrics(counts)).toThrow(RangeError);
  });
});

describe("Decision 766 index", () => {
  it("the indicator table fills each group to its maximum, 100 points in all", () => {
    const byGroup: Record<string, number> = {};
    for (const i of DECISION_766_INDICATORS) byGroup[i.group] = (byGroup[i.group] ?? 0) + i.points;
    expect(byGroup).toEqual({
      transparency: 18,
      progress: 20,
      digitisation: 22,
      onlineServices: 12,
      onlinePayment: 10,
      satisfaction: 18,
    });
    expect(byGroup).toEqual(DECISION_766_GROUP_POINTS);
    expect(Object.values(byGroup).reduce((a, b) => a + b, 0)).toBe(100);
    expect(new Set(DECISION_766_INDICATORS.map((i) => i.id)).size).toBe(DECISION_766_INDICATORS.length);
  });

  it("given the small scope, then each indicator scores as worked out by hand", () => {
    // 1.3   45 / 50 = 0.9, no T                        -> 2 × 0.9               = 1.8
    // 2.1   (100 + 80 + 40) / (200 + 10 + 40) = 0.88   -> 20 × 0.88             = 17.6
    // 3.1   (20 + 15) / 50 = 0.7, T 0.8                -> 4 × 0.7 / 0.8         = 3.5
    // 3.3   90 / 200 = 0.45, T 0.5                     -> 4 × 0.45 / 0.5        = 3.6
    // 3.4   60 / 80 = 0.75, no T                       -> 4 × 0.75              = 3
    // 3.5a  27 / 30 = 0.9 ≥ T 0.8                      -> 2 × 1                 = 2
    // 3.5b  18 / 30 = 0.6, T 0.8                       -> 2 × 0.6 / 0.8         = 1.5
    // 3.6   90 / 120 = 0.75, no T                      -> 6 × 0.75              = 4.5
    // 4.1   100 / 150 = 2/3, no T                      -> 6 × 2/3               = 4
    // 4.2   150 / 200 = 0.75, T 0.8                    -> 4 × 0.75 / 0.8        = 3.75
    // 4.3   30 / 200 = 0.15, T 0.8                     -> 2 × 0.15 / 0.8 = 0.375 -> 0.38
    // 5.4   1 − (20/200 + 10/200) = 0.85 = 170 / 200   -> 6 × 0.85 / 0.9 = 5.666… -> 5.67
    // 1.other, 4.other, 5.other: no data -> not assessed.
    const index = decision766Index(SMALL_SCOPE);
    const scores = Object.fromEntries(index.indicators.map((i) => [i.id, i.score]));
    expect(scores).toEqual({
      "1.3": 1.8,
      "1.other": null,
      "2.1": 17.6,
      "3.1": 3.5,
      "3.3": 3.6,
      "3.4": 3,
      "3.5a": 2,
      "3.5b": 1.5,
      "3.6": 4.5,
      "4.1": 4,
      "4.2": 3.75,
      "4.3": 0.38,
      "4.other": null,
      "5.4": 5.67,
      "5.other": null,
    });

    const by = (id: string) => index.indicators.find((i) => i.id === id)!;
    expect(by("2.1").ratio).toEqual({ numerator: 220, denominator: 250, value: 0.88 });
    expect(by("5.4").ratio).toEqual({ numerator: 170, denominator: 200, value: 0.85 });
    expect(by("5.4")).toMatchObject({ group: "satisfaction", points: 6, threshold: 0.9, assessed: true });
    expect(by("1.other")).toMatchObject({ ratio: null, assessed: false, score: null, points: 16 });

    // Assessed maximum: 2 + 20 + 12 + 10 + (6 + 4 + 2) + 6 = 62 (the 16 + 10 + 12 "other" points are left out).
    // Total: 1.8 + 17.6 + 3.5 + 3.6 + 3 + 2 + 1.5 + 4.5 + 4 + 3.75 + 0.38 + 5.67 = 51.3.
    // Out of 100: 51.3 / 62 × 100 = 82.7419… -> 82.74.
    expect(index.maxAssessed).toBe(62);
    expect(index.score).toBe(51.3);
    expect(index.scoreOutOf100).toBe(82.74);
  });

  it("given a ratio above its threshold, then the indicator is capped at its points", () => {
    // 3.3: 180 / 200 = 0.9 online, T 0.5 -> min(1, 1.8) × 4 = 4, not 7.2.
    const index = decision766Index({ ...SMALL_SCOPE, receivedOnline: 180 });
    expect(index.indicators.find((i) => i.id === "3.3")!.score).toBe(4);
  });

  it("given no returned dossiers, then 4.1 is shown as not assessed and its 6 points leave the maximum", () => {
    // 62 − 6 = 56; 51.3 − 4 = 47.3; 47.3 / 56 × 100 = 84.4642… -> 84.46.
    const index = decision766Index({ ...SMALL_SCOPE, returned: 0, returnedElectronic: 0 });
    const i41 = index.indicators.find((i) => i.id === "4.1")!;
    expect(i41).toMatchObject({ assessed: false, score: null, ratio: { numerator: 0, denominator: 0, value: null } });
    expect(index.maxAssessed).toBe(56);
    expect(index.score).toBe(47.3);
    expect(index.scoreOutOf100).toBe(84.46);
  });

  it("given all-zero counts, then nothing is assessed and the score out of 100 is null", () => {
    const index = decision766Index(ZERO_COUNTS);
    expect(index.indicators).toHaveLength(DECISION_766_INDICATORS.length);
    expect(index.indicators.every((i) => !i.assessed && i.score === null)).toBe(true);
    expect(index.score).toBe(0);
    expect(index.maxAssessed).toBe(0);
    expect(index.scoreOutOf100).toBeNull();
  });

  it("given late and complaint rates adding up past 100%, then 5.4 is floored at 0", () => {
    // late 20 / 20 resolved, complaints 15 / 20 -> 1 − 1.75 < 0 -> 0 / 20 -> 0 points.
    const index = decision766Index({
      ...ZERO_COUNTS,
      resolvedLate: 20,
      complaintsOrNotSatisfied: 15,
    });
    const i54 = index.indicators.find((i) => i.id === "5.4")!;
    expect(i54.ratio).toEqual({ numerator: 0, denominator: 20, value: 0 });
    expect(i54.score).toBe(0);
  });

  it("given more complaints than resolved dossiers, then it throws RangeError", () => {
    expect(() => decision766Index({ ...SMALL_SCOPE, complaintsOrNotSatisfied: 201 })).toThrow(RangeError);
  });

  it("given a fractional count, then it throws RangeError", () => {
    expect(() => decision766Index({ ...SMALL_SCOPE, openNotYetDue: 0.5 })).toThrow(RangeError);
  });
});
