import { describe, expect, it } from "vitest";
import {
  canonicalJson,
  newVerificationCode,
  type ResultPayload,
  signPayload,
  verifyPayload,
} from "./result-signing.server.ts";

const payload: ResultPayload = {
  dossierCode: "000.01.31.H99-250310-0001",
  procedureCode: "1.001193",
  procedureName: "Thủ tục đăng ký khai sinh",
  resultName: "Giấy khai sinh",
  agencyCode: "000.01.31.H99",
  agencyName: "UBND phường Hồng Gai",
  applicantIdHash: "ab".repeat(32),
  issuedAt: "2025-03-21T02:00:00.000Z",
};

describe("result signatures (Ed25519)", () => {
  it("verifies what it signed", () => {
    const { signature } = signPayload(payload);
    expect(verifyPayload(payload, signature)).toBe(true);
  });
  it("detects any change to the result, and a forged signature", () => {
    const { signature } = signPayload(payload);
    expect(verifyPayload({ ...payload, resultName: "Giấy chứng tử" }, signature)).toBe(false);
    expect(verifyPayload({ ...payload, issuedAt: "2025-03-22T02:00:00.000Z" }, signature)).toBe(false);
    expect(verifyPayload(payload, `${signature.slice(0, -2)}AA`)).toBe(false);
    expect(verifyPayload(payload, "not-a-signature")).toBe(false);
  });
  it("signs key order independently", () => {
    expect(canonicalJson({ b: "2", a: "1" })).toBe(canonicalJson({ a: "1", b: "2" }));
  });
  it("makes unambiguous verification codes", () => {
    expect(newVerificationCode()).toMatch(/^[A-HJ-NP-Z2-9]{10}$/);
  });
});
