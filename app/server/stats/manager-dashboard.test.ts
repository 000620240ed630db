import { describe, expect, it } from "vitest";
import { resolvePeriod, selectionQuery, subtreeOf } from "./manager-dashboard.server.ts";

const TODAY = "2025-05-14";

describe("the period of a dashboard request", () => {
  it.each([
    [{}, { period: "year", from: "2025-01-01", to: "2025-12-31" }],
    [
      { period: "year", year: "2023" },
      { period: "year", from: "2023-01-01", to: "2023-12-31" },
    ],
    [
      { period: "quarter", year: "2024", quarter: "1" },
      { period: "quarter", from: "2024-01-01", to: "2024-03-31" },
    ],
    [{ period: "quarter" }, { period: "quarter", from: "2025-04-01", to: "2025-06-30" }],
    [
      { period: "month", year: "2024", month: "2" },
      { period: "month", from: "2024-02-01", to: "2024-02-29" },
    ],
    [
      { period: "custom", from: "2025-03-10", to: "2025-03-14" },
      { period: "custom", from: "2025-03-10", to: "2025-03-14" },
    ],
    // Older links: from/to alone mean a custom range.
    [
      { from: "2025-01-05", to: "2025-02-01" },
      { period: "custom", from: "2025-01-05", to: "2025-02-01" },
    ],
  ] as const)("%j → %j", (raw, expected) => {
    const { filters, problems } = resolvePeriod(raw, TODAY);
    expect(problems).toEqual({});
    expect(filters).toMatchObject(expected);
  });

  it.each([
    [{ period: "week" }, "period", "stats:errors.preset"],
    [{ period: "year", year: "1999" }, "year", "stats:errors.year"],
    [{ period: "year", year: "20x5" }, "year", "stats:errors.year"],
    [{ period: "quarter", quarter: "5" }, "quarter", "stats:errors.quarter"],
    [{ period: "month", month: "0" }, "month", "stats:errors.month"],
    [{ period: "custom", from: "2025-02-30", to: "2025-03-01" }, "from", "stats:errors.date"],
    [{ period: "custom", from: "2025-03-01" }, "to", "stats:errors.date"],
    [{ period: "custom", from: "0001-01-01", to: "2025-03-01" }, "from", "stats:errors.date"],
    [{ period: "custom", from: "2025-03-02", to: "2025-03-01" }, "to", "stats:errors.reversed"],
    [{ period: "custom", from: "2015-01-01", to: "2025-03-01" }, "to", "stats:errors.tooLong"],
  ] as const)("%j is refused (%s: %s) and the current year is shown", (raw, field, key) => {
    const { filters, problems } = resolvePeriod(raw, TODAY);
    expect(problems).toEqual({ [field]: key });
    expect(filters).toMatchObject({ period: "year", year: "2025", from: "2025-01-01", to: "2025-12-31" });
  });
});

describe("the canonical link of a selection", () => {
  const base = {
    year: "2025",
    quarter: "2",
    month: "5",
    from: "2025-04-01",
    to: "2025-06-30",
    agency: "000.00.31.H99",
    level: "",
    field: "",
    procedure: "",
  };
  it("keeps only the preset's own parameters and the non-empty scope", () => {
    expect(selectionQuery({ ...base, period: "quarter" })).toBe(
      "period=quarter&year=2025&quarter=2&agency=000.00.31.H99",
    );
    expect(selectionQuery({ ...base, period: "custom", level: "commune", field: "ho-tich" })).toBe(
      "period=custom&from=2025-04-01&to=2025-06-30&agency=000.00.31.H99&level=commune&field=ho-tich",
    );
  });
});

describe("a unit's subtree", () => {
  it("is the unit and everything below it", () => {
    const tree = [
      { code: "p", parent_code: null },
      { code: "d1", parent_code: "p" },
      { code: "c1", parent_code: "d1" },
      { code: "d2", parent_code: "p" },
    ];
    expect(subtreeOf(tree, "d1").sort()).toEqual(["c1", "d1"]);
    expect(subtreeOf(tree, "p").sort()).toEqual(["c1", "d1", "d2", "p"]);
  });
});
