/**
 * Reading and checking the configured agency certificate (production): a PKCS#12 file
 * (RESULT_CERT_P12 + RESULT_CERT_P12_PASSWORD) or PEM files (RESULT_CERT_KEY + RESULT_CERT_CHAIN, the
 * agency certificate first), and RESULT_TRUST_ANCHOR. Kept apart from pki.server.ts so that
 * env.server.ts can check the configuration at start-up without loading the X.509 library.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import forge from "node-forge";

export type Source = Record<string, string | undefined>;

export function pemBlocks(text: string): string[] {
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}

/** Reads the configured key and chain as PEM (from PKCS#12 or PEM files). Throws with a readable message. */
export function readConfiguredPem(source: Source): { keyPem: string; certPems: string[] } {
  if (source.RESULT_CERT_P12) {
    const der = fs.readFileSync(source.RESULT_CERT_P12);
    let p12: forge.pkcs12.Pkcs12Pfx;
    try {
      p12 = forge.pkcs12.pkcs12FromAsn1(
        forge.asn1.fromDer(der.toString("binary")),
        source.RESULT_CERT_P12_PASSWORD ?? "",
      );
    } catch (error) {
      throw new Error(
        `RESULT_CERT_P12 cannot be opened (wrong RESULT_CERT_P12_PASSWORD?): ${(error as Error).message}`,
      );
    }
    const shrouded = forge.pki.oids.pkcs8ShroudedKeyBag as string;
    const plain = forge.pki.oids.keyBag as string;
    const certBag = forge.pki.oids.certBag as string;
    const keyBag = p12.getBags({ bagType: shrouded })[shrouded]?.[0] ?? p12.getBags({ bagType: plain })[plain]?.[0];
    const certBags: forge.pkcs12.Bag[] = p12.getBags({ bagType: certBag })[certBag] ?? [];
    if (!keyBag?.key) throw new Error("RESULT_CERT_P12 holds no private key.");
    const keyPem = forge.pki.privateKeyToPem(keyBag.key);
    const certPems = certBags.flatMap((b) => (b.cert ? [forge.pki.certificateToPem(b.cert)] : []));
    // The agency certificate (the one matching the key) first.
    const pub = crypto.createPublicKey(keyPem).export({ type: "spki", format: "der" });
    certPems.sort((a: string, b: string) => {
      const matches = (pem: string) =>
        new crypto.X509Certificate(pem).publicKey.export({ type: "spki", format: "der" }).equals(pub) ? 0 : 1;
      return matches(a) - matches(b);
    });
    return { keyPem, certPems };
  }
  if (source.RESULT_CERT_KEY && source.RESULT_CERT_CHAIN) {
    return {
      keyPem: fs.readFileSync(source.RESULT_CERT_KEY, "utf8"),
      certPems: pemBlocks(fs.readFileSync(source.RESULT_CERT_CHAIN, "utf8")),
    };
  }
  throw new Error("No agency certificate configured (RESULT_CERT_P12, or RESULT_CERT_KEY with RESULT_CERT_CHAIN).");
}

/**
 * Everything wrong with the configured signing certificate, for productionProblems. Synchronous, using
 * Node's X509Certificate: the key matches the certificate, the certificate is valid today, and the chain
 * leads to RESULT_TRUST_ANCHOR.
 */
export function certificateProblems(source: Source): string[] {
  if (!source.RESULT_CERT_P12 && !(source.RESULT_CERT_KEY && source.RESULT_CERT_CHAIN))
    return [
      "RESULT_CERT_P12 (with RESULT_CERT_P12_PASSWORD), or RESULT_CERT_KEY and RESULT_CERT_CHAIN, is not set (the agency certificate that signs result PDFs).",
    ];
  const problems: string[] = [];
  let keyPem: string;
  let certPems: string[];
  try {
    ({ keyPem, certPems } = readConfiguredPem(source));
  } catch (error) {
    return [(error as Error).message];
  }
  let key: crypto.KeyObject;
  try {
    key = crypto.createPrivateKey(keyPem);
  } catch {
    return ["The agency certificate's private key (RESULT_CERT_KEY / RESULT_CERT_P12) is not readable."];
  }
  const certs = certPems.map((p) => new crypto.X509Certificate(p));
  const leaf = certs[0];
  if (!leaf) return ["The agency certificate chain (RESULT_CERT_CHAIN / RESULT_CERT_P12) holds no certificate."];
  if (!leaf.checkPrivateKey(key)) problems.push("The agency certificate does not match its private key.");
  const now = Date.now();
  if (Date.parse(leaf.validTo) < now || Date.parse(leaf.validFrom) > now)
    problems.push(`The agency certificate is not valid today (${leaf.validFrom} – ${leaf.validTo}).`);
  if (!source.RESULT_TRUST_ANCHOR) {
    problems.push("RESULT_TRUST_ANCHOR is not set (the root CA certificate, PEM, that result signatures chain to).");
    return problems;
  }
  let anchor: crypto.X509Certificate;
  try {
    const block = pemBlocks(fs.readFileSync(source.RESULT_TRUST_ANCHOR, "utf8"))[0];
    if (!block) throw new Error("no certificate");
    anchor = new crypto.X509Certificate(block);
  } catch {
    problems.push("RESULT_TRUST_ANCHOR is not a readable PEM certificate.");
    return problems;
  }
  let current = leaf;
  const pool = [...certs.slice(1), anchor];
  for (let depth = 0; depth < 8; depth++) {
    if (current.checkIssued(anchor) && current.verify(anchor.publicKey)) return problems;
    const issuer = pool.find((c) => current.checkIssued(c) && current.verify(c.publicKey) && c !== current);
    if (!issuer) break;
    current = issuer;
  }
  problems.push("The agency certificate chain does not lead to RESULT_TRUST_ANCHOR.");
  return problems;
}
