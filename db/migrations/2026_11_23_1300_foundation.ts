import { type Kysely, sql } from "kysely";

/** Catalogue, identity, sessions, audit and the working-day calendar. */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create extension if not exists unaccent`.execute(db);
  await sql`create extension if not exists pg_trgm`.execute(db);

  await db.schema
    .createTable("agencies")
    .addColumn("code", "text", (c) => c.primaryKey())
    .addColumn("name_vi", "text", (c) => c.notNull())
    .addColumn("name_en", "text", (c) => c.notNull())
    .addColumn("level", "text", (c) => c.notNull().check(sql`level in ('province','district','commune')`))
    .addColumn("parent_code", "text", (c) => c.references("agencies.code"))
    .execute();
  await db.schema.createIndex("agencies_parent_idx").on("agencies").column("parent_code").execute();

  await db.schema
    .createTable("fields")
    .addColumn("code", "text", (c) => c.primaryKey())
    .addColumn("name_vi", "text", (c) => c.notNull())
    .addColumn("name_en", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("procedures")
    .addColumn("code", "text", (c) => c.primaryKey())
    .addColumn("name_vi", "text", (c) => c.notNull())
    .addColumn("name_en", "text", (c) => c.notNull())
    .addColumn("field_code", "text", (c) => c.notNull().references("fields.code"))
    .addColumn("level", "text", (c) => c.notNull().check(sql`level in ('province','district','commune')`))
    .addColumn("agency_code", "text", (c) => c.notNull().references("agencies.code"))
    .addColumn("processing_amount", "integer", (c) => c.notNull().check(sql`processing_amount >= 0`))
    .addColumn("processing_unit", "text", (c) =>
      c.notNull().check(sql`processing_unit in ('working_days','working_hours','calendar_days')`),
    )
    .addColumn("fee_vnd", "bigint", (c) => c.notNull().defaultTo(0).check(sql`fee_vnd >= 0`))
    .addColumn("fee_payer_vi", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("fee_payer_en", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("online_kind", "text", (c) => c.notNull().check(sql`online_kind in ('full','partial','none')`))
    .addColumn("documents", "jsonb", (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn("legal_basis_vi", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("legal_basis_en", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("result_vi", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("result_en", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("form", "jsonb", (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn("active", "boolean", (c) => c.notNull().defaultTo(true))
    .execute();
  await db.schema.createIndex("procedures_agency_idx").on("procedures").column("agency_code").execute();
  await db.schema.createIndex("procedures_field_idx").on("procedures").column("field_code").execute();

  await db.schema
    .createTable("users")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn("role", "text", (c) => c.notNull().check(sql`role in ('citizen','clerk','manager','admin')`))
    .addColumn("national_id", "text", (c) => c.unique())
    .addColumn("username", "text", (c) => c.unique())
    .addColumn("full_name", "text", (c) => c.notNull())
    .addColumn("email", "text")
    .addColumn("phone", "text")
    .addColumn("password_hash", "text", (c) => c.notNull())
    .addColumn("agency_code", "text", (c) => c.references("agencies.code"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint(
      "users_identity_check",
      sql`(role = 'citizen' and national_id is not null) or (role <> 'citizen' and username is not null)`,
    )
    .addCheckConstraint("users_agency_check", sql`role not in ('clerk','manager') or agency_code is not null`)
    .execute();

  await db.schema
    .createTable("sessions")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "uuid", (c) => c.references("users.id").onDelete("cascade"))
    .addColumn("data", "jsonb", (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("expires_at", "timestamptz", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("sessions_user_idx").on("sessions").column("user_id").execute();

  await db.schema
    .createTable("audit_events")
    .addColumn("id", "bigint", (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn("at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("actor_id", "uuid", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("entity", "text", (c) => c.notNull())
    .addColumn("entity_id", "text")
    .addColumn("data", "jsonb", (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .execute();
  await db.schema.createIndex("audit_events_entity_idx").on("audit_events").columns(["entity", "entity_id"]).execute();

  await db.schema
    .createTable("calendar_days")
    .addColumn("date", "date", (c) => c.primaryKey())
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('off','work')`))
    .addColumn("name", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("confirmed", "boolean", (c) => c.notNull().defaultTo(false))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ["calendar_days", "audit_events", "sessions", "users", "procedures", "fields", "agencies"]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
