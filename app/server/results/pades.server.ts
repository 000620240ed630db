/**
 * PAdES baseline B (ETSI EN 319 142-1) signatures on result PDFs, and their verification (ADR 014).
 *
 * Signing: @signpdf/placeholder-pdf-lib adds the signature dictionary (SubFilter ETSI.CAdES.detached,
 * signing time in /M), @signpdf/signpdf computes the byte range, and `CadesSigner` builds the detached
 * CMS SignedData with pkijs: signed attributes content-type, message-digest and ESS signing-certificate-v2
 * (no signing-time attribute, as B-B requires), the agency certificate and its chain.
 *
 * Verification of any uploaded PDF: the last signature's byte range must cover the whole file except the
 * signature itself (nothing appended after signing), the message digest must match those bytes, the CMS
 * signature must verify with the embedded signer certificate, the signing-certificate-v2 hash must match
 * it, the chain must lead to the trust anchor, and the certificate must not be on the CRL with a
 * revocation date before the signing time.
 */
import crypto from "node:crypto";
import { pdflibAddPlaceholder } from "@signpdf/placeholder-pdf-lib";
import signpdfModule from "@signpdf/signpdf";
import { Signer, SUBFILTER_ETSI_CADES_DETACHED } from "@signpdf/utils";
import * as asn1js from "asn1js";
import type { PDFDocument } from "pdf-lib";
import * as pkijs from "pkijs";
import type { SigningIdentity } from "./pki.server.ts";
import type * as x509 from "./x509.server.ts";
import { X509Certificate } from "./x509.server.ts";

const OID = {
  data: "1.2.840.113549.1.7.1",
  signedData: "1.2.840.113549.1.7.2",
  contentType: "1.2.840.113549.1.9.3",
  messageDigest: "1.2.840.113549.1.9.4",
  signingCertificateV2: "1.2.840.113549.1.9.16.2.47",
  sha256: "2.16.840.1.101.3.4.2.1",
  sha256WithRsa: "1.2.840.113549.1.1.11",
  ecdsaWithSha256: "1.2.840.10045.4.3.2",
  rsaEncryption: "1.2.840.113549.1.1.1",
};

const SIGNATURE_LENGTH = 16_384;

// @signpdf/signpdf is CommonJS with `exports.default`: bundlers hand over the instance, Node's ESM loader
// (the production build) the module object around it.
const signpdf: typeof signpdfModule =
  "sign" in signpdfModule ? signpdfModule : (signpdfModule as unknown as { default: typeof signpdfModule }).default;

const toArrayBuffer = (b: Uint8Array): ArrayBuffer =>
  b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;

/**
 * Who signs: the certificate (with its chain) and a function that signs the DER of the signed attributes.
 * For the agency it is the local private key (`localSigner`); for a citizen it is a remote signing service,
 * which receives only the SHA-256 hash of those bytes (CSC API signatures/signHash) and never hands out the key.
 */
export type ExternalSigner = {
  certificate: X509Certificate;
  chain: X509Certificate[];
  keyType: "rsa" | "ec";
  /** The signature (sha256WithRSAEncryption or ecdsa-with-SHA256, DER) over `signedAttributes`. */
  signAttributes: (signedAttributes: Buffer) => Promise<Buffer>;
};

/** The agency's own key as an `ExternalSigner`. */
export function localSigner(identity: SigningIdentity): ExternalSigner {
  return {
    certificate: identity.certificate,
    chain: identity.chain,
    keyType: identity.privateKey.asymmetricKeyType === "ec" ? "ec" : "rsa",
    signAttributes: async (data) => crypto.sign("sha256", data, identity.privateKey),
  };
}

const SHA256_DIGEST_INFO_PREFIX = Buffer.from("3031300d060960864801650304020105000420", "hex");

/**
 * RSASSA-PKCS1-v1_5 with SHA-256 over an already computed hash (what a remote signing service does with the
 * hash it is sent): the DigestInfo is built here and padded by the private-key operation.
 */
export function signRsaDigest(hash: Buffer, key: crypto.KeyObject): Buffer {
  if (hash.length !== 32) throw new Error("A SHA-256 hash is 32 bytes.");
  if (key.asymmetricKeyType !== "rsa") throw new Error("Only RSA keys sign prehashed digests here.");
  return crypto.privateEncrypt(
    { key, padding: crypto.constants.RSA_PKCS1_PADDING },
    Buffer.concat([SHA256_DIGEST_INFO_PREFIX, hash]),
  );
}

/** Detached CAdES-B signature over the PDF's byte range. */
class CadesSigner extends Signer {
  constructor(private readonly signer: ExternalSigner) {
    super();
  }

  override async sign(content: Buffer): Promise<Buffer> {
    const { signer } = this;
    const leafDer = new Uint8Array(signer.certificate.rawData);
    const leaf = pkijs.Certificate.fromBER(leafDer);
    const digest = crypto.createHash("sha256").update(content).digest();
    const certHash = crypto.createHash("sha256").update(leafDer).digest();
    // SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2 }; ESSCertIDv2 with the default
    // hash algorithm (SHA-256) is SEQUENCE { certHash OCTET STRING, issuerSerial IssuerSerial }.
    const issuerSerial = new asn1js.Sequence({
      value: [
        new asn1js.Sequence({
          value: [new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 4 }, value: [leaf.issuer.toSchema()] })],
        }),
        leaf.serialNumber,
      ],
    });
    const signingCertificateV2 = new asn1js.Sequence({
      value: [
        new asn1js.Sequence({
          value: [
            new asn1js.Sequence({
              value: [new asn1js.OctetString({ valueHex: toArrayBuffer(certHash) }), issuerSerial],
            }),
          ],
        }),
      ],
    });
    const signedAttrs = new pkijs.SignedAndUnsignedAttributes({
      type: 0,
      attributes: [
        new pkijs.Attribute({ type: OID.contentType, values: [new asn1js.ObjectIdentifier({ value: OID.data })] }),
        new pkijs.Attribute({
          type: OID.messageDigest,
          values: [new asn1js.OctetString({ valueHex: toArrayBuffer(digest) })],
        }),
        new pkijs.Attribute({ type: OID.signingCertificateV2, values: [signingCertificateV2] }),
      ],
    });
    // The signature covers the DER of the attributes as a SET (tag 0x31), not as the [0] field.
    const encoded = new Uint8Array(signedAttrs.toSchema().toBER(false));
    encoded[0] = 0x31;
    const isEc = signer.keyType === "ec";
    const signature = await signer.signAttributes(Buffer.from(encoded));
    const signerInfo = new pkijs.SignerInfo({
      version: 1,
      sid: new pkijs.IssuerAndSerialNumber({ issuer: leaf.issuer, serialNumber: leaf.serialNumber }),
      digestAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256 }),
      signedAttrs,
      signatureAlgorithm: new pkijs.AlgorithmIdentifier(
        isEc
          ? { algorithmId: OID.ecdsaWithSha256 }
          : { algorithmId: OID.sha256WithRsa, algorithmParams: new asn1js.Null() },
      ),
      signature: new asn1js.OctetString({ valueHex: toArrayBuffer(signature) }),
    });
    const signedData = new pkijs.SignedData({
      version: 1,
      digestAlgorithms: [
        new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256, algorithmParams: new asn1js.Null() }),
      ],
      encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: OID.data }),
      certificates: [leaf, ...signer.chain.map((c) => pkijs.Certificate.fromBER(new Uint8Array(c.rawData)))],
      signerInfos: [signerInfo],
    });
    const contentInfo = new pkijs.ContentInfo({ contentType: OID.signedData, content: signedData.toSchema(true) });
    return Buffer.from(contentInfo.toSchema().toBER(false));
  }
}

const ascii = (s: string) =>
  s
    .normalize("NFD")
    .replace(/\p{Mn}/gu, "")
    .replace(/đ/g, "d")
    .replace(/Đ/g, "D")
    .replace(/[^\x20-\x7e]/g, "");

/** Adds the signature placeholder to a pdf-lib document (before `save`). */
export function addSignaturePlaceholder(
  pdfDoc: PDFDocument,
  opts: { name: string; reason: string; location: string; signingTime: Date },
) {
  pdflibAddPlaceholder({
    pdfDoc,
    // The placeholder library writes these as PDFDocEncoding literals: keep them to ASCII.
    reason: ascii(opts.reason),
    contactInfo: "",
    name: ascii(opts.name),
    location: ascii(opts.location),
    signingTime: opts.signingTime,
    signatureLength: SIGNATURE_LENGTH,
    subFilter: SUBFILTER_ETSI_CADES_DETACHED,
    appName: "Cong Dich vu cong",
  });
}

/** Signs a PDF that already has a placeholder (`addSignaturePlaceholder`). */
export async function signPdf(pdf: Uint8Array, identity: SigningIdentity, signingTime: Date): Promise<Buffer> {
  return signPdfWith(pdf, localSigner(identity), signingTime);
}

/** Signs a PDF that already has a placeholder with any signer (a local key or a remote signing service). */
export async function signPdfWith(pdf: Uint8Array, signer: ExternalSigner, signingTime: Date): Promise<Buffer> {
  return signpdf.sign(Buffer.from(pdf), new CadesSigner(signer), signingTime);
}

// ───────────────────────────── verification ─────────────────────────────

export type PdfCheck =
  | { ok: false; problem: "notPdf" | "unsigned" | "malformed" }
  | {
      ok: true;
      /** The bytes signed are exactly the file (nothing changed or appended since). */
      intact: boolean;
      /** The CMS signature and message digest verify with the signer's certificate. */
      signatureValid: boolean;
      /** The chain from the signer's certificate reaches the configured trust anchor. */
      chainTrusted: boolean;
      /** null: no CRL to check against. */
      revokedAtSigning: boolean | null;
      revokedAt: string | null;
      signedAt: string | null;
      signer: {
        subject: string;
        issuer: string;
        serialNumber: string;
        fingerprint: string;
        notAfter: string;
        /** The subject's common name (the person or agency), and its serialNumber attribute (2.5.4.5). */
        commonName: string | null;
        subjectSerialNumber: string | null;
      };
      /** The portal's verification code printed in the document, if found (for the old-style lookup). */
      valid: boolean;
    };

/** Finds the last signature dictionary's ByteRange and Contents. */
function lastSignature(
  pdf: Buffer,
): { range: [number, number, number, number]; contents: Buffer; dict: string } | null {
  const text = pdf.toString("latin1");
  const re = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g;
  let match: RegExpExecArray | null = null;
  for (let m = re.exec(text); m; m = re.exec(text)) match = m;
  if (!match) return null;
  const range = match.slice(1, 5).map(Number) as [number, number, number, number];
  const [a, b, c, d] = range;
  if (a !== 0 || b <= 0 || c <= b || d < 0 || c + d > pdf.length) return null;
  const hole = text.slice(b, c);
  const hex = /^<([0-9A-Fa-f\s]*)>$/.exec(hole.trim())?.[1];
  if (hex === undefined) return null;
  // The hole is padded with zeros after the DER; the DER's own length says where it ends (parsed below).
  const contents = Buffer.from(hex.replace(/\s/g, ""), "hex");
  const dictStart = text.lastIndexOf("<<", match.index);
  const dict = `${text.slice(dictStart, b)} ${text.slice(c, Math.min(text.length, c + 2000))}`;
  return { range, contents, dict };
}

function pdfDate(dict: string): string | null {
  const m = /\/M\s*\(D:(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(Z|[+-]\d{2}'?\d{2}'?)?/.exec(dict);
  if (!m) return null;
  const tz = !m[7] || m[7] === "Z" ? "Z" : `${m[7].slice(0, 3)}:${m[7].replace(/'/g, "").slice(3, 5)}`;
  const d = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${tz}`);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

async function chainReaches(leaf: X509Certificate, pool: X509Certificate[], anchor: X509Certificate): Promise<boolean> {
  let current = leaf;
  for (let depth = 0; depth < 8; depth++) {
    if (
      current.issuer === anchor.subject &&
      (await current.verify({ publicKey: anchor.publicKey, signatureOnly: true }))
    )
      return true;
    const here: X509Certificate = current;
    const candidates = pool.filter((c) => c.subject === here.issuer && !c.equal(here));
    let next: X509Certificate | null = null;
    for (const c of candidates) {
      if (await here.verify({ publicKey: c.publicKey, signatureOnly: true })) {
        next = c;
        break;
      }
    }
    if (next === null) return false;
    current = next;
  }
  return false;
}

export async function verifyPdf(
  bytes: Uint8Array,
  trust: { trustAnchor: x509.X509Certificate; crl: () => Promise<x509.X509Crl | null> },
): Promise<PdfCheck> {
  const pdf = Buffer.from(bytes);
  if (pdf.subarray(0, 5).toString("latin1") !== "%PDF-") return { ok: false, problem: "notPdf" };
  const sig = lastSignature(pdf);
  if (!sig) return { ok: false, problem: "unsigned" };
  const [, b, c, d] = sig.range;
  const signed = Buffer.concat([pdf.subarray(0, b), pdf.subarray(c, c + d)]);
  let signedData: pkijs.SignedData;
  let leafPk: pkijs.Certificate;
  let signerInfo: pkijs.SignerInfo;
  try {
    const parsed = asn1js.fromBER(new Uint8Array(sig.contents));
    if (parsed.offset === -1) return { ok: false, problem: "malformed" };
    const info = new pkijs.ContentInfo({ schema: parsed.result });
    if (info.contentType !== OID.signedData) return { ok: false, problem: "malformed" };
    signedData = new pkijs.SignedData({ schema: info.content });
    const first = signedData.signerInfos[0];
    if (!first) return { ok: false, problem: "malformed" };
    signerInfo = first;
    const sid = signerInfo.sid;
    const certs = (signedData.certificates ?? []).filter((x): x is pkijs.Certificate => x instanceof pkijs.Certificate);
    const found =
      sid instanceof pkijs.IssuerAndSerialNumber
        ? certs.find((x) => x.serialNumber.isEqual(sid.serialNumber) && x.issuer.isEqual(sid.issuer))
        : undefined;
    if (!found) return { ok: false, problem: "malformed" };
    leafPk = found;
  } catch {
    return { ok: false, problem: "malformed" };
  }
  const leafDer = Buffer.from(leafPk.toSchema().toBER(false));
  const leaf = new X509Certificate(leafDer);
  const pool = (signedData.certificates ?? [])
    .filter((x): x is pkijs.Certificate => x instanceof pkijs.Certificate)
    .map((x) => new X509Certificate(Buffer.from(x.toSchema().toBER(false))));

  // Signature and digest.
  let signatureValid = false;
  try {
    const attrs = signerInfo.signedAttrs?.attributes ?? [];
    const md = attrs.find((a) => a.type === OID.messageDigest)?.values[0] as asn1js.OctetString | undefined;
    const scv2 = attrs.find((a) => a.type === OID.signingCertificateV2)?.values[0] as asn1js.Sequence | undefined;
    const digestOk =
      md !== undefined &&
      Buffer.from(md.valueBlock.valueHexView).equals(crypto.createHash("sha256").update(signed).digest());
    // ESS signing-certificate-v2: the signed attributes name the certificate (its SHA-256) that must be used.
    const certIds = (scv2?.valueBlock.value[0] as asn1js.Sequence | undefined)?.valueBlock.value ?? [];
    const firstId = certIds[0] as asn1js.Sequence | undefined;
    const hashOctets = firstId?.valueBlock.value.find((v) => v instanceof asn1js.OctetString) as
      | asn1js.OctetString
      | undefined;
    const certBound =
      hashOctets === undefined ||
      Buffer.from(hashOctets.valueBlock.valueHexView).equals(crypto.createHash("sha256").update(leafDer).digest());
    const encoded = new Uint8Array(signerInfo.signedAttrs?.encodedValue ?? new ArrayBuffer(0));
    if (encoded.length > 0) encoded[0] = 0x31;
    const publicKey = new crypto.X509Certificate(leafDer).publicKey;
    signatureValid =
      digestOk &&
      certBound &&
      encoded.length > 0 &&
      crypto.verify("sha256", encoded, publicKey, Buffer.from(signerInfo.signature.valueBlock.valueHexView));
  } catch {
    signatureValid = false;
  }
  const intact = signatureValid && c + d === pdf.length;

  const chainTrusted = await chainReaches(leaf, pool, trust.trustAnchor).catch(() => false);
  const signedAt = pdfDate(sig.dict);
  let revokedAtSigning: boolean | null = null;
  let revokedAt: string | null = null;
  const crl = await trust.crl();
  if (crl && leaf.issuer === crl.issuer) {
    const entry = crl.findRevoked(leaf);
    revokedAt = entry?.revocationDate.toISOString() ?? null;
    // Revoked before it signed (or with no signing time to compare) means the signature does not count.
    revokedAtSigning = entry ? !signedAt || entry.revocationDate.getTime() <= Date.parse(signedAt) : false;
  } else if (crl === null) {
    revokedAtSigning = null;
  }
  const fingerprint = crypto.createHash("sha256").update(leafDer).digest("hex");
  return {
    ok: true,
    intact,
    signatureValid,
    chainTrusted,
    revokedAtSigning,
    revokedAt,
    signedAt,
    signer: {
      subject: leaf.subject,
      issuer: leaf.issuer,
      serialNumber: leaf.serialNumber,
      fingerprint,
      notAfter: leaf.notAfter.toISOString(),
      commonName: leaf.subjectName.getField("CN")[0] ?? null,
      subjectSerialNumber: leaf.subjectName.getField("2.5.4.5")[0] ?? null,
    },
    valid: intact && signatureValid && chainTrusted && revokedAtSigning !== true,
  };
}
