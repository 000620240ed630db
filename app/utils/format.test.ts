import { describe, expect, it } from "vitest";
import {
  formatCount,
  formatDate,
  formatDateTime,
  formatDecimal,
  formatPercent,
  formatVnd,
  parseLocaleNumber,
} from "./format.ts";

// Intl separates the currency sign with a no-break space.
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, " ");

describe("formatting in Vietnamese", () => {
  it("groups counts with dots and writes money in đồng", () => {
    expect(formatCount(861990, "vi")).toBe("861.990");
    expect(formatCount(2300, "vi")).toBe("2.300");
    expect(plain(formatVnd(100000, "vi"))).toBe("100.000 ₫");
  });
  it("writes rates and decimals with a decimal comma", () => {
    expect(formatPercent(0.8333, "vi")).toBe("83,3%");
    expect(formatPercent(0.9544, "vi", 2)).toBe("95,44%");
    expect(formatDecimal(85.44, "vi")).toBe("85,44");
    expect(formatDecimal(3.2, "vi", 1)).toBe("3,2");
    expect(formatPercent(null, "vi")).toBe("—");
  });
  it("writes dates as dd/mm/yyyy, in Vietnam time", () => {
    expect(formatDate("2026-10-17", "vi")).toBe("17/10/2026");
    // 17:30 UTC is 00:30 the next day in Vietnam.
    expect(formatDate(new Date("2026-11-25T17:30:00Z"), "vi")).toBe("26/11/2026");
    expect(formatDateTime("2026-11-25T17:30:00Z", "vi")).toBe("26/11/2026 00:30");
  });
});

describe("formatting in English", () => {
  it("groups counts with commas", () => {
    expect(formatCount(861990, "en")).toBe("861,990");
    expect(plain(formatVnd(100000, "en"))).toBe("₫100,000");
  });
  it("writes rates and decimals with a decimal point", () => {
    expect(formatPercent(0.8333, "en")).toBe("83.3%");
    expect(formatDecimal(85.44, "en")).toBe("85.44");
  });
  it("writes dates with the month's name", () => {
    expect(formatDate("2026-10-17", "en")).toBe("17 Oct 2026");
    expect(formatDateTime("2026-11-25T17:30:00Z", "en")).toBe("26 Nov 2026, 00:30");
  });
  it("keeps a value it cannot read as it is", () => {
    expect(formatDate("soon", "en")).toBe("soon");
  });
});

describe("parseLocaleNumber", () => {
  it.each([
    ["100.000.000", 100000000],
    ["100 000 000", 100000000],
    ["100,000,000", 100000000],
    ["100.000 ₫", 100000],
    ["100.000\u00a0₫", 100000],
    ["100.000đ", 100000],
    ["3,5", 3.5],
    ["3.5", 3.5],
    ["1.234,5", 1234.5],
    ["1,234.5", 1234.5],
    ["2", 2],
    ["-2", -2],
    ["0", 0],
  ])("reads %j as %d", (input, n) => {
    expect(parseLocaleNumber(input)).toBe(n);
  });
  it.each(["", "abc", "1.2.3", "12,34,5", "1.23,4.5", "--2", "2e5", "1..0", ".", "₫"])("refuses %j", (input) => {
    expect(parseLocaleNumber(input)).toBeNull();
  });
});
