import { type Kysely, sql } from "kysely";

/** Signed result documents and apology letters (forms 04). */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("dossier_results")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("dossier_id", "uuid", (c) => c.notNull().unique().references("dossiers.id").onDelete("cascade"))
    .addColumn("verification_code", "text", (c) => c.notNull().unique())
    .addColumn("payload", "jsonb", (c) => c.notNull())
    .addColumn("signature", "text", (c) => c.notNull())
    .addColumn("key_id", "text", (c) => c.notNull())
    .addColumn("issued_at", "timestamptz", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("dossier_apologies")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("dossier_id", "uuid", (c) => c.notNull().unique().references("dossiers.id").onDelete("cascade"))
    .addColumn("reason", "text", (c) => c.notNull())
    .addColumn("new_due_at", "timestamptz", (c) => c.notNull())
    .addColumn("created_by", "uuid", (c) => c.references("users.id"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("dossier_apologies").ifExists().execute();
  await db.schema.dropTable("dossier_results").ifExists().execute();
}
