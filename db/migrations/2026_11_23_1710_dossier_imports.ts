import { type Kysely, sql } from "kysely";

/**
 * Dossier import runs (issue 6 point 4, docs/decisions/006-csv-import.md): one row per CSV file imported
 * from the web page (queued, then run by the job queue) or by `npm run import:dossiers`. Counters are
 * updated in the same transaction as each batch of imported dossiers, so they always match the data.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("dossier_imports")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("file_name", "text", (c) => c.notNull())
    .addColumn("size_bytes", "bigint", (c) => c.notNull().check(sql`size_bytes >= 0`))
    .addColumn("source_path", "text", (c) => c.notNull())
    .addColumn("via", "text", (c) => c.notNull().check(sql`via in ('web', 'cli')`))
    .addColumn("locale", "text", (c) => c.notNull().defaultTo("vi"))
    .addColumn("status", "text", (c) => c.notNull().check(sql`status in ('queued', 'running', 'done', 'failed')`))
    .addColumn("total_rows", "integer")
    .addColumn("processed_rows", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("imported_rows", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("skipped_rows", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("failed_rows", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("error_report_path", "text")
    // A problem with the whole file (encoding, header, ...): a translation key and its variables.
    .addColumn("error_key", "text")
    .addColumn("error_data", "jsonb", (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn("started_by", "uuid", (c) => c.references("users.id"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("started_at", "timestamptz")
    .addColumn("finished_at", "timestamptz")
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("dossier_imports_created_idx").on("dossier_imports").column("created_at").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("dossier_imports").ifExists().execute();
}
