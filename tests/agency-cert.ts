/**
 * Test fixture: a root CA and an agency signing certificate issued by it (node-forge, synchronous), written
 * as PEM files and as a PKCS#12 file — what production configures with RESULT_CERT_* (issue 14).
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import forge from "node-forge";

/** A root CA and an agency certificate issued by it, as PEM files and as a PKCS#12 file (node-forge). */
export function makeAgencyCertificate(opts: { validDays?: number } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "agency-cert-"));
  const keyPair = () => {
    const { privateKey } = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
    const pem = privateKey.export({ type: "pkcs1", format: "pem" }).toString();
    const priv = forge.pki.privateKeyFromPem(pem);
    return { priv, pub: forge.pki.setRsaPublicKey(priv.n, priv.e) };
  };
  const cert = (
    subject: string,
    pub: forge.pki.PublicKey,
    issuer: forge.pki.Certificate | null,
    signer: forge.pki.rsa.PrivateKey,
    days: number,
  ) => {
    const c = forge.pki.createCertificate();
    c.publicKey = pub;
    c.serialNumber = `01${crypto.randomBytes(8).toString("hex")}`;
    c.validity.notBefore = new Date(Date.now() - 86_400_000);
    c.validity.notAfter = new Date(Date.now() + days * 86_400_000);
    c.setSubject([{ name: "commonName", value: subject }]);
    c.setIssuer(issuer ? issuer.subject.attributes : [{ name: "commonName", value: subject }]);
    c.sign(signer, forge.md.sha256.create());
    return c;
  };
  const root = keyPair();
  const rootCert = cert("Test Root CA", root.pub, null, root.priv, 3650);
  const agency = keyPair();
  const agencyCert = cert("Test agency", agency.pub, rootCert, root.priv, opts.validDays ?? 365);
  const write = (name: string, content: string | Buffer) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, content);
    return file;
  };
  const p12 = forge.asn1
    .toDer(forge.pkcs12.toPkcs12Asn1(agency.priv, [agencyCert, rootCert], "p12-password", { algorithm: "3des" }))
    .getBytes();
  return {
    key: write("agency.key", forge.pki.privateKeyToPem(agency.priv)),
    chain: write("agency-chain.pem", forge.pki.certificateToPem(agencyCert) + forge.pki.certificateToPem(rootCert)),
    anchor: write("root.pem", forge.pki.certificateToPem(rootCert)),
    p12: write("agency.p12", Buffer.from(p12, "binary")),
    otherKey: write("other.key", forge.pki.privateKeyToPem(keyPair().priv)),
  };
}
