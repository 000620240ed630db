/** All Kysely for dossiers: reads, row locks and the per-agency daily code sequence. */
import type { Kysely, Transaction } from "kysely";
import type { Database } from "../db.server.ts";

export type Db = Kysely<Database> | Transaction<Database>;

export async function lockDossier(trx: Transaction<Database>, id: string) {
  return trx.selectFrom("dossiers").selectAll().where("id", "=", id).forUpdate().executeTakeFirst();
}

export async function dossierById(db: Db, id: string) {
  return db
    .selectFrom("dossiers as d")
    .innerJoin("procedures as p", "p.code", "d.procedure_code")
    .innerJoin("agencies as a", "a.code", "d.agency_code")
    .selectAll("d")
    .select([
      "p.name_vi as procedure_name_vi",
      "p.name_en as procedure_name_en",
      "p.form as procedure_form",
      "p.documents as procedure_documents",
      "p.processing_amount",
      "p.processing_unit",
      "p.online_kind",
      "a.name_vi as agency_name_vi",
      "a.name_en as agency_name_en",
    ])
    .where("d.id", "=", id)
    .executeTakeFirst();
}
export type DossierRow = NonNullable<Awaited<ReturnType<typeof dossierById>>>;

export async function attachmentsOf(db: Db, dossierId: string) {
  return db
    .selectFrom("dossier_attachments")
    .select(["id", "document_index", "file_name", "mime_type", "size_bytes", "sha256", "created_at"])
    .where("dossier_id", "=", dossierId)
    .orderBy("document_index")
    .orderBy("created_at")
    .execute();
}

export async function eventsOf(db: Db, dossierId: string) {
  return db
    .selectFrom("dossier_events as e")
    .leftJoin("agencies as a", "a.code", "e.agency_code")
    .select([
      "e.id",
      "e.at",
      "e.action",
      "e.from_status",
      "e.to_status",
      "e.actor_role",
      "e.actor_id",
      "e.reason",
      "e.data",
      "e.agency_code",
      "a.name_vi",
      "a.name_en",
    ])
    .where("e.dossier_id", "=", dossierId)
    .orderBy("e.at")
    .orderBy("e.id")
    .execute();
}

export async function viewsOf(db: Db, dossierId: string) {
  return db
    .selectFrom("dossier_views as v")
    .leftJoin("agencies as a", "a.code", "v.agency_code")
    .select(["v.at", "v.viewer_role", "v.action", "a.name_vi", "a.name_en"])
    .where("v.dossier_id", "=", dossierId)
    .orderBy("v.at", "desc")
    .limit(200)
    .execute();
}

export async function dossiersOfApplicant(db: Db, applicantId: string) {
  return db
    .selectFrom("dossiers as d")
    .innerJoin("procedures as p", "p.code", "d.procedure_code")
    .select([
      "d.id",
      "d.code",
      "d.status",
      "d.channel",
      "d.submitted_at",
      "d.received_at",
      "d.due_at",
      "d.paused_at",
      "d.paused_minutes",
      "d.ended_at",
      "d.created_at",
      "p.name_vi",
      "p.name_en",
      "p.processing_amount",
      "p.processing_unit",
    ])
    .where("d.applicant_id", "=", applicantId)
    .orderBy("d.created_at", "desc")
    .limit(200)
    .execute();
}

/** Next number in the agency's sequence for the day: atomic under concurrency; gaps possible, duplicates not. */
export async function nextDossierSequence(trx: Kysely<Database>, agencyCode: string, day: string): Promise<number> {
  const row = await trx
    .insertInto("dossier_code_sequences")
    .values({ agency_code: agencyCode, day, last_value: 1 })
    .onConflict((oc) =>
      oc
        .columns(["agency_code", "day"])
        .doUpdateSet((eb) => ({ last_value: eb(eb.ref("dossier_code_sequences.last_value"), "+", 1) })),
    )
    .returning("last_value")
    .executeTakeFirstOrThrow();
  return row.last_value;
}

export async function dossierByCodeAndNationalId(db: Db, code: string, nationalId: string) {
  return db
    .selectFrom("dossiers as d")
    .innerJoin("procedures as p", "p.code", "d.procedure_code")
    .innerJoin("agencies as a", "a.code", "d.agency_code")
    .select([
      "d.code",
      "d.status",
      "d.submitted_at",
      "d.received_at",
      "d.due_at",
      "d.resolved_at",
      "d.returned_at",
      "p.name_vi",
      "p.name_en",
      "p.processing_amount",
      "p.processing_unit",
      "a.name_vi as agency_name_vi",
      "a.name_en as agency_name_en",
    ])
    .where("d.code", "=", code)
    .where("d.applicant_national_id", "=", nationalId)
    .executeTakeFirst();
}

/** The dossier's letter of apology (form 04), if one was sent: its reason and the new appointment. */
export async function apologyOf(db: Db, dossierId: string) {
  return db
    .selectFrom("dossier_apologies")
    .select(["reason", "new_due_at", "created_at"])
    .where("dossier_id", "=", dossierId)
    .executeTakeFirst();
}
