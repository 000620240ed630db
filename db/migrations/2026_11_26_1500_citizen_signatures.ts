import { type Kysely, sql } from "kysely";

/**
 * Citizens' signed declarations (issue 14, ADR 018): at "check your answers" a citizen may sign the
 * declaration (the dossier's answers as a PDF) through a remote signing service. A row exists only for a
 * signature that verified when it was made; signing again replaces it, and changing the answers of the draft
 * afterwards removes it (the signed PDF no longer says what the dossier says). `form_sha256` is the hash of
 * the answers that were signed.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("dossier_signatures")
    .addColumn("dossier_id", "uuid", (c) => c.primaryKey().references("dossiers.id"))
    .addColumn("signer_id", "uuid", (c) => c.notNull().references("users.id"))
    .addColumn("pdf", "bytea", (c) => c.notNull())
    .addColumn("pdf_sha256", "text", (c) => c.notNull())
    .addColumn("form_sha256", "text", (c) => c.notNull())
    .addColumn("credential_id", "text", (c) => c.notNull())
    .addColumn("signer_subject", "text", (c) => c.notNull())
    .addColumn("certificate_serial", "text", (c) => c.notNull())
    .addColumn("certificate_fingerprint", "text", (c) => c.notNull())
    .addColumn("signed_at", "timestamptz", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await sql`create function drop_stale_citizen_signature() returns trigger language plpgsql as $$
    begin
      delete from dossier_signatures where dossier_id = new.id;
      if found then
        insert into audit_events (actor_id, action, entity, entity_id, data)
          values (null, 'signature_dropped', 'dossier', new.id::text,
                  jsonb_build_object('reason', 'the answers changed after signing'));
      end if;
      return null;
    end $$`.execute(db);
  await sql`create trigger dossiers_drop_stale_citizen_signature
    after update of form_data on dossiers
    for each row when (old.form_data is distinct from new.form_data)
    execute function drop_stale_citizen_signature()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger if exists dossiers_drop_stale_citizen_signature on dossiers`.execute(db);
  await sql`drop function if exists drop_stale_citizen_signature()`.execute(db);
  await db.schema.dropTable("dossier_signatures").ifExists().execute();
}
