import { type Kysely, sql } from "kysely";

/** Workflow bookkeeping: clock pauses for supplements, claims, and the citizen's notifications. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("dossiers")
    .addColumn("paused_at", "timestamptz")
    .addColumn("paused_minutes", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("supplements_after_receipt", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("original_due_at", "timestamptz")
    .addColumn("claimed_by", "uuid", (c) => c.references("users.id"))
    .execute();

  await db.schema
    .createTable("notifications")
    .addColumn("id", "bigint", (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn("user_id", "uuid", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("dossier_id", "uuid", (c) => c.references("dossiers.id").onDelete("cascade"))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("data", "jsonb", (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("read_at", "timestamptz")
    .execute();
  await db.schema
    .createIndex("notifications_user_idx")
    .on("notifications")
    .columns(["user_id", "created_at"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("notifications").ifExists().execute();
  await db.schema
    .alterTable("dossiers")
    .dropColumn("paused_at")
    .dropColumn("paused_minutes")
    .dropColumn("supplements_after_receipt")
    .dropColumn("original_due_at")
    .dropColumn("claimed_by")
    .execute();
}
