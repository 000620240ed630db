import { describe, expect, it } from "vitest";
import { parseRating, ratingProblem } from "./rating.ts";

describe("satisfaction rating", () => {
  it("accepts 1, 2 and 3 only", () => {
    expect(parseRating("1")).toBe(1);
    expect(parseRating("3")).toBe(3);
    for (const bad of ["0", "4", "", "2.0", " 2", "=1", null, undefined, 2]) expect(parseRating(bad)).toBeNull();
  });
  it("is open once, after the dossier is resolved or returned", () => {
    expect(ratingProblem("returned", null)).toBeNull();
    expect(ratingProblem("resolved", null)).toBeNull();
    expect(ratingProblem("returned", 2)).toBe("alreadyRated");
    expect(ratingProblem("processing", null)).toBe("notFinished");
    expect(ratingProblem("withdrawn", null)).toBe("notFinished");
  });
});
