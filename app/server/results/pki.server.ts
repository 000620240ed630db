/**
 * The agency certificate that signs result PDFs (ADR 014), and the trust anchor and CRL that
 * verification checks against.
 *
 * - Production: the key and chain come from configuration, either a PKCS#12 file
 *   (RESULT_CERT_P12 + RESULT_CERT_P12_PASSWORD) or PEM files (RESULT_CERT_KEY + RESULT_CERT_CHAIN,
 *   the agency certificate first). RESULT_TRUST_ANCHOR is the root the chain must end at; RESULT_CRL
 *   an optional CRL file of the issuing CA. Start-up refuses without them (`certificateProblems`).
 * - Demo: on first use a demo CA (root → agency signing certificate, RSA 2048, SHA-256) is created under
 *   KEYS_DIR/demo-ca, and its CRL is published at /pki/demo-ca.crl. Never in production.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { pemBlocks, readConfiguredPem, type Source } from "./cert-config.server.ts";
import * as x509 from "./x509.server.ts";

x509.cryptoProvider.set(crypto.webcrypto as unknown as Crypto);

const RSA_ALG = {
  name: "RSASSA-PKCS1-v1_5",
  hash: "SHA-256",
  publicExponent: new Uint8Array([1, 0, 1]),
  modulusLength: 2048,
};

export type SigningIdentity = {
  /** Node key object of the agency certificate's private key (RSA or EC). */
  privateKey: crypto.KeyObject;
  /** The agency signing certificate. */
  certificate: x509.X509Certificate;
  /** Certificates between the agency certificate and the trust anchor (may include the anchor itself). */
  chain: x509.X509Certificate[];
  trustAnchor: x509.X509Certificate;
  /** The issuing CA's CRL, or null when none is configured (production without RESULT_CRL). */
  crl: () => Promise<x509.X509Crl | null>;
  demo: boolean;
};

// ───────────────────────────── demo CA ─────────────────────────────

export type DemoCaFiles = { dir: string };

type Revocation = { serialNumber: string; revokedAt: string; reason?: number };

function demoDir(keysDir?: string): string {
  return path.resolve(keysDir ?? process.env.KEYS_DIR ?? ".data/keys", "demo-ca");
}

async function importRsaKey(pem: string): Promise<CryptoKey> {
  const der = crypto.createPrivateKey(pem).export({ type: "pkcs8", format: "der" });
  return crypto.webcrypto.subtle.importKey("pkcs8", der, { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, false, [
    "sign",
  ]) as Promise<CryptoKey>;
}

async function exportKeyPem(key: CryptoKey): Promise<string> {
  const der = Buffer.from(await crypto.webcrypto.subtle.exportKey("pkcs8", key as crypto.webcrypto.CryptoKey));
  return crypto
    .createPrivateKey({ key: der, format: "der", type: "pkcs8" })
    .export({ type: "pkcs8", format: "pem" }) as string;
}

const serial = () => `01${crypto.randomBytes(15).toString("hex")}`;

/**
 * Creates the demo CA under `dir` if it is not there: a root ("Demo Root CA") and an agency signing
 * certificate issued by it, whose CRL distribution point is `crlUrl`. Files: root.crt, root.key,
 * agency.crt, agency.key (0600), revoked.json.
 */
export async function ensureDemoCa(dir: string, crlUrl: string): Promise<void> {
  if (fs.existsSync(path.join(dir, "agency.crt"))) return;
  fs.mkdirSync(dir, { recursive: true });
  const now = new Date(Date.now() - 60_000);
  const rootKeys = (await crypto.webcrypto.subtle.generateKey(RSA_ALG, true, ["sign", "verify"])) as CryptoKeyPair;
  const root = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: "CN=Demo Root CA - Cong Dich vu cong (DEMO ONLY), O=Demo, C=VN",
    notBefore: now,
    notAfter: new Date(now.getTime() + 20 * 365 * 86_400_000),
    signingAlgorithm: RSA_ALG,
    keys: rootKeys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(rootKeys.publicKey),
    ],
  });
  const agencyKeys = (await crypto.webcrypto.subtle.generateKey(RSA_ALG, true, ["sign", "verify"])) as CryptoKeyPair;
  const agency = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: "CN=UBND tinh Quang Ninh (DEMO) - ky ket qua giai quyet TTHC, O=Demo, C=VN",
    issuer: root.subject,
    notBefore: now,
    notAfter: new Date(now.getTime() + 5 * 365 * 86_400_000),
    signingAlgorithm: RSA_ALG,
    publicKey: agencyKeys.publicKey,
    signingKey: rootKeys.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation, true),
      await x509.SubjectKeyIdentifierExtension.create(agencyKeys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(rootKeys.publicKey),
      new x509.CRLDistributionPointsExtension([crlUrl]),
    ],
  });
  const write = (name: string, content: string, mode = 0o644) =>
    fs.writeFileSync(path.join(dir, name), content, { mode });
  write("root.key", await exportKeyPem(rootKeys.privateKey), 0o600);
  write("agency.key", await exportKeyPem(agencyKeys.privateKey), 0o600);
  write("root.crt", root.toString("pem"));
  write("revoked.json", "[]\n");
  // Last: its presence means the CA is complete.
  write("agency.crt", agency.toString("pem"));
}

/** Revokes a certificate of the demo CA (tests; a demo operator). */
export function revokeDemoCertificate(dir: string, serialNumber: string, revokedAt: Date): void {
  const file = path.join(dir, "revoked.json");
  const list = JSON.parse(fs.readFileSync(file, "utf8")) as Revocation[];
  list.push({ serialNumber, revokedAt: revokedAt.toISOString(), reason: x509.X509CrlReason.keyCompromise });
  fs.writeFileSync(file, `${JSON.stringify(list, null, 2)}\n`);
  crlCache.delete(dir);
}

const crlCache = new Map<string, { at: number; crl: x509.X509Crl }>();

/** The demo CA's CRL, signed by its root; regenerated at most once a minute (and after a revocation). */
export async function demoCrl(dir: string): Promise<x509.X509Crl> {
  const cached = crlCache.get(dir);
  if (cached && Date.now() - cached.at < 60_000) return cached.crl;
  const root = new x509.X509Certificate(fs.readFileSync(path.join(dir, "root.crt"), "utf8"));
  const list = JSON.parse(fs.readFileSync(path.join(dir, "revoked.json"), "utf8")) as Revocation[];
  const now = new Date();
  const crl = await x509.X509CrlGenerator.create({
    issuer: root.subject,
    thisUpdate: now,
    nextUpdate: new Date(now.getTime() + 86_400_000),
    signingAlgorithm: RSA_ALG,
    signingKey: await importRsaKey(fs.readFileSync(path.join(dir, "root.key"), "utf8")),
    entries: list.map((r) => ({
      serialNumber: r.serialNumber,
      revocationDate: new Date(r.revokedAt),
      ...(r.reason !== undefined ? { reason: r.reason } : {}),
    })),
  });
  crlCache.set(dir, { at: Date.now(), crl });
  return crl;
}

/** The demo identity stored in `dir` (created first if missing). */
export async function demoIdentity(dir: string, crlUrl: string): Promise<SigningIdentity> {
  await ensureDemoCa(dir, crlUrl);
  const root = new x509.X509Certificate(fs.readFileSync(path.join(dir, "root.crt"), "utf8"));
  return {
    privateKey: crypto.createPrivateKey(fs.readFileSync(path.join(dir, "agency.key"), "utf8")),
    certificate: new x509.X509Certificate(fs.readFileSync(path.join(dir, "agency.crt"), "utf8")),
    chain: [root],
    trustAnchor: root,
    crl: () => demoCrl(dir),
    demo: true,
  };
}

function configuredIdentity(source: Source): SigningIdentity {
  const { keyPem, certPems } = readConfiguredPem(source);
  const [leaf, ...rest] = certPems.map((p) => new x509.X509Certificate(p));
  if (!leaf) throw new Error("The agency certificate chain holds no certificate.");
  const anchorPem = pemBlocks(fs.readFileSync(source.RESULT_TRUST_ANCHOR ?? "", "utf8"))[0];
  if (!anchorPem) throw new Error("RESULT_TRUST_ANCHOR is not a readable PEM certificate.");
  const crlFile = source.RESULT_CRL;
  let crl: x509.X509Crl | null = null;
  if (crlFile) {
    const bytes = fs.readFileSync(crlFile);
    crl = new x509.X509Crl(bytes.toString("latin1").includes("-----BEGIN") ? bytes.toString("utf8") : bytes);
  }
  return {
    privateKey: crypto.createPrivateKey(keyPem),
    certificate: leaf,
    chain: rest,
    trustAnchor: new x509.X509Certificate(anchorPem),
    crl: async () => crl,
    demo: false,
  };
}

let identity: Promise<SigningIdentity> | undefined;

/** The portal's signing identity: configured if RESULT_CERT_* is set, else (demo mode only) the demo CA. */
export function signingIdentity(opts: { demoMode: boolean; publicUrl: string }): Promise<SigningIdentity> {
  identity ??= (async () => {
    if (process.env.RESULT_CERT_P12 || process.env.RESULT_CERT_KEY) return configuredIdentity(process.env);
    // Production start-up refuses without a configured certificate; this is a second lock on the same door.
    if (!opts.demoMode) throw new Error("No agency certificate configured (production mode).");
    return demoIdentity(demoDir(), `${opts.publicUrl}/pki/demo-ca.crl`);
  })();
  identity.catch(() => {
    identity = undefined;
  });
  return identity;
}

export function demoCaDir(): string {
  return demoDir();
}
