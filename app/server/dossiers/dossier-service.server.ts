/**
 * Citizen use cases for dossiers. Each is one transaction: lock the row, decide with the pure
 * workflow, write the change and its event together.
 */
import type { Kysely, Transaction } from "kysely";
import { toVnDateString } from "../../domain/calendar/working-calendar.ts";
import type { DossierStatus } from "../../domain/dossier/dossier.ts";
import { formatDossierCode } from "../../domain/dossier/dossier-code.ts";
import { NotOwnerError } from "../../domain/dossier/dossier-errors.ts";
import { type DossierDecision, decide } from "../../domain/dossier/dossier-workflow.ts";
import {
  type ContactInput,
  type ContactValues,
  contactProblems,
  type DeliveryMethod,
  draftContact,
  isDeliveryMethod,
  normaliseVnMobile,
} from "../../utils/contact.ts";
import { type FormFieldSpec, procedureDraftSchema, procedureFormSchema } from "../../utils/procedure-form.ts";
import { recordAudit } from "../audit.server.ts";
import { cachedCatalogue } from "../catalogue/catalogue-queries.server.ts";
import type { Database } from "../db.server.ts";
import {
  checkUpload,
  cleanFileName,
  type FileProblem,
  StorageFullError,
  storeBytes,
} from "../files/file-store.server.ts";
import { attachmentsOf, lockDossier, nextDossierSequence } from "./dossier-queries.server.ts";

/** The procedure's form and documents from the catalogue cache (docs/performance.md, 4). */
export async function cachedProcedureSpec(db: Kysely<Database>, procedureCode: string): Promise<ProcedureSpec> {
  const p = await cachedCatalogue.procedureSpec(db, procedureCode);
  if (!p) throw new DossierNotFoundError();
  return { form: p.form as FormFieldSpec[], documents: p.documents as Document[] };
}

export type Citizen = { id: string; nationalId: string | null; fullName: string; email: string | null };
export type Document = { nameVi: string; nameEn: string; required: boolean };

export class DossierNotFoundError extends Error {
  override name = "DossierNotFoundError";
}
export class ProcedureNotOnlineError extends Error {
  override name = "ProcedureNotOnlineError";
}
/** The draft cannot be submitted yet: field errors (i18n keys) and documents still missing. */
export class IncompleteDossierError extends Error {
  override name = "IncompleteDossierError";
  constructor(
    readonly fieldErrors: Record<string, string>,
    readonly missingDocuments: number[],
  ) {
    super("dossier is incomplete");
  }
}
export class NotADraftError extends Error {
  override name = "NotADraftError";
}

/**
 * A row of the dossier's history that is not a workflow transition: the draft created, a counter intake, an
 * apology, a claim or assignment, a hand-over at a reorganisation, a fee paid without a status change.
 */
export type EventRecord = {
  at: Date;
  actorId: string | null;
  actorRole: string;
  action: string;
  fromStatus: string | null;
  toStatus: string;
  reason?: string | null;
  data?: object;
};

/**
 * Appends one row to `dossier_events`, the dossier's audited history (the one place that writes it; the
 * hash chain is filled by the database trigger). The system has no actor id.
 */
export async function writeEvent(
  trx: Transaction<Database>,
  dossierId: string,
  decision: { event: DossierDecision["event"] | EventRecord },
  agencyCode: string | null,
): Promise<void> {
  const e = decision.event;
  await trx
    .insertInto("dossier_events")
    .values({
      dossier_id: dossierId,
      at: e.at,
      actor_id: e.actorRole === "system" ? null : e.actorId,
      actor_role: e.actorRole,
      agency_code: agencyCode,
      action: e.action,
      from_status: e.fromStatus,
      to_status: e.toStatus,
      reason: e.reason ?? null,
      data: JSON.stringify(e.data ?? {}),
    })
    .execute();
}

export async function createDraft(db: Kysely<Database>, citizen: Citizen, procedureCode: string, now: Date) {
  return db.transaction().execute(async (trx) => {
    const procedure = await trx
      .selectFrom("procedures")
      .select(["code", "agency_code", "fee_vnd", "online_kind"])
      .where("code", "=", procedureCode)
      .where("active", "=", true)
      .executeTakeFirst();
    if (!procedure) throw new DossierNotFoundError();
    if (procedure.online_kind === "none") throw new ProcedureNotOnlineError();
    const known = await knownContact(trx, citizen.id);
    const created = await trx
      .insertInto("dossiers")
      .values({
        procedure_code: procedure.code,
        agency_code: procedure.agency_code,
        receiving_agency_code: procedure.agency_code,
        applicant_id: citizen.id,
        applicant_national_id: citizen.nationalId ?? "",
        applicant_name: citizen.fullName,
        applicant_email: citizen.email,
        applicant_phone: known.phone,
        contact_address: known.address,
        delivery_method: known.delivery,
        postal_address: known.postal,
        channel: "online",
        status: "draft",
        fee_vnd: procedure.fee_vnd,
        created_at: now,
        updated_at: now,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await writeEvent(
      trx,
      created.id,
      {
        event: {
          at: now,
          actorId: citizen.id,
          actorRole: "citizen",
          action: "create_draft",
          fromStatus: null,
          toStatus: "draft",
        },
      },
      null,
    );
    return created;
  });
}

/**
 * The contact details the portal already knows for a citizen, to prefill a new draft: the account's
 * mobile number, else the latest the citizen filed a dossier with; the contact address, delivery method
 * and postal address from the citizen's latest filed dossier that has them.
 */
export async function knownContact(
  db: Kysely<Database> | Transaction<Database>,
  citizenId: string,
): Promise<ContactValues> {
  const account = await db.selectFrom("users").select("phone").where("id", "=", citizenId).executeTakeFirst();
  const last = await db
    .selectFrom("dossiers")
    .select(["applicant_phone", "contact_address", "delivery_method", "postal_address"])
    .where("applicant_id", "=", citizenId)
    // Filed dossiers only: a draft's details may be half-typed.
    .where("status", "<>", "draft")
    .where((eb) => eb.or([eb("contact_address", "is not", null), eb("applicant_phone", "is not", null)]))
    .orderBy("updated_at", "desc")
    .limit(1)
    .executeTakeFirst();
  return {
    phone:
      (account?.phone && normaliseVnMobile(account.phone)) ||
      (last?.applicant_phone && normaliseVnMobile(last.applicant_phone)) ||
      null,
    address: last?.contact_address ?? null,
    delivery: isDeliveryMethod(last?.delivery_method) ? last.delivery_method : null,
    postal: last?.postal_address ?? null,
  };
}

/** A dossier row's contact details. */
export function contactOf(row: {
  applicant_phone: string | null;
  contact_address: string | null;
  delivery_method: string | null;
  postal_address: string | null;
}): ContactValues {
  return {
    phone: row.applicant_phone,
    address: row.contact_address,
    delivery: isDeliveryMethod(row.delivery_method) ? (row.delivery_method as DeliveryMethod) : null,
    postal: row.postal_address,
  };
}

async function lockOwnDraft(trx: Transaction<Database>, citizenId: string, dossierId: string) {
  const row = await lockDossier(trx, dossierId);
  if (!row) throw new DossierNotFoundError();
  if (row.applicant_id !== citizenId) throw new NotOwnerError();
  return row;
}

export type UploadedDocument = { documentIndex: number; file: File };
export type UploadProblem = { documentIndex: number; problem: FileProblem };

/**
 * Saves what the citizen typed (as far as it can ever be valid) and any attached files. Files that
 * fail the checks are reported, not stored; nothing already saved is lost.
 */
export async function saveDraft(
  db: Kysely<Database>,
  citizenId: string,
  dossierId: string,
  input: {
    answers: Record<string, string>;
    uploads: UploadedDocument[];
    removeAttachmentIds: string[];
    documentCount: number;
    /** The procedure's form, when the caller has it (from the catalogue cache); read in the transaction otherwise. */
    form?: readonly FormFieldSpec[];
    /** Contact details and delivery as typed (fields not sent are left as they are). */
    contact?: Partial<ContactInput>;
  },
  now: Date,
): Promise<{
  fieldErrors: Record<string, string>;
  uploadProblems: UploadProblem[];
  answers: Record<string, unknown>;
  contact: ContactValues;
}> {
  const checked = await Promise.all(input.uploads.map(async (u) => ({ ...u, result: await checkUpload(u.file) })));
  const uploadProblems: UploadProblem[] = [];
  const stored: Array<{ documentIndex: number; fileName: string; sha256: string; mimeType: string; size: number }> = [];
  for (const u of checked) {
    if (u.documentIndex < 0 || u.documentIndex >= input.documentCount) continue;
    if (!u.result.ok) {
      uploadProblems.push({ documentIndex: u.documentIndex, problem: u.result.problem });
      continue;
    }
    let sha256: string;
    try {
      sha256 = await storeBytes(u.result.bytes);
    } catch (error) {
      // A full disk: the answers are still saved, the citizen is told to attach the file again later.
      if (!(error instanceof StorageFullError)) throw error;
      uploadProblems.push({ documentIndex: u.documentIndex, problem: "storageFull" });
      continue;
    }
    stored.push({
      documentIndex: u.documentIndex,
      fileName: cleanFileName(u.file.name),
      sha256,
      mimeType: u.result.mimeType,
      size: u.file.size,
    });
  }

  return db.transaction().execute(async (trx) => {
    const row = await lockOwnDraft(trx, citizenId, dossierId);
    if (row.status !== "draft") throw new NotADraftError();
    const form = input.form ?? (await formOf(trx, row.procedure_code));
    const parsed = procedureDraftSchema(form).safeParse(input.answers);
    const fieldErrors: Record<string, string> = {};
    let answers: Record<string, unknown> = row.form_data as Record<string, unknown>;
    if (parsed.success) {
      answers = parsed.data;
    } else {
      // Keep the valid answers; the invalid ones are reported and the old value stays.
      for (const issue of parsed.error.issues) fieldErrors[String(issue.path[0])] ??= issue.message;
      answers = { ...answers };
      for (const f of form) {
        if (!fieldErrors[f.name] && typeof input.answers[f.name] === "string") {
          const v = input.answers[f.name]?.trim();
          answers[f.name] = v ? v : undefined;
        }
      }
    }
    const typed = draftContact(input.contact ?? {});
    Object.assign(fieldErrors, typed.errors);
    const contact = { ...contactOf(row), ...typed.values };
    await trx
      .updateTable("dossiers")
      .set({
        form_data: JSON.stringify(answers),
        applicant_phone: contact.phone,
        contact_address: contact.address,
        delivery_method: contact.delivery,
        postal_address: contact.postal,
        version: row.version + 1,
        updated_at: now,
      })
      .where("id", "=", dossierId)
      .execute();
    if (input.removeAttachmentIds.length > 0) {
      await trx
        .deleteFrom("dossier_attachments")
        .where("dossier_id", "=", dossierId)
        .where("id", "in", input.removeAttachmentIds)
        .execute();
    }
    for (const s of stored) {
      await trx
        .insertInto("dossier_attachments")
        .values({
          dossier_id: dossierId,
          document_index: s.documentIndex,
          file_name: s.fileName,
          mime_type: s.mimeType,
          size_bytes: s.size,
          sha256: s.sha256,
          uploaded_by: citizenId,
          created_at: now,
        })
        .execute();
    }
    // A signed declaration of other answers is dropped by a trigger (migration 2026_11_26_1500, ADR 018).
    await recordAudit(trx, {
      actorId: citizenId,
      action: "save_draft",
      entity: "dossier",
      entityId: dossierId,
      data: { attached: stored.length, removed: input.removeAttachmentIds.length },
    });
    return { fieldErrors, uploadProblems, answers, contact };
  });
}

async function formOf(db: Kysely<Database> | Transaction<Database>, procedureCode: string) {
  const p = await db
    .selectFrom("procedures")
    .select(["form", "documents"])
    .where("code", "=", procedureCode)
    .executeTakeFirstOrThrow();
  return p.form as FormFieldSpec[];
}

/** A procedure's form and required documents: what a draft is checked against. */
export type ProcedureSpec = { form: readonly FormFieldSpec[]; documents: readonly Document[] };

/** What still stops submission: invalid answers and required documents without a file. */
export async function completeness(
  db: Kysely<Database> | Transaction<Database>,
  dossierId: string,
  spec: { form: unknown; documents: unknown },
  formData: unknown,
  /** The contact details and delivery; checked too when given (always, for submission). */
  contact?: ContactValues,
) {
  const parsed = procedureFormSchema(spec.form as FormFieldSpec[]).safeParse(formData ?? {});
  const fieldErrors: Record<string, string> = {};
  if (!parsed.success) for (const issue of parsed.error.issues) fieldErrors[String(issue.path[0])] ??= issue.message;
  if (contact) Object.assign(fieldErrors, contactProblems(contact));
  const attached = new Set((await attachmentsOf(db, dossierId)).map((a) => a.document_index));
  const missingDocuments = (spec.documents as Document[]).flatMap((d, i) =>
    d.required && !attached.has(i) ? [i] : [],
  );
  return { fieldErrors, missingDocuments };
}

/**
 * Submits a draft: validates it completely, issues the dossier code, moves it to `submitted`.
 * Idempotent: a second call (double click, resent form) returns the code already issued.
 *
 * The day's number is taken before the submitting transaction, in a statement of its own: the agency's
 * counter row for the day is locked only for that statement, not while the dossier is written, its event
 * and audit chain appended and the whole committed. Submissions to one unit would otherwise queue on that
 * one row (docs/performance.md). The price is a gap when the transaction then fails or a concurrent
 * submit of the same draft wins, which the code rule allows (docs/domain.md#dossier-code); numbers never repeat.
 */
export async function submitDossier(db: Kysely<Database>, citizenId: string, dossierId: string, now: Date) {
  const day = toVnDateString(now);
  // Checked before a number is taken, so incomplete or repeated submissions do not use numbers up.
  const before = await db
    .selectFrom("dossiers")
    .select([
      "status",
      "code",
      "submitted_at",
      "applicant_id",
      "procedure_code",
      "form_data",
      "receiving_agency_code",
      "applicant_phone",
      "contact_address",
      "delivery_method",
      "postal_address",
    ])
    .where("id", "=", dossierId)
    .executeTakeFirst();
  if (!before) throw new DossierNotFoundError();
  if (before.applicant_id !== citizenId) throw new NotOwnerError();
  if (before.status !== "draft") {
    if (before.code && before.submitted_at) return { code: before.code, alreadySubmitted: true };
    throw new NotADraftError();
  }
  const spec = await cachedProcedureSpec(db, before.procedure_code);
  await assertComplete(db, dossierId, spec, before.form_data, contactOf(before));
  const sequence = await nextDossierSequence(db, before.receiving_agency_code, day);

  return db.transaction().execute(async (trx) => {
    const row = await lockOwnDraft(trx, citizenId, dossierId);
    if (row.status !== "draft") {
      if (row.code && row.submitted_at) return { code: row.code, alreadySubmitted: true };
      throw new NotADraftError();
    }
    // Again under the lock: a file may have been removed meanwhile.
    await assertComplete(trx, dossierId, spec, row.form_data, contactOf(row));
    const decision = decide(
      {
        status: row.status as DossierStatus,
        agencyCode: row.agency_code,
        applicantId: row.applicant_id ?? "",
        receivedAt: row.received_at,
        version: row.version,
      },
      { action: "submit" },
      { role: "citizen", userId: citizenId },
      now,
    );
    const agency = row.receiving_agency_code;
    // The receiving unit cannot change on a draft being submitted; if it ever did, number it anew there.
    const number = agency === before.receiving_agency_code ? sequence : await nextDossierSequence(trx, agency, day);
    const code = formatDossierCode(agency, day, number);
    await trx
      .updateTable("dossiers")
      .set({ status: decision.nextStatus, code, submitted_at: now, version: row.version + 1, updated_at: now })
      .where("id", "=", dossierId)
      .execute();
    await writeEvent(trx, dossierId, decision, agency);
    return { code, alreadySubmitted: false };
  });
}

async function assertComplete(
  db: Kysely<Database> | Transaction<Database>,
  dossierId: string,
  spec: ProcedureSpec,
  formData: unknown,
  contact: ContactValues,
) {
  const { fieldErrors, missingDocuments } = await completeness(db, dossierId, spec, formData, contact);
  if (Object.keys(fieldErrors).length > 0 || missingDocuments.length > 0) {
    throw new IncompleteDossierError(fieldErrors, missingDocuments);
  }
}
