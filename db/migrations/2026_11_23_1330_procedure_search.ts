import { type Kysely, sql } from "kysely";

/**
 * Accent- and case-insensitive search over the catalogue. `unaccent()` is only STABLE (its
 * dictionary could change), so an IMMUTABLE wrapper naming the dictionary explicitly lets it be used
 * in a generated column; a trigram GIN index then serves `LIKE '%word%'` for every word.
 * Works on the embedded server and on any PostgreSQL with the contrib extensions.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create or replace function portal_unaccent(text) returns text
    language sql immutable parallel safe strict
    as $$ select lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$
  `.execute(db);
  await sql`
    alter table procedures add column search_doc text
    generated always as (portal_unaccent(code || ' ' || name_vi || ' ' || name_en)) stored
  `.execute(db);
  await sql`create index procedures_search_trgm_idx on procedures using gin (search_doc gin_trgm_ops)`.execute(db);
  await sql`create index procedures_filter_idx on procedures (level, online_kind) where active`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists procedures_filter_idx`.execute(db);
  await sql`drop index if exists procedures_search_trgm_idx`.execute(db);
  await sql`alter table procedures drop column if exists search_doc`.execute(db);
  await sql`drop function if exists portal_unaccent(text)`.execute(db);
}
