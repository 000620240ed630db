import { describe, expect, it } from "vitest";
import { formatDossierCode, parseDossierCode } from "./dossier-code.ts";

describe("dossier code", () => {
  it("formats the docs/domain.md example", () => {
    expect(formatDossierCode("000.00.17.H36", "2023-03-15", 1)).toBe("000.00.17.H36-230315-0001");
  });
  it("widens the sequence past 9999", () => {
    expect(formatDossierCode("000.00.17.H36", "2023-03-15", 12345)).toBe("000.00.17.H36-230315-12345");
  });
  it("refuses a zero, negative or fractional sequence and a bad date", () => {
    expect(() => formatDossierCode("000.00.17.H36", "2023-03-15", 0)).toThrow(RangeError);
    expect(() => formatDossierCode("000.00.17.H36", "2023-03-15", 1.5)).toThrow(RangeError);
    expect(() => formatDossierCode("000.00.17.H36", "15/03/2023", 1)).toThrow(RangeError);
  });
  it("parses what it formats, and nothing else", () => {
    expect(parseDossierCode("000.00.17.H36-230315-0042")).toEqual({
      agencyCode: "000.00.17.H36",
      yymmdd: "230315",
      sequence: 42,
    });
    expect(parseDossierCode("000.00.17.H36-230315-42")).toBeNull();
    expect(parseDossierCode("<script>")).toBeNull();
  });
});
