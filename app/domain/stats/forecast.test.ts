import { describe, expect, it } from "vitest";
import {
  assessTarget,
  effectiveTarget,
  NO_OPEN_DOSSIERS,
  parseTargetPercent,
  projectedOnTimeRate,
} from "./forecast.ts";

describe("projected on-time rate at period end", () => {
  it("adds the open dossiers due before the end: not yet overdue as in time, overdue as late", () => {
    // Given 990 early + 5 on time + 5 late resolved (99.5% now),
    // and open: 3 overdue, 200 due before the period ends, 50 due after it.
    const r = projectedOnTimeRate(
      { resolvedEarly: 990, resolvedOnTime: 5, resolvedLate: 5 },
      { overdue: 3, dueBeforePeriodEnd: 200, dueAfterPeriodEnd: 50 },
    );
    // (990 + 5 + 200) / (1000 + 3 + 200) = 1195 / 1203
    expect(r.numerator).toBe(1195);
    expect(r.denominator).toBe(1203);
    expect(r.value).toBeCloseTo(0.993349958, 8);
  });

  it("equals the on-time rate when nothing is open", () => {
    const r = projectedOnTimeRate({ resolvedEarly: 6, resolvedOnTime: 3, resolvedLate: 1 }, NO_OPEN_DOSSIERS);
    expect(r.value).toBe(0.9);
  });

  it("forecasts a scope that has resolved nothing yet from its open dossiers", () => {
    const r = projectedOnTimeRate(
      { resolvedEarly: 0, resolvedOnTime: 0, resolvedLate: 0 },
      { overdue: 1, dueBeforePeriodEnd: 3, dueAfterPeriodEnd: 9 },
    );
    expect(r.value).toBe(0.75);
  });

  it("has no value when nothing is resolved and nothing open is due in the period", () => {
    const r = projectedOnTimeRate(
      { resolvedEarly: 0, resolvedOnTime: 0, resolvedLate: 0 },
      { overdue: 0, dueBeforePeriodEnd: 0, dueAfterPeriodEnd: 4 },
    );
    expect(r.value).toBeNull();
  });

  it("refuses counts that are not non-negative integers", () => {
    expect(() =>
      projectedOnTimeRate({ resolvedEarly: -1, resolvedOnTime: 0, resolvedLate: 0 }, NO_OPEN_DOSSIERS),
    ).toThrow(RangeError);
  });
});

describe("a rate against its target", () => {
  it.each([
    // value, target, projected, status
    [0.995, null, null, "noTarget"],
    [null, 0.997, null, "notAssessed"],
    [0.995, 0.997, null, "below"],
    [0.995, 0.997, 0.999, "below"],
    [0.998, 0.997, null, "met"],
    [0.998, 0.997, 0.9975, "met"],
    [0.998, 0.997, 0.99335, "forecastBelow"],
    [null, 0.997, 0.5, "forecastBelow"],
    // 997 of 1000 is exactly at a 99.7% target despite binary rounding.
    [997 / 1000, 9970 / 10_000, null, "met"],
  ] as const)("value %s, target %s, projected %s → %s", (value, target, projected, status) => {
    expect(assessTarget(value, target, projected)).toBe(status);
  });
});

describe("the target that applies to a unit", () => {
  const parents: Record<string, string | null> = { province: null, district: "province", commune: "district" };
  const parentOf = (c: string) => parents[c] ?? null;
  it("is the unit's own, else the nearest ancestor's", () => {
    const targets: Record<string, number> = { province: 0.997, district: 0.99 };
    const targetOf = (c: string) => targets[c];
    expect(effectiveTarget("commune", parentOf, targetOf)).toEqual({ target: 0.99, setOn: "district" });
    expect(effectiveTarget("province", parentOf, targetOf)).toEqual({ target: 0.997, setOn: "province" });
  });
  it("is null when no unit on the way up has one", () => {
    expect(effectiveTarget("commune", parentOf, () => undefined)).toBeNull();
  });
});

describe("a target typed as a percentage", () => {
  it.each([
    ["99.7", 9970],
    ["99,7", 9970],
    [" 77 ", 7700],
    ["100", 10_000],
    ["0", 0],
    ["82.25%", 8225],
    ["100.01", null],
    ["-1", null],
    ["99.999", null],
    ["abc", null],
    ["", null],
    ["1e2", null],
  ] as const)("%j → %s basis points", (input, bp) => {
    expect(parseTargetPercent(input)).toBe(bp);
  });
});
