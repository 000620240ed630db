import { type Kysely, sql } from "kysely";

/**
 * Targets per indicator (issue 6): a manager sets a minimum rate for an indicator on a unit of their scope
 * (e.g. on-time rate ≥ 99.70%); it applies to the units under it unless they have their own. Stored in
 * basis points of a percent (9970 = 99.70%) so a target is an exact integer. The indicator names are checked
 * by the application (a new indicator needs no migration).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("metric_targets")
    .addColumn("agency_code", "text", (c) => c.notNull().references("agencies.code").onDelete("cascade"))
    .addColumn("indicator", "text", (c) => c.notNull())
    .addColumn("target_bp", "integer", (c) => c.notNull().check(sql`target_bp between 0 and 10000`))
    .addColumn("set_by", "uuid", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("set_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("metric_targets_pkey", ["agency_code", "indicator"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("metric_targets").ifExists().execute();
}
