import { type Kysely, sql } from "kysely";

/** Fee payments (gateway, bank transfer, cash) with electronic receipts; at most one paid per dossier. */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create sequence if not exists receipt_number_seq`.execute(db);
  await db.schema
    .createTable("payments")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("dossier_id", "uuid", (c) => c.notNull().references("dossiers.id").onDelete("cascade"))
    .addColumn("order_ref", "text", (c) => c.notNull().unique())
    .addColumn("amount_vnd", "bigint", (c) => c.notNull().check(sql`amount_vnd > 0`))
    .addColumn("method", "text", (c) => c.notNull().check(sql`method in ('gateway','transfer','cash')`))
    .addColumn("status", "text", (c) => c.notNull().check(sql`status in ('pending','paid','failed','refunded')`))
    .addColumn("provider", "text")
    .addColumn("transaction_no", "text")
    .addColumn("bank_code", "text")
    .addColumn("response_code", "text")
    .addColumn("paid_at", "timestamptz")
    .addColumn("receipt_no", "text", (c) => c.unique())
    .addColumn("payer_name", "text", (c) => c.notNull())
    .addColumn("created_by", "uuid", (c) => c.references("users.id"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("payments_dossier_idx").on("payments").column("dossier_id").execute();
  // Exactly once: whatever arrives twice (IPNs, clicks, a clerk's entry), one paid payment per dossier.
  await sql`create unique index payments_one_paid_per_dossier on payments (dossier_id) where status = 'paid'`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("payments").ifExists().execute();
  await sql`drop sequence if exists receipt_number_seq`.execute(db);
}
