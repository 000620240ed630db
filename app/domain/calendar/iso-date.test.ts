import { describe, expect, it } from "vitest";
import { isRealDate, isReportingDate } from "./iso-date.ts";

describe("iso dates", () => {
  it("knows which days exist", () => {
    expect(isRealDate("2024-02-29")).toBe(true);
    expect(isRealDate("2023-02-29")).toBe(false);
    expect(isRealDate("2023-13-01")).toBe(false);
    expect(isRealDate("0001-01-01")).toBe(true);
    expect(isRealDate("0050-02-29")).toBe(false);
    expect(isRealDate("2023-1-01")).toBe(false);
    expect(isRealDate("2023-01-01\n")).toBe(false);
  });
  it("keeps reporting periods within 2000–2100", () => {
    expect(isReportingDate("2023-06-30")).toBe(true);
    expect(isReportingDate("0001-01-01")).toBe(false);
    expect(isReportingDate("1999-12-31")).toBe(false);
    expect(isReportingDate("2101-01-01")).toBe(false);
  });
});
