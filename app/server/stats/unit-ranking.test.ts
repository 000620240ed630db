import { describe, expect, it } from "vitest";
import { emptyUnitsLast } from "./unit-ranking.ts";

describe("emptyUnitsLast", () => {
  it("blanks the score of units without dossiers and puts them after the others, keeping the order", () => {
    const units = [
      { code: "empty-a", score: 100, metrics: { received: 0 } },
      { code: "busy-high", score: 92.5, metrics: { received: 40 } },
      { code: "empty-b", score: 100, metrics: { received: 0 } },
      { code: "busy-low", score: 61, metrics: { received: 3 } },
    ];
    expect(emptyUnitsLast(units).map((u) => [u.code, u.score, u.noDossiers])).toEqual([
      ["busy-high", 92.5, false],
      ["busy-low", 61, false],
      ["empty-a", null, true],
      ["empty-b", null, true],
    ]);
  });
});
