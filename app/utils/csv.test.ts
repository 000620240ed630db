import { describe, expect, it } from "vitest";
import { csvCell, toCsv } from "./csv.ts";

describe("csv", () => {
  it("quotes commas, quotes and newlines", () => {
    expect(csvCell('Sở "Xây dựng", Quảng Ninh')).toBe('"Sở ""Xây dựng"", Quảng Ninh"');
    expect(csvCell("a\nb")).toBe('"a\nb"');
  });
  it("neutralises formulas but keeps negative numbers as numbers", () => {
    expect(csvCell("=cmd|' /C calc'!A0")).toBe("'=cmd|' /C calc'!A0");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell(-3)).toBe("-3");
  });
  it("starts with a BOM so spreadsheets read UTF-8 Vietnamese", () => {
    expect(toCsv([["Hạ Long", 1]])).toBe("\uFEFFHạ Long,1\r\n");
  });
});
