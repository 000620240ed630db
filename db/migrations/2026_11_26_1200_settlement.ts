import { type Kysely, sql } from "kysely";

/**
 * Money integrity (issue 16, points 2 and 3; ADR 012):
 *
 * - `users.duties`: extra duties on top of a role. `finance` lets a clerk (or an admin, who has it anyway)
 *   into the finance view: payments needing review, refunds, takings, the daily settlement. The set of
 *   duties is closed by a check, so a typo cannot grant nothing silently.
 * - `settlement_runs`: one row per Vietnam date whose settlement file (đối soát) was fetched from the
 *   gateway, with the signed file as received; a re-import of the same date updates it.
 * - `settlement_lines`: the file's lines (payments captured and refunds), so a payment that the gateway
 *   settled on a neighbouring day is not reported as missing.
 * - `settlement_mismatches`: what the comparison found (missing in the portal, missing at the gateway,
 *   amount differs) and, once a finance officer has looked into it, who resolved it, when and why.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table users add column duties text[] not null default '{}'::text[]
            constraint users_duties_known check (duties <@ array['finance']::text[])`.execute(db);

  await db.schema
    .createTable("settlement_runs")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("settlement_date", "date", (c) => c.notNull().unique())
    .addColumn("status", "text", (c) => c.notNull().check(sql`status in ('matched', 'mismatched', 'failed')`))
    .addColumn("imported_at", "timestamptz")
    .addColumn("imported_by", "uuid", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("lines", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("payments_vnd", "bigint", (c) => c.notNull().defaultTo(0))
    .addColumn("refunds_vnd", "bigint", (c) => c.notNull().defaultTo(0))
    .addColumn("content", "text")
    .addColumn("signature", "text")
    .addColumn("file_sha256", "text")
    .addColumn("last_attempt_at", "timestamptz", (c) => c.notNull())
    .addColumn("last_error", "text")
    .execute();

  await db.schema
    .createTable("settlement_lines")
    .addColumn("run_id", "uuid", (c) => c.notNull().references("settlement_runs.id").onDelete("cascade"))
    .addColumn("line_no", "integer", (c) => c.notNull())
    .addColumn("type", "text", (c) => c.notNull().check(sql`type in ('payment', 'refund')`))
    .addColumn("txn_ref", "text", (c) => c.notNull())
    .addColumn("transaction_no", "text")
    .addColumn("amount_vnd", "bigint", (c) => c.notNull())
    .addColumn("occurred_at", "timestamptz", (c) => c.notNull())
    .addColumn("bank_code", "text")
    .addPrimaryKeyConstraint("settlement_lines_pkey", ["run_id", "line_no"])
    .execute();
  await db.schema.createIndex("settlement_lines_ref_idx").on("settlement_lines").columns(["txn_ref", "type"]).execute();

  await db.schema
    .createTable("settlement_mismatches")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("run_id", "uuid", (c) => c.notNull().references("settlement_runs.id"))
    .addColumn("kind", "text", (c) =>
      c.notNull().check(sql`kind in ('missing_in_portal', 'missing_at_gateway', 'amount_differs')`),
    )
    .addColumn("line_type", "text", (c) => c.notNull().check(sql`line_type in ('payment', 'refund')`))
    .addColumn("txn_ref", "text", (c) => c.notNull())
    .addColumn("transaction_no", "text")
    .addColumn("amount_gateway", "bigint")
    .addColumn("amount_portal", "bigint")
    // The portal's payment, when there is one; its unit decides which finance officers see the mismatch.
    .addColumn("payment_id", "uuid", (c) => c.references("payments.id"))
    .addColumn("agency_code", "text")
    .addColumn("found_at", "timestamptz", (c) => c.notNull())
    .addColumn("resolved_at", "timestamptz")
    .addColumn("resolved_by", "uuid", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("resolution_note", "text")
    .addCheckConstraint(
      "settlement_mismatches_resolution",
      sql`(resolved_at is null and resolution_note is null) or (resolved_at is not null and resolution_note is not null)`,
    )
    .execute();
  await db.schema
    .createIndex("settlement_mismatches_run_idx")
    .on("settlement_mismatches")
    .columns(["run_id", "resolved_at"])
    .execute();
  await sql`create index settlement_mismatches_open_idx on settlement_mismatches (found_at) where resolved_at is null`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("settlement_mismatches").ifExists().execute();
  await db.schema.dropTable("settlement_lines").ifExists().execute();
  await db.schema.dropTable("settlement_runs").ifExists().execute();
  await sql`alter table users drop column if exists duties`.execute(db);
}
