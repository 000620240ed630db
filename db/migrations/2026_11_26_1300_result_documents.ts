import { type Kysely, sql } from "kysely";

/**
 * Real result documents (issue 14, ADR 014):
 *
 * - `procedures.result_template`: what the procedure's result shows (data, not code); empty means the
 *   applicant and every answer of the form.
 * - `result_decisions`: the clerk's decision entered at "Hoàn thành xử lý" (number, register book and
 *   page, signer, date, an optional decision PDF produced elsewhere, stored by its SHA-256).
 * - `dossier_results` gains the signed PDF: `format` says whether a row is an old Ed25519-signed HTML
 *   result (which keeps verifying by its code) or a PAdES-signed PDF; `signature` is only needed by the
 *   old format.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table procedures add column result_template jsonb`.execute(db);

  await db.schema
    .createTable("result_decisions")
    .addColumn("dossier_id", "uuid", (c) => c.primaryKey().references("dossiers.id"))
    .addColumn("decision_number", "text", (c) => c.notNull())
    .addColumn("register_book", "text")
    .addColumn("register_page", "text")
    .addColumn("signer_name", "text", (c) => c.notNull())
    .addColumn("signer_title", "text", (c) => c.notNull())
    .addColumn("decided_on", "date", (c) => c.notNull())
    .addColumn("attachment_sha256", "text")
    .addColumn("attachment_name", "text")
    .addColumn("created_by", "uuid", (c) => c.references("users.id"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull())
    .execute();

  await sql`alter table dossier_results
    add column format text not null default 'ed25519-html'
      constraint dossier_results_format_known check (format in ('ed25519-html', 'pades-pdf')),
    add column pdf bytea,
    add column pdf_sha256 text,
    alter column signature drop not null,
    add constraint dossier_results_signed check (
      (format = 'ed25519-html' and signature is not null) or (format = 'pades-pdf' and pdf is not null and pdf_sha256 is not null))`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table dossier_results drop constraint dossier_results_signed, drop column pdf_sha256,
    drop column pdf, drop column format`.execute(db);
  await db.schema.dropTable("result_decisions").ifExists().execute();
  await sql`alter table procedures drop column result_template`.execute(db);
}
