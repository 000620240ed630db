import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import words from "../../../locales/vi/documents.json";
import { pdfsigReport } from "../../../tests/pdfsig.ts";
import { verifyPdf } from "./pades.server.ts";
import { demoIdentity, revokeDemoCertificate, type SigningIdentity } from "./pki.server.ts";
import { buildResultPdf, type ResultDocument } from "./result-pdf.server.ts";

let dir: string;
let identity: SigningIdentity;

const doc = (issuedAt = new Date("2026-11-20T03:00:00Z")): ResultDocument => ({
  agencyName: "UBND phường Hồng Gai",
  resultTitle: "Giấy khai sinh",
  procedureName: "Thủ tục đăng ký khai sinh",
  dossierCode: "000.01.31.H99-261120-0001",
  verificationCode: "ABCDEFGH23",
  verifyUrl: "http://localhost:3000/verify?code=ABCDEFGH23",
  rows: [
    { labelVi: "Họ, chữ đệm, tên của trẻ", labelEn: "Child's full name", value: "Nguyễn Thị Ánh Dương" },
    { labelVi: "Ngày sinh", labelEn: "Date of birth", value: "01/11/2026" },
  ],
  decisionRows: [{ labelVi: "Số", labelEn: "Number", value: "123/2026" }],
  issuedAt,
});

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "demo-ca-"));
  identity = await demoIdentity(dir, "http://localhost:3000/pki/demo-ca.crl");
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("result PDF signed with PAdES", () => {
  it("verifies what it signed: intact, signed by the agency certificate, chained to the demo root, not revoked", async () => {
    const pdf = await buildResultPdf(doc(), words.pdf, identity);
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    expect(pdf.toString("latin1")).toContain("/ETSI.CAdES.detached");
    const check = await verifyPdf(pdf, identity);
    expect(check).toMatchObject({
      ok: true,
      intact: true,
      signatureValid: true,
      chainTrusted: true,
      revokedAtSigning: false,
      valid: true,
    });
    if (check.ok) {
      expect(check.signer.serialNumber).toBe(identity.certificate.serialNumber);
      expect(check.signedAt).toBe("2026-11-20T03:00:00.000Z");
    }
  });

  it("fails when one byte of the signed content changes, or bytes are appended", async () => {
    const pdf = await buildResultPdf(doc(), words.pdf, identity);
    // Change one byte inside the page content, outside the signature's hole.
    const at = pdf.indexOf(Buffer.from("/Type /Page")) + 2;
    const tampered = Buffer.from(pdf);
    tampered[at] = tampered[at] === 0x41 ? 0x42 : 0x41;
    const bad = await verifyPdf(tampered, identity);
    expect(bad).toMatchObject({ ok: true, signatureValid: false, intact: false, valid: false });
    const appended = Buffer.concat([pdf, Buffer.from("\n% appended\n")]);
    expect(await verifyPdf(appended, identity)).toMatchObject({
      ok: true,
      signatureValid: true,
      intact: false,
      valid: false,
    });
  });

  it("does not trust a chain to another root", async () => {
    const other = fs.mkdtempSync(path.join(os.tmpdir(), "other-ca-"));
    try {
      const stranger = await demoIdentity(other, "http://localhost/crl");
      const pdf = await buildResultPdf(doc(), words.pdf, stranger);
      expect(await verifyPdf(pdf, identity)).toMatchObject({
        ok: true,
        signatureValid: true,
        chainTrusted: false,
        valid: false,
      });
    } finally {
      fs.rmSync(other, { recursive: true, force: true });
    }
  });

  it("refuses what is not a signed PDF", async () => {
    expect(await verifyPdf(Buffer.from("hello"), identity)).toEqual({ ok: false, problem: "notPdf" });
    expect(await verifyPdf(Buffer.from("%PDF-1.7\n%%EOF"), identity)).toEqual({ ok: false, problem: "unsigned" });
  });

  it("reports a certificate revoked before signing, and accepts one revoked after", async () => {
    const own = fs.mkdtempSync(path.join(os.tmpdir(), "revoke-ca-"));
    try {
      const id = await demoIdentity(own, "http://localhost/crl");
      const before = await buildResultPdf(doc(new Date("2026-11-20T03:00:00Z")), words.pdf, id);
      const after = await buildResultPdf(doc(new Date("2026-11-22T03:00:00Z")), words.pdf, id);
      revokeDemoCertificate(own, id.certificate.serialNumber, new Date("2026-11-21T00:00:00Z"));
      expect(await verifyPdf(after, id)).toMatchObject({ ok: true, revokedAtSigning: true, valid: false });
      expect(await verifyPdf(before, id)).toMatchObject({ ok: true, revokedAtSigning: false, valid: true });
      const crl = await id.crl();
      expect(crl?.findRevoked(id.certificate)?.revocationDate.toISOString()).toBe("2026-11-21T00:00:00.000Z");
    } finally {
      fs.rmSync(own, { recursive: true, force: true });
    }
  });

  it("is valid for poppler's pdfsig (software that is not ours), with the demo root trusted", async () => {
    const pdf = await buildResultPdf(doc(new Date()), words.pdf, identity);
    const file = path.join(dir, "result.pdf");
    fs.writeFileSync(file, pdf);
    const out = pdfsigReport(file, path.join(dir, "root.crt"), dir);
    expect(out).toContain("Signature Validation: Signature is Valid.");
    expect(out).toContain("Certificate Validation: Certificate is Trusted.");
    expect(out).toContain("Signature Type: ETSI.CAdES.detached");
    expect(out).toContain("Signed Ranges:");
    expect(out).toContain("Total document signed");
  });
});
