import { type Kysely, sql } from "kysely";

/** Dossiers, their audit events, attachments, per-agency daily code sequences and staff views. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("dossiers")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("code", "text", (c) => c.unique())
    .addColumn("procedure_code", "text", (c) => c.notNull().references("procedures.code"))
    .addColumn("agency_code", "text", (c) => c.notNull().references("agencies.code"))
    .addColumn("receiving_agency_code", "text", (c) => c.notNull().references("agencies.code"))
    .addColumn("applicant_id", "uuid", (c) => c.references("users.id"))
    .addColumn("applicant_national_id", "text", (c) => c.notNull())
    .addColumn("applicant_name", "text", (c) => c.notNull())
    .addColumn("applicant_email", "text")
    .addColumn("applicant_phone", "text")
    .addColumn("channel", "text", (c) => c.notNull().check(sql`channel in ('counter','online','postal')`))
    .addColumn("status", "text", (c) =>
      c
        .notNull()
        .check(
          sql`status in ('draft','submitted','received','not_received','processing','supplement_requested','payment_requested','withdrawn','stopped','resolved','returned')`,
        ),
    )
    .addColumn("form_data", "jsonb", (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn("fee_vnd", "bigint", (c) => c.notNull().defaultTo(0).check(sql`fee_vnd >= 0`))
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("submitted_at", "timestamptz")
    .addColumn("received_at", "timestamptz")
    .addColumn("due_at", "timestamptz")
    .addColumn("resolved_at", "timestamptz")
    .addColumn("returned_at", "timestamptz")
    .addColumn("ended_at", "timestamptz")
    .addColumn("outcome", "text", (c) => c.check(sql`outcome in ('early','on_time','late')`))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint("dossiers_code_check", sql`status = 'draft' or code is not null`)
    .execute();
  await db.schema
    .createIndex("dossiers_applicant_idx")
    .on("dossiers")
    .columns(["applicant_id", "created_at"])
    .execute();
  await db.schema.createIndex("dossiers_agency_status_idx").on("dossiers").columns(["agency_code", "status"]).execute();

  await db.schema
    .createTable("dossier_events")
    .addColumn("id", "bigint", (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn("dossier_id", "uuid", (c) => c.notNull().references("dossiers.id").onDelete("cascade"))
    .addColumn("at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("actor_id", "uuid", (c) => c.references("users.id"))
    .addColumn("actor_role", "text", (c) => c.notNull())
    .addColumn("agency_code", "text")
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("from_status", "text")
    .addColumn("to_status", "text", (c) => c.notNull())
    .addColumn("reason", "text")
    .addColumn("data", "jsonb", (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .execute();
  await db.schema
    .createIndex("dossier_events_dossier_idx")
    .on("dossier_events")
    .columns(["dossier_id", "at"])
    .execute();

  await db.schema
    .createTable("dossier_attachments")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("dossier_id", "uuid", (c) => c.notNull().references("dossiers.id").onDelete("cascade"))
    .addColumn("document_index", "integer", (c) => c.notNull())
    .addColumn("file_name", "text", (c) => c.notNull())
    .addColumn("mime_type", "text", (c) =>
      c.notNull().check(sql`mime_type in ('application/pdf','image/jpeg','image/png')`),
    )
    .addColumn("size_bytes", "integer", (c) => c.notNull())
    .addColumn("sha256", "text", (c) => c.notNull())
    .addColumn("uploaded_by", "uuid", (c) => c.references("users.id"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex("dossier_attachments_dossier_idx")
    .on("dossier_attachments")
    .column("dossier_id")
    .execute();

  await db.schema
    .createTable("dossier_code_sequences")
    .addColumn("agency_code", "text", (c) => c.notNull())
    .addColumn("day", "date", (c) => c.notNull())
    .addColumn("last_value", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("dossier_code_sequences_pk", ["agency_code", "day"])
    .execute();

  await db.schema
    .createTable("dossier_views")
    .addColumn("id", "bigint", (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn("dossier_id", "uuid", (c) => c.notNull().references("dossiers.id").onDelete("cascade"))
    .addColumn("viewer_id", "uuid", (c) => c.notNull().references("users.id"))
    .addColumn("viewer_role", "text", (c) => c.notNull())
    .addColumn("agency_code", "text")
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("dossier_views_dossier_idx").on("dossier_views").columns(["dossier_id", "at"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ["dossier_views", "dossier_code_sequences", "dossier_attachments", "dossier_events", "dossiers"]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
