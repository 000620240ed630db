import type { Kysely } from "kysely";

/**
 * Rate-limit counters shared by every app instance (issue 10): one row per limiter and client key,
 * with a fixed window. Kept in PostgreSQL so N instances allow the limit once, not N times.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("rate_limit_hits")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("hits", "integer", (c) => c.notNull())
    .addColumn("reset_at", "timestamptz", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("rate_limit_hits_reset_idx").on("rate_limit_hits").column("reset_at").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("rate_limit_hits").ifExists().execute();
}
