/**
 * `portal_applied_migrations()`: the names of the applied migrations, for the readiness check (/readyz).
 * The app role has no right on kysely_migration (README "Database roles"); this SECURITY DEFINER function,
 * owned by the owner role, lets it read the names and nothing else.
 */
import { type Kysely, sql } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create function portal_applied_migrations() returns setof text
    language sql stable security definer set search_path = pg_catalog, public, pg_temp
    as $$ select name from public.kysely_migration $$`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop function if exists portal_applied_migrations()`.execute(db);
}
