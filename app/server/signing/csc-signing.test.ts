import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import words from "../../../locales/vi/documents.json";
import { type SigningSimulator, startSigningSimulator } from "../../../signing-sim/server.ts";
import { pdfsigReport } from "../../../tests/pdfsig.ts";
import { type ExternalSigner, signPdfWith, verifyPdf } from "../results/pades.server.ts";
import { demoIdentity, type SigningIdentity } from "../results/pki.server.ts";
import * as x509 from "../results/x509.server.ts";
import { type CscClient, CscError, classifyCscError, cscClient } from "./csc-client.server.ts";
import { buildDeclarationPdf } from "./declaration-pdf.server.ts";

const TOKEN = "test-token-0123456789";
let dir: string;
let identity: SigningIdentity;
let clock = Date.now();
let sim: SigningSimulator;
let csc: CscClient;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "csc-ca-"));
  identity = await demoIdentity(dir, "http://localhost:3000/pki/demo-ca.crl");
  sim = await startSigningSimulator({
    port: 0,
    caDir: dir,
    crlUrl: "http://localhost:3000/pki/demo-ca.crl",
    token: TOKEN,
    otpTtlMs: 5 * 60_000,
    now: () => clock,
  });
  csc = cscClient({ url: sim.url, token: TOKEN });
});
afterAll(async () => {
  await sim.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const hashOf = (s: string) => crypto.createHash("sha256").update(s).digest();

async function credentialFor(id: string, name = "Nguyễn Văn An") {
  const [credentialID] = await csc.listCredentials(id, name);
  if (!credentialID) throw new Error("no credential");
  return credentialID;
}

async function kindOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "no error";
  } catch (error) {
    return error instanceof CscError ? error.kind : String(error);
  }
}

/** The remote signer as the portal builds it: hash of the signed attributes → authorize → signHash. */
async function remoteSigner(credentialID: string, otp: () => string): Promise<ExternalSigner> {
  const info = await csc.credentialInfo(credentialID);
  const [leaf, ...rest] = info.certificates.map((d) => new x509.X509Certificate(new Uint8Array(d)));
  if (!leaf) throw new Error("no certificate");
  return {
    certificate: leaf,
    chain: rest,
    keyType: "rsa",
    async signAttributes(data) {
      const hash = crypto.createHash("sha256").update(data).digest();
      const sad = await csc.authorize(credentialID, [hash], otp());
      const [sig] = await csc.signHash(credentialID, sad, [hash]);
      if (!sig) throw new Error("no signature");
      return sig;
    },
  };
}

const declaration = (signingTime: Date) =>
  buildDeclarationPdf(
    {
      agencyName: "UBND phường Hồng Gai",
      procedureName: "Đăng ký khai sinh",
      dossierId: "6f1c2b7e-0000-4000-8000-000000000001",
      applicantName: "Nguyễn Văn An",
      applicantId: "001090001234",
      answers: [
        { label: "Họ, chữ đệm, tên của trẻ", value: "Nguyễn Thị Ánh Dương" },
        { label: "Ngày sinh", value: "01/11/2026" },
      ],
      signingTime,
    },
    words.declaration,
  );

describe("CSC API v2 simulator and client", () => {
  it("enrols a citizen on first use with a certificate from the demo CA naming them and their ID number", async () => {
    const id = await credentialFor("001090001234");
    expect(await csc.listCredentials("001090001234", "Nguyễn Văn An")).toEqual([id]);
    const info = await csc.credentialInfo(id);
    expect(info.keyEnabled).toBe(true);
    expect(info.certStatus).toBe("valid");
    expect(info.certificates).toHaveLength(2);
    const leaf = new x509.X509Certificate(new Uint8Array(info.certificates[0] as Buffer));
    expect(leaf.subjectName.getField("CN")).toEqual(["Nguyễn Văn An"]);
    expect(leaf.subjectName.getField("2.5.4.5")).toEqual(["IDCVN-001090001234"]);
    expect(leaf.issuer).toBe(identity.trustAnchor.subject);
    // Without a name there is nothing to enrol.
    expect(await csc.listCredentials("001090009999", "")).toEqual([]);
  });

  it("refuses a wrong token", async () => {
    const bad = cscClient({ url: sim.url, token: "wrong" });
    expect(await kindOf(bad.listCredentials("001090001234", "x"))).toBe("refused");
  });

  it("signs a hash only with the code sent, and only the hash authorised", async () => {
    const id = await credentialFor("001090001235");
    await csc.sendOtp(id);
    const otp = sim.lastOtp(id);
    expect(otp).toMatch(/^\d{6}$/);
    const hash = hashOf("one");
    const sad = await csc.authorize(id, [hash], otp ?? "");
    // A SAD for another hash, a made-up SAD, and a used SAD are refused.
    expect(await kindOf(csc.signHash(id, sad, [hashOf("other")]))).toBe("sadRefused");
    expect(await kindOf(csc.signHash(id, "made-up", [hash]))).toBe("sadRefused");
    const [signature] = await csc.signHash(id, sad, [hash]);
    expect(await kindOf(csc.signHash(id, sad, [hash]))).toBe("sadRefused");
    const info = await csc.credentialInfo(id);
    const cert = new crypto.X509Certificate(info.certificates[0] as Buffer);
    // RSASSA-PKCS1-v1_5 over SHA-256("one"): verifies as a normal signature of "one".
    expect(crypto.verify("sha256", Buffer.from("one"), cert.publicKey, signature as Buffer)).toBe(true);
    // The code is single-use.
    expect(await kindOf(csc.authorize(id, [hash], otp ?? ""))).toBe("wrongOtp");
  });

  it("locks the credential after three wrong codes, even for the right code afterwards", async () => {
    const id = await credentialFor("001090001236");
    await csc.sendOtp(id);
    const otp = sim.lastOtp(id) ?? "";
    const wrong = otp === "000000" ? "111111" : "000000";
    expect(await kindOf(csc.authorize(id, [hashOf("x")], wrong))).toBe("wrongOtp");
    expect(await kindOf(csc.authorize(id, [hashOf("x")], wrong))).toBe("wrongOtp");
    expect(await kindOf(csc.authorize(id, [hashOf("x")], wrong))).toBe("locked");
    expect(sim.credential(id)?.locked).toBe(true);
    expect(await kindOf(csc.authorize(id, [hashOf("x")], otp))).toBe("locked");
    expect(await kindOf(csc.sendOtp(id))).toBe("locked");
    expect((await csc.credentialInfo(id)).keyEnabled).toBe(false);
  });

  it("refuses an expired code, and a new code works", async () => {
    const id = await credentialFor("001090001237");
    await csc.sendOtp(id);
    const otp = sim.lastOtp(id) ?? "";
    clock += 5 * 60_000 + 1000;
    expect(await kindOf(csc.authorize(id, [hashOf("x")], otp))).toBe("otpExpired");
    await csc.sendOtp(id);
    expect(await kindOf(csc.authorize(id, [hashOf("x")], sim.lastOtp(id) ?? ""))).toBe("no error");
  });

  it("shows the code on the simulated phone page", async () => {
    const id = await credentialFor("001090001238");
    await csc.sendOtp(id);
    const html = await (await fetch(`${sim.url}/phone/${id}`)).text();
    expect(html).toContain(sim.lastOtp(id) ?? "missing");
  });

  it("classifies the CSC error descriptions", () => {
    expect(classifyCscError(400, "invalid_request", "The OTP is invalid")).toBe("wrongOtp");
    expect(classifyCscError(400, "invalid_otp", "The OTP has expired")).toBe("otpExpired");
    expect(classifyCscError(400, "invalid_request", "The credential is locked")).toBe("locked");
    expect(classifyCscError(400, "invalid_request", "Invalid parameter SAD")).toBe("sadRefused");
    expect(classifyCscError(401, "invalid_token", "x")).toBe("refused");
  });
});

describe("a declaration signed through the simulator (PAdES with an external signer)", () => {
  it("verifies with the portal's verifier and names the citizen", async () => {
    const id = await credentialFor("001090001240", "Trần Thị Bình");
    await csc.sendOtp(id);
    const otp = sim.lastOtp(id) ?? "";
    const signingTime = new Date(Math.floor(clock / 1000) * 1000);
    const pdf = await signPdfWith(await declaration(signingTime), await remoteSigner(id, () => otp), signingTime);
    const check = await verifyPdf(pdf, identity);
    expect(check).toMatchObject({ ok: true, intact: true, signatureValid: true, chainTrusted: true, valid: true });
    if (check.ok) {
      expect(check.signer.commonName).toBe("Trần Thị Bình");
      expect(check.signer.subjectSerialNumber).toBe("IDCVN-001090001240");
    }
    // One changed byte: refused.
    const tampered = Buffer.from(pdf);
    const at = pdf.indexOf(Buffer.from("/Type /Page")) + 2;
    tampered[at] = tampered[at] === 0x41 ? 0x42 : 0x41;
    expect(await verifyPdf(tampered, identity)).toMatchObject({ ok: true, valid: false });
    // Revoked before signing: refused.
    sim.revoke(id, new Date(signingTime.getTime() - 60_000));
    expect(await verifyPdf(pdf, identity)).toMatchObject({ ok: true, revokedAtSigning: true, valid: false });
  });

  it("is valid for poppler's pdfsig with the demo root trusted", async () => {
    const id = await credentialFor("001090001241", "Lê Văn Cường");
    await csc.sendOtp(id);
    const otp = sim.lastOtp(id) ?? "";
    const signingTime = new Date(Math.floor(Date.now() / 1000) * 1000);
    const pdf = await signPdfWith(await declaration(signingTime), await remoteSigner(id, () => otp), signingTime);
    const file = path.join(dir, "declaration.pdf");
    fs.writeFileSync(file, pdf);
    const out = pdfsigReport(file, path.join(dir, "root.crt"), dir);
    expect(out).toContain("Signature Validation: Signature is Valid.");
    expect(out).toContain("Certificate Validation: Certificate is Trusted.");
    expect(out).toContain("Lê Văn Cường");
  });
});
