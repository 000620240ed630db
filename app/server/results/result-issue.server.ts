/**
 * Issuing a result (issue 14): the clerk's decision is recorded at "Hoàn thành xử lý" (resolve), and the
 * result — the procedure's template filled from the dossier's answers and that decision — is made into a
 * PAdES-signed PDF when the result is returned (return_result), inside that transaction.
 */
import crypto from "node:crypto";
import type { Kysely, Transaction } from "kysely";
import {
  type Decision,
  type FilledResult,
  fillTemplate,
  type ResultTemplate,
  templateOf,
} from "../../domain/results/result-template.ts";
import type { FormFieldSpec } from "../../utils/procedure-form-spec.ts";
import { recordAudit } from "../audit.server.ts";
import type { Database } from "../db.server.ts";
import { isDemoMode, publicUrl } from "../env.server.ts";
import { readStored } from "../files/file-store.server.ts";
import { i18nFor } from "../i18n.server.ts";
import { signingIdentity } from "./pki.server.ts";
import { buildResultPdf, type PdfWords } from "./result-pdf.server.ts";
import { newVerificationCode } from "./result-signing.server.ts";

type Db = Kysely<Database> | Transaction<Database>;

export type StoredDecision = Decision & { attachmentSha256?: string };

export type ResultContent = {
  dossierCode: string;
  procedureCode: string;
  procedureName: string;
  resultName: string;
  agencyCode: string;
  agencyName: string;
  template: ResultTemplate;
  filled: FilledResult;
};

export async function decisionOf(db: Db, dossierId: string): Promise<StoredDecision | null> {
  const row = await db
    .selectFrom("result_decisions")
    .selectAll()
    .where("dossier_id", "=", dossierId)
    .executeTakeFirst();
  if (!row) return null;
  return {
    number: row.decision_number,
    ...(row.register_book ? { registerBook: row.register_book } : {}),
    ...(row.register_page ? { registerPage: row.register_page } : {}),
    signerName: row.signer_name,
    signerTitle: row.signer_title,
    decidedOn: typeof row.decided_on === "string" ? row.decided_on : toIsoDate(row.decided_on),
    ...(row.attachment_name ? { attachmentName: row.attachment_name } : {}),
    ...(row.attachment_sha256 ? { attachmentSha256: row.attachment_sha256 } : {}),
  };
}

function toIsoDate(d: Date): string {
  // A `date` column comes back as local midnight; take the calendar day it names.
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

/** The result's content, from the stored decision or the one given (the clerk's preview). */
export async function resultContent(db: Db, dossierId: string, decision?: Decision | null): Promise<ResultContent> {
  const row = await db
    .selectFrom("dossiers as d")
    .innerJoin("procedures as p", "p.code", "d.procedure_code")
    .innerJoin("agencies as a", "a.code", "d.agency_code")
    .select([
      "d.code",
      "d.applicant_name",
      "d.applicant_national_id",
      "d.form_data",
      "p.code as procedure_code",
      "p.name_vi",
      "p.result_vi",
      "p.form",
      "p.result_template",
      "a.code as agency_code",
      "a.name_vi as agency_name",
    ])
    .where("d.id", "=", dossierId)
    .executeTakeFirstOrThrow();
  const form = (row.form ?? []) as FormFieldSpec[];
  const template = templateOf(row.result_template, form);
  const used = decision === undefined ? await decisionOf(db, dossierId) : decision;
  const filled = fillTemplate(
    template,
    form,
    (row.form_data ?? {}) as Record<string, unknown>,
    { name: row.applicant_name, nationalId: row.applicant_national_id },
    used,
  );
  return {
    dossierCode: row.code ?? "",
    procedureCode: row.procedure_code,
    procedureName: row.name_vi,
    resultName: row.result_vi,
    agencyCode: row.agency_code,
    agencyName: row.agency_name,
    template,
    filled,
  };
}

/** The clerk's decision, written with the resolve action (in its transaction) and audited. */
export async function recordDecision(
  trx: Transaction<Database>,
  dossierId: string,
  decision: StoredDecision,
  clerkId: string,
  now: Date,
): Promise<void> {
  const values = {
    decision_number: decision.number,
    register_book: decision.registerBook ?? null,
    register_page: decision.registerPage ?? null,
    signer_name: decision.signerName,
    signer_title: decision.signerTitle,
    decided_on: decision.decidedOn,
    attachment_sha256: decision.attachmentSha256 ?? null,
    attachment_name: decision.attachmentName ?? null,
    created_by: clerkId,
    created_at: now,
  };
  await trx
    .insertInto("result_decisions")
    .values({ dossier_id: dossierId, ...values })
    .onConflict((oc) => oc.column("dossier_id").doUpdateSet(values))
    .execute();
  await recordAudit(trx, {
    actorId: clerkId,
    action: "result_decision_recorded",
    entity: "dossier",
    entityId: dossierId,
    data: { ...decision },
  });
}

function pdfWords(): PdfWords {
  const t = i18nFor("vi").getFixedT("vi", "documents");
  const keys = [
    "nation",
    "motto",
    "dossierCode",
    "procedure",
    "decision",
    "verifyHint",
    "verificationCode",
    "signedBy",
    "reason",
    "location",
  ] as const;
  return Object.fromEntries(keys.map((k) => [k, t(`pdf.${k}`)])) as PdfWords;
}

/** Makes, signs and stores the result PDF, inside the return transaction. Returns the verification code. */
export async function issueResult(trx: Transaction<Database>, dossierId: string, now: Date): Promise<string> {
  const content = await resultContent(trx, dossierId);
  const decision = await decisionOf(trx, dossierId);
  const identity = await signingIdentity({ demoMode: isDemoMode, publicUrl: publicUrl() });
  const verificationCode = newVerificationCode();
  const verifyUrl = `${publicUrl()}/verify?code=${verificationCode}`;
  const attachment = decision?.attachmentSha256
    ? { name: decision.attachmentName ?? "quyet-dinh.pdf", bytes: await readStored(decision.attachmentSha256) }
    : undefined;
  const pdf = await buildResultPdf(
    {
      agencyName: content.agencyName,
      resultTitle: content.resultName,
      procedureName: content.procedureName,
      dossierCode: content.dossierCode,
      verificationCode,
      verifyUrl,
      rows: content.filled.rows,
      decisionRows: content.filled.decisionRows,
      issuedAt: now,
      ...(attachment ? { attachment } : {}),
    },
    pdfWords(),
    identity,
  );
  const payload = {
    dossierCode: content.dossierCode,
    procedureCode: content.procedureCode,
    procedureName: content.procedureName,
    resultName: content.resultName,
    agencyCode: content.agencyCode,
    agencyName: content.agencyName,
    issuedAt: now.toISOString(),
    rows: content.filled.rows,
    decisionRows: content.filled.decisionRows,
  };
  await trx
    .insertInto("dossier_results")
    .values({
      dossier_id: dossierId,
      verification_code: verificationCode,
      payload: JSON.stringify(payload),
      signature: null,
      key_id: identity.certificate.serialNumber,
      issued_at: now,
      format: "pades-pdf",
      pdf,
      pdf_sha256: crypto.createHash("sha256").update(pdf).digest("hex"),
    })
    .execute();
  return verificationCode;
}
