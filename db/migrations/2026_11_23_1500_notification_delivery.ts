import type { Kysely } from "kysely";

/** Delivery state of each notification, kept apart from the dossier change that created it. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("notifications")
    .addColumn("sent_at", "timestamptz")
    .addColumn("sent_via", "text")
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("last_error", "text")
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("notifications")
    .dropColumn("sent_at")
    .dropColumn("sent_via")
    .dropColumn("attempts")
    .dropColumn("last_error")
    .execute();
}
