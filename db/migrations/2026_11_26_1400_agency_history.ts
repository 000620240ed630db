import { type Kysely, sql } from "kysely";

/**
 * Units with a history (issue 12; ADR 016, ADR 017):
 *
 * - `agencies.valid_from` / `valid_to`: the unit exists on dates d with valid_from <= d < valid_to (Vietnam
 *   dates; null = open-ended). A unit's level and name never change: a reorganised unit is a new row.
 *   `kind` is the commune-level kind (ward, commune, township, special_zone) where known.
 * - `agency_successors`: where a unit was merged, split or abolished, the units that took it over from
 *   `effective_on`, `whole` (all of it) or not (part), `primary` marking the one that takes its procedures.
 * - `reorganisations`: a reorganisation as an event: its effective date, and once applied who applied it
 *   and what it did (the summary). Applying twice does nothing the second time.
 * - `reorganisation_choices`: dossiers of a split unit whose new unit could not be told from the applicant's
 *   address; a clerk of the province's service centre chooses, and the choice is audited.
 * - `users.disabled_at`: staff accounts of an abolished unit that were not re-assigned can no longer sign in.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table agencies
    add column valid_from date,
    add column valid_to date,
    add column kind text constraint agencies_kind_check
      check (kind is null or kind in ('ward','commune','township','special_zone','district','city','town')),
    add constraint agencies_validity_check check (valid_from is null or valid_to is null or valid_from < valid_to)`.execute(
    db,
  );

  await db.schema
    .createTable("agency_successors")
    .addColumn("predecessor_code", "text", (c) => c.notNull().references("agencies.code"))
    .addColumn("successor_code", "text", (c) => c.notNull().references("agencies.code"))
    .addColumn("effective_on", "date", (c) => c.notNull())
    .addColumn("whole", "boolean", (c) => c.notNull())
    .addColumn("primary", "boolean", (c) => c.notNull().defaultTo(false))
    .addPrimaryKeyConstraint("agency_successors_pk", ["predecessor_code", "successor_code"])
    .addCheckConstraint("agency_successors_self_check", sql`predecessor_code <> successor_code`)
    .execute();
  await db.schema
    .createIndex("agency_successors_successor_idx")
    .on("agency_successors")
    .column("successor_code")
    .execute();

  await db.schema
    .createTable("reorganisations")
    .addColumn("code", "text", (c) => c.primaryKey())
    .addColumn("effective_on", "date", (c) => c.notNull())
    .addColumn("name_vi", "text", (c) => c.notNull())
    .addColumn("name_en", "text", (c) => c.notNull())
    .addColumn("legal_basis", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("applied_at", "timestamptz")
    .addColumn("applied_by", "uuid", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("summary", "jsonb", (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .execute();

  await db.schema
    .createTable("reorganisation_choices")
    .addColumn("dossier_id", "uuid", (c) => c.primaryKey().references("dossiers.id"))
    .addColumn("reorganisation_code", "text", (c) => c.notNull().references("reorganisations.code"))
    .addColumn("predecessor_code", "text", (c) => c.notNull().references("agencies.code"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("chosen_code", "text", (c) => c.references("agencies.code"))
    .addColumn("chosen_by", "uuid", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("chosen_at", "timestamptz")
    .execute();
  await sql`create index reorganisation_choices_open_idx on reorganisation_choices (created_at) where chosen_code is null`.execute(
    db,
  );

  await sql`alter table users add column disabled_at timestamptz`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table users drop column disabled_at`.execute(db);
  await db.schema.dropTable("reorganisation_choices").execute();
  await db.schema.dropTable("reorganisations").execute();
  await db.schema.dropTable("agency_successors").execute();
  await sql`alter table agencies drop constraint agencies_validity_check, drop column kind, drop column valid_to, drop column valid_from`.execute(
    db,
  );
}
