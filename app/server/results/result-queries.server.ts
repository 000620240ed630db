/** Reading stored results and checking their signatures: old Ed25519-signed HTML results and PAdES PDFs. */
import type { Kysely } from "kysely";
import type { FormFieldSpec } from "../../domain/catalogue/form-field-spec.ts";
import { type FilledRow, templateOf } from "../../domain/results/result-template.ts";
import { type Database, db } from "../db.server.ts";
import { isDemoMode, publicUrl } from "../env.server.ts";
import { type PdfCheck, verifyPdf } from "./pades.server.ts";
import { signingIdentity } from "./pki.server.ts";
import { type ResultPayload, verifyPayload } from "./result-signing.server.ts";

export type StoredResult = {
  format: "ed25519-html" | "pades-pdf";
  payload: ResultPayload & { rows?: FilledRow[]; decisionRows?: FilledRow[] };
  keyId: string;
  verificationCode: string;
  valid: boolean;
  /** For PDF results: the full check of the stored PDF. */
  pdfCheck?: PdfCheck;
};

/** The trust anchor and CRL that uploaded and stored PDFs are checked against. */
export async function verificationTrust() {
  const identity = await signingIdentity({ demoMode: isDemoMode, publicUrl: publicUrl() });
  return { trustAnchor: identity.trustAnchor, crl: identity.crl, demo: identity.demo };
}

export async function verifyResult(db: Kysely<Database>, verificationCode: string): Promise<StoredResult | null> {
  const row = await db
    .selectFrom("dossier_results")
    .select(["payload", "signature", "key_id", "issued_at", "verification_code", "format", "pdf"])
    .where("verification_code", "=", verificationCode)
    .executeTakeFirst();
  if (!row) return null;
  const payload = row.payload as StoredResult["payload"];
  if (row.format === "pades-pdf" && row.pdf) {
    const check = await verifyPdf(row.pdf, await verificationTrust());
    return {
      format: "pades-pdf",
      payload,
      keyId: row.key_id,
      verificationCode: row.verification_code,
      valid: check.ok && check.valid,
      pdfCheck: check,
    };
  }
  return {
    format: "ed25519-html",
    payload,
    keyId: row.key_id,
    verificationCode: row.verification_code,
    valid: row.signature !== null && verifyPayload(payload, row.signature),
  };
}

export async function resultOfDossier(db: Kysely<Database>, dossierId: string) {
  const row = await db
    .selectFrom("dossier_results")
    .select(["verification_code"])
    .where("dossier_id", "=", dossierId)
    .executeTakeFirst();
  return row ? verifyResult(db, row.verification_code) : null;
}

/** The signed PDF of a dossier's result, or null (no result, or an old HTML result). */
export async function resultPdfOfDossier(db: Kysely<Database>, dossierId: string) {
  const row = await db
    .selectFrom("dossier_results")
    .select(["pdf", "verification_code"])
    .where("dossier_id", "=", dossierId)
    .where("format", "=", "pades-pdf")
    .executeTakeFirst();
  return row?.pdf ? { pdf: row.pdf, verificationCode: row.verification_code } : null;
}

/** The dossier's signed result PDF as a download (404 when it has none); the caller has checked access. */
export async function resultPdfResponse(dossier: { id: string; code: string | null }): Promise<Response> {
  const result = await resultPdfOfDossier(db, dossier.id);
  if (!result) throw new Response("Not Found", { status: 404 });
  const name = `ket-qua-${(dossier.code ?? result.verificationCode).replace(/[^A-Za-z0-9.-]/g, "-")}.pdf`;
  return new Response(new Uint8Array(result.pdf), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `attachment; filename="${name}"`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}

/** The result template of a procedure (its stored one, else the default made from the form). */
export async function resultTemplateOfProcedure(db: Kysely<Database>, procedureCode: string, form: FormFieldSpec[]) {
  const procedure = await db
    .selectFrom("procedures")
    .select("result_template")
    .where("code", "=", procedureCode)
    .executeTakeFirst();
  return templateOf(procedure?.result_template ?? null, form);
}

/** Whether the dossier has a signed result document (PAdES PDF). */
export async function hasSignedResult(db: Kysely<Database>, dossierId: string): Promise<boolean> {
  const row = await db
    .selectFrom("dossier_results")
    .select("id")
    .where("dossier_id", "=", dossierId)
    .where("format", "=", "pades-pdf")
    .executeTakeFirst();
  return Boolean(row);
}
