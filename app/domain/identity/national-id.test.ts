import { describe, expect, it } from "vitest";
import { checkNationalId, normaliseNationalId } from "./national-id.ts";

describe("national id (CCCD)", () => {
  it("accepts a 12-digit number with a known province prefix", () => {
    expect(checkNationalId("022090000001")).toBeNull();
  });
  it.each(["", "12345678901", "0220900000011", "02209000000a", "022 090 000 001"])("refuses %j as badly formed", (v) =>
    expect(checkNationalId(v)).toBe("format"),
  );
  it("refuses an unknown province prefix", () => {
    expect(checkNationalId("003090000001")).toBe("province");
  });
  it("ignores spaces and dots between digit groups", () => {
    expect(normaliseNationalId(" 022.090 000-001 ")).toBe("022090000001");
  });
});
