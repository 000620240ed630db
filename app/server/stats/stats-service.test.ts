import { describe, expect, it } from "vitest";
import { monthsOf } from "./stats-service.server.ts";

describe("months of a period", () => {
  it("splits a period into calendar months, clipped to the period", () => {
    expect(monthsOf({ from: "2025-01-15", to: "2025-03-10" })).toEqual([
      { month: "2025-01", from: "2025-01-15", to: "2025-01-31" },
      { month: "2025-02", from: "2025-02-01", to: "2025-02-28" },
      { month: "2025-03", from: "2025-03-01", to: "2025-03-10" },
    ]);
  });
  it("crosses the year and keeps the last 12 months of a long period", () => {
    const months = monthsOf({ from: "2023-11-01", to: "2025-06-30" });
    expect(months).toHaveLength(12);
    expect(months[0]?.month).toBe("2024-07");
    expect(months[11]?.month).toBe("2025-06");
  });
});
