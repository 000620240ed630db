/**
 * A citizen signs the declaration of a draft dossier through a remote signing service (CSC API v2, ADR 018):
 *
 * 1. `startCitizenSigning`: the service's credential for the citizen (credentials/list by national ID number),
 *    checked (credentials/info: key enabled, certificate valid, issued to this ID number), then a one-time code
 *    is sent to the citizen's phone (credentials/sendOTP).
 * 2. `completeCitizenSigning`: the declaration PDF is built from the answers, its signed attributes' hash is
 *    authorised with the code (credentials/authorize → SAD) and signed (signatures/signHash); the PDF is then
 *    verified by the same verifier as /verify (integrity, signature, chain to the citizens' trust anchor,
 *    CRL). Only a verified signature is stored, in one transaction with its audit row, and only if the draft
 *    and its answers are still what was signed. Any failure stores nothing.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import type { Kysely } from "kysely";
import { answerText, type FormFieldSpec } from "../../utils/procedure-form-spec.ts";
import { recordAudit } from "../audit.server.ts";
import type { Database } from "../db.server.ts";
import { dossierById, lockDossier } from "../dossiers/dossier-queries.server.ts";
import { isDemoMode, publicUrl, signingServiceConfig } from "../env.server.ts";
import { i18nFor } from "../i18n.server.ts";
import { pemBlocks } from "../results/cert-config.server.ts";
import { type ExternalSigner, type PdfCheck, signPdfWith, verifyPdf } from "../results/pades.server.ts";
import { demoCaDir, demoIdentity } from "../results/pki.server.ts";
import { verificationTrust } from "../results/result-queries.server.ts";
import * as x509 from "../results/x509.server.ts";
import { answersSha256 } from "./answers-hash.server.ts";
import { CscError, type CscErrorKind, cscClient } from "./csc-client.server.ts";
import { buildDeclarationPdf, type DeclarationWords } from "./declaration-pdf.server.ts";

export type SigningProblem =
  | CscErrorKind
  /** The feature is off (production without SIGNING_SERVICE_URL). */
  | "off"
  /** The account has no national ID number to ask the service for. */
  | "noNationalId"
  /** The service's certificate is not this citizen's, or not valid. */
  | "certificateMismatch"
  | "certificateInvalid"
  /** The signed PDF did not verify (chain, revocation, integrity). */
  | "notVerified"
  /** The dossier changed (submitted, or its answers edited) while signing. */
  | "changed"
  | "otpFormat";

export class SigningRefused extends Error {
  override name = "SigningRefused";
  constructor(
    readonly problem: SigningProblem,
    detail: string = problem,
  ) {
    super(detail);
  }
}

type Trust = { trustAnchor: x509.X509Certificate; crl: () => Promise<x509.X509Crl | null> };

let configuredCitizenTrust: Trust | undefined;

/**
 * The CA that issues citizens' signing certificates: CITIZEN_TRUST_ANCHOR (+ optional CITIZEN_CRL) when
 * configured, else in demo mode the demo CA that the simulator issues from.
 */
export async function citizenTrust(): Promise<Trust & { demo: boolean }> {
  const anchorFile = process.env.CITIZEN_TRUST_ANCHOR;
  if (anchorFile) {
    if (!configuredCitizenTrust) {
      const pem = pemBlocks(fs.readFileSync(anchorFile, "utf8"))[0];
      if (!pem) throw new Error("CITIZEN_TRUST_ANCHOR is not a readable PEM certificate.");
      let crl: x509.X509Crl | null = null;
      if (process.env.CITIZEN_CRL) {
        const bytes = fs.readFileSync(process.env.CITIZEN_CRL);
        crl = new x509.X509Crl(bytes.toString("latin1").includes("-----BEGIN") ? bytes.toString("utf8") : bytes);
      }
      const loaded = crl;
      configuredCitizenTrust = { trustAnchor: new x509.X509Certificate(pem), crl: async () => loaded };
    }
    return { ...configuredCitizenTrust, demo: false };
  }
  if (!isDemoMode) throw new Error("CITIZEN_TRUST_ANCHOR is not configured (production mode).");
  const demo = await demoIdentity(demoCaDir(), `${publicUrl()}/pki/demo-ca.crl`);
  return { trustAnchor: demo.trustAnchor, crl: demo.crl, demo: true };
}

/**
 * Verifies any uploaded PDF: against the agency's trust anchor (results), and when that chain does not hold,
 * against the citizens' CA (signed declarations). Used by /verify and the clerk's page alike.
 */
export async function verifyUploadedPdf(bytes: Uint8Array): Promise<PdfCheck> {
  const first = await verifyPdf(bytes, await verificationTrust());
  if (!first.ok || first.chainTrusted || !signingServiceConfig()) return first;
  const citizen = await citizenTrust().catch(() => null);
  if (!citizen) return first;
  return verifyPdf(bytes, citizen);
}

/** Whether citizens are offered "Ký số hồ sơ" at all. */
export function citizenSigningEnabled(): boolean {
  return signingServiceConfig() !== null;
}

function client() {
  const config = signingServiceConfig();
  if (!config) throw new SigningRefused("off");
  return { csc: cscClient(config), config };
}

/** The simulator's phone page for a credential (demo only), where the one-time code is shown. */
export function demoPhoneUrl(credentialID: string): string | null {
  const config = signingServiceConfig();
  return config?.simulator ? `${config.url}/phone/${encodeURIComponent(credentialID)}` : null;
}

/** The ETSI EN 319 412-1 natural-person identifier for a Vietnamese citizen identity card number. */
export const idSemantics = (nationalId: string) => `IDCVN-${nationalId}`;

/** The national ID number from a certificate's serialNumber attribute (IDCVN-… or CCCD:…), else as written. */
export function nationalIdOf(subjectSerialNumber: string | null): string | null {
  if (!subjectSerialNumber) return null;
  return subjectSerialNumber.replace(/^(IDCVN-|CCCD:|CMND:)/i, "");
}

type Citizen = { id: string; fullName: string; nationalId: string | null };

async function checkedCredential(citizen: Citizen) {
  if (!citizen.nationalId) throw new SigningRefused("noNationalId");
  const { csc } = client();
  const ids = await csc.listCredentials(citizen.nationalId, citizen.fullName);
  const credentialID = ids[0];
  if (!credentialID) throw new SigningRefused("noCredential");
  const info = await csc.credentialInfo(credentialID);
  if (!info.keyEnabled) throw new SigningRefused("locked");
  if (info.certStatus !== "valid" || info.certificates.length === 0) throw new SigningRefused("certificateInvalid");
  const [leafDer, ...rest] = info.certificates;
  const certificate = new x509.X509Certificate(new Uint8Array(leafDer as Buffer));
  const now = Date.now();
  if (certificate.notAfter.getTime() < now || certificate.notBefore.getTime() > now)
    throw new SigningRefused("certificateInvalid");
  if (nationalIdOf(certificate.subjectName.getField("2.5.4.5")[0] ?? null) !== citizen.nationalId)
    throw new SigningRefused("certificateMismatch");
  const chain = rest.map((der) => new x509.X509Certificate(new Uint8Array(der)));
  return { csc, credentialID, certificate, chain };
}

/** Step 1: finds the citizen's credential and has a one-time code sent. Returns the credential ID. */
export async function startCitizenSigning(citizen: Citizen): Promise<{ credentialID: string }> {
  try {
    const { csc, credentialID } = await checkedCredential(citizen);
    await csc.sendOtp(credentialID);
    return { credentialID };
  } catch (error) {
    if (error instanceof CscError) throw new SigningRefused(error.kind, error.message);
    throw error;
  }
}

function declarationWords(): DeclarationWords {
  const t = i18nFor("vi").getFixedT("vi", "documents");
  const keys = [
    "nation",
    "motto",
    "title",
    "to",
    "procedure",
    "applicant",
    "applicantId",
    "answersTitle",
    "statement",
    "reference",
    "signedOn",
    "reason",
    "location",
  ] as const;
  return Object.fromEntries(keys.map((k) => [k, t(`declaration.${k}`)])) as DeclarationWords;
}

function declarationAnswers(form: FormFieldSpec[], answers: Record<string, unknown>) {
  return form.map((f) => {
    const raw = answers[f.name];
    const value = typeof raw === "string" ? raw : raw === undefined || raw === null ? "" : String(raw);
    // Vietnamese, the language of the record, as the citizen read it on the check page.
    return { label: f.labelVi, value: answerText(f, value, "vi") };
  });
}

export type SignedDeclaration = { signedAt: Date; pdfSha256: string; signer: string };

/**
 * Step 2: signs the declaration with the one-time code and stores it when it verifies. Throws
 * `SigningRefused` with what went wrong; nothing is stored then.
 */
export async function completeCitizenSigning(
  db: Kysely<Database>,
  citizen: Citizen,
  dossierId: string,
  otp: string,
  now = new Date(),
  opts: { verify?: (pdf: Uint8Array) => Promise<PdfCheck> } = {},
): Promise<SignedDeclaration> {
  const code = otp.trim();
  if (!/^\d{4,8}$/.test(code)) throw new SigningRefused("otpFormat");
  const row = await dossierById(db, dossierId);
  if (!row || row.applicant_id !== citizen.id || row.status !== "draft") throw new SigningRefused("changed");
  const answers = row.form_data as Record<string, unknown>;
  const formSha256 = answersSha256(answers);
  const signingTime = new Date(Math.floor(now.getTime() / 1000) * 1000);
  const unsigned = await buildDeclarationPdf(
    {
      agencyName: row.agency_name_vi,
      procedureName: row.procedure_name_vi,
      dossierId: row.id,
      applicantName: citizen.fullName,
      applicantId: citizen.nationalId ?? "",
      answers: declarationAnswers(row.procedure_form as FormFieldSpec[], answers),
      signingTime,
    },
    declarationWords(),
  );

  let signed: Buffer;
  let credentialID: string;
  try {
    const credential = await checkedCredential(citizen);
    credentialID = credential.credentialID;
    const signer: ExternalSigner = {
      certificate: credential.certificate,
      chain: credential.chain,
      keyType: "rsa",
      async signAttributes(data) {
        const hash = crypto.createHash("sha256").update(data).digest();
        const sad = await credential.csc.authorize(credential.credentialID, [hash], code);
        const [signature] = await credential.csc.signHash(credential.credentialID, sad, [hash]);
        if (!signature) throw new CscError("unavailable", null, "signatures", "No signature returned");
        return signature;
      },
    };
    signed = await signPdfWith(unsigned, signer, signingTime);
  } catch (error) {
    if (error instanceof CscError) throw new SigningRefused(error.kind, error.message);
    throw error;
  }

  const check = await (opts.verify ?? verifyUploadedPdf)(signed);
  if (!check.ok || !check.valid) throw new SigningRefused("notVerified", JSON.stringify(check));
  if (nationalIdOf(check.signer.subjectSerialNumber) !== citizen.nationalId)
    throw new SigningRefused("certificateMismatch");

  const pdfSha256 = crypto.createHash("sha256").update(signed).digest("hex");
  await db.transaction().execute(async (trx) => {
    const locked = await lockDossier(trx, dossierId);
    if (
      !locked ||
      locked.applicant_id !== citizen.id ||
      locked.status !== "draft" ||
      answersSha256(locked.form_data as Record<string, unknown>) !== formSha256
    )
      throw new SigningRefused("changed");
    const values = {
      signer_id: citizen.id,
      pdf: signed,
      pdf_sha256: pdfSha256,
      form_sha256: formSha256,
      credential_id: credentialID,
      signer_subject: check.signer.subject,
      certificate_serial: check.signer.serialNumber,
      certificate_fingerprint: check.signer.fingerprint,
      signed_at: signingTime,
    };
    await trx
      .insertInto("dossier_signatures")
      .values({ dossier_id: dossierId, ...values })
      .onConflict((oc) => oc.column("dossier_id").doUpdateSet({ ...values, created_at: now }))
      .execute();
    await recordAudit(trx, {
      actorId: citizen.id,
      action: "sign_declaration",
      entity: "dossier",
      entityId: dossierId,
      data: {
        pdfSha256,
        certificateSerial: check.signer.serialNumber,
        certificateFingerprint: check.signer.fingerprint,
        credentialID,
      },
    });
  });
  return { signedAt: signingTime, pdfSha256, signer: check.signer.subject };
}

export type SignatureVerdict = {
  signedAt: string;
  signerName: string | null;
  signerNationalId: string | null;
  /** Verified now by the same checks as /verify (CRL included). */
  valid: boolean;
  intact: boolean;
  signatureValid: boolean;
  chainTrusted: boolean;
  revokedAtSigning: boolean | null;
  /** The answers are still those that were signed. */
  matchesAnswers: boolean;
  /** The certificate's ID number is the applicant's. */
  matchesApplicant: boolean;
};

/** The citizen's signed declaration of a dossier, verified now, or null when there is none. */
export async function signatureOfDossier(db: Kysely<Database>, dossierId: string): Promise<SignatureVerdict | null> {
  const row = await db
    .selectFrom("dossier_signatures as s")
    .innerJoin("dossiers as d", "d.id", "s.dossier_id")
    .select(["s.pdf", "s.form_sha256", "s.signed_at", "d.form_data", "d.applicant_national_id"])
    .where("s.dossier_id", "=", dossierId)
    .executeTakeFirst();
  if (!row) return null;
  const check = await verifyUploadedPdf(row.pdf);
  const signerNationalId = check.ok ? nationalIdOf(check.signer.subjectSerialNumber) : null;
  return {
    signedAt: new Date(row.signed_at).toISOString(),
    signerName: check.ok ? check.signer.commonName : null,
    signerNationalId,
    valid: check.ok && check.valid,
    intact: check.ok && check.intact,
    signatureValid: check.ok && check.signatureValid,
    chainTrusted: check.ok && check.chainTrusted,
    revokedAtSigning: check.ok ? check.revokedAtSigning : null,
    matchesAnswers: answersSha256(row.form_data as Record<string, unknown>) === row.form_sha256,
    matchesApplicant: !row.applicant_national_id || signerNationalId === row.applicant_national_id,
  };
}

/** The stored signed declaration (for download), or null. */
export async function signedDeclarationPdf(db: Kysely<Database>, dossierId: string) {
  return db
    .selectFrom("dossier_signatures")
    .select(["pdf", "pdf_sha256"])
    .where("dossier_id", "=", dossierId)
    .executeTakeFirst();
}
