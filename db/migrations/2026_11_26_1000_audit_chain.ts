import { type Kysely, sql } from "kysely";

/**
 * Tamper-evident, append-only history (docs/decisions/009-least-privilege-and-audit-chain.md).
 *
 * 1. Hash chains. audit_events, dossier_events and dossier_views get `chain_seq`, `prev_hash` and `hash`,
 *    filled by a BEFORE INSERT trigger whatever the path (workflow, import, COPY, scripts): each row's hash is
 *    sha256(prev_hash || canonical text of the row), the canonical text given by ONE function per table
 *    (`<table>_payload`) that audit:verify uses too. Chains: per dossier for dossier_events and dossier_views,
 *    per (entity, entity_id) for audit_events. `audit_chain_heads` holds each chain's length and last hash,
 *    so a deleted tail (or a whole deleted chain) is detected; the running app has no right on it, the
 *    trigger function is SECURITY DEFINER.
 * 2. Append-only. UPDATE, DELETE and TRUNCATE on the three tables are refused by triggers (even for the owner
 *    and superusers) unless the transaction sets the maintenance switch: SET LOCAL portal.maintenance = 'on'.
 * 3. No cascade deletes history: the dossier's events, views, attachments, results, apologies and payments
 *    now RESTRICT the deletion of their dossier, and an audit event its actor (SET NULL was an UPDATE).
 */

export const AUDIT_TABLES = ["audit_events", "dossier_events", "dossier_views"] as const;
export type AuditTable = (typeof AUDIT_TABLES)[number];

/** The maintenance switch (a custom setting) that lets the owner or a superuser change history. */
export const MAINTENANCE_SETTING = "portal.maintenance";

/**
 * Per table, as SQL over a row whose columns are prefixed by `r` ("e." or "new." or "" in an index): the
 * chain key (as stored in audit_chain_heads) and the chain's sort key (audit:verify walks the chains in this
 * order, by an index on it and chain_seq).
 */
export const CHAIN_SQL: Record<AuditTable, { key: (r: string) => string; order: (r: string) => string }> = {
  audit_events: {
    key: (r) => `public.audit_events_chain(${r}entity, ${r}entity_id)`,
    order: (r) => `public.audit_events_chain(${r}entity, ${r}entity_id)`,
  },
  dossier_events: { key: (r) => `'dossier_events:' || ${r}dossier_id`, order: (r) => `${r}dossier_id` },
  dossier_views: { key: (r) => `'dossier_views:' || ${r}dossier_id`, order: (r) => `${r}dossier_id` },
};

/**
 * The canonical text of a row: a JSON array of every column but the chain columns, in a fixed order.
 * Timestamps as epoch seconds (never dependent on the session's TimeZone), jsonb as its canonical text,
 * NULL as null (distinct from ""). Changing a payload function invalidates every existing hash.
 */
const PAYLOADS: Record<AuditTable, string> = {
  audit_events: "r.id, extract(epoch from r.at), r.actor_id, r.action, r.entity, r.entity_id, r.data",
  dossier_events:
    "r.id, r.dossier_id, extract(epoch from r.at), r.actor_id, r.actor_role, r.agency_code, r.action, r.from_status, r.to_status, r.reason, r.data",
  dossier_views: "r.id, r.dossier_id, r.viewer_id, r.viewer_role, r.agency_code, r.action, extract(epoch from r.at)",
};

/** Foreign keys that no longer cascade (or set null): [table, constraint, definition]. */
const RESTRICTED: Array<[string, string, string, string]> = [
  ["audit_events", "audit_events_actor_id_fkey", "(actor_id) references users(id)", "on delete set null"],
  ["dossier_events", "dossier_events_dossier_id_fkey", "(dossier_id) references dossiers(id)", "on delete cascade"],
  ["dossier_views", "dossier_views_dossier_id_fkey", "(dossier_id) references dossiers(id)", "on delete cascade"],
  [
    "dossier_attachments",
    "dossier_attachments_dossier_id_fkey",
    "(dossier_id) references dossiers(id)",
    "on delete cascade",
  ],
  ["dossier_results", "dossier_results_dossier_id_fkey", "(dossier_id) references dossiers(id)", "on delete cascade"],
  [
    "dossier_apologies",
    "dossier_apologies_dossier_id_fkey",
    "(dossier_id) references dossiers(id)",
    "on delete cascade",
  ],
  ["payments", "payments_dossier_id_fkey", "(dossier_id) references dossiers(id)", "on delete cascade"],
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const [table, name, def] of RESTRICTED) {
    await sql
      .raw(`alter table ${table} drop constraint ${name}, add constraint ${name} foreign key ${def} on delete restrict`)
      .execute(db);
  }

  await sql`
    create table audit_chain_heads (
      chain text primary key,
      length bigint not null check (length > 0),
      last_hash text not null
    )`.execute(db);

  await sql`
    create function audit_hash(prev text, payload text) returns text
    language sql immutable strict parallel safe
    as $$ select encode(sha256(convert_to(prev || payload, 'UTF8')), 'hex') $$`.execute(db);
  // Unambiguous whatever the entity and id contain; a null id and '' share a chain.
  await sql`
    create function audit_events_chain(entity text, entity_id text) returns text
    language sql immutable parallel safe
    as $$ select 'audit_events:' || jsonb_build_array(entity, coalesce(entity_id, ''))::text $$`.execute(db);

  for (const table of AUDIT_TABLES) {
    await sql
      .raw(`
      alter table ${table}
        add column chain_seq bigint not null default 0,
        add column prev_hash text not null default '',
        add column hash text not null default ''`)
      .execute(db);
    await sql
      .raw(`
      create function ${table}_payload(r ${table}) returns text
      language sql immutable parallel safe
      as $$ select jsonb_build_array(${PAYLOADS[table]})::text $$`)
      .execute(db);

    // Existing rows: chained in id order within each chain.
    const { key, order } = CHAIN_SQL[table];
    await sql
      .raw(`
      do $$
      declare r record; cur text; n bigint := 0; prev text := ''; h text;
      begin
        for r in select e.id, ${key("e.")} as k, public.${table}_payload(e) as p from ${table} e order by ${order("e.")}, e.id loop
          if cur is distinct from r.k then
            if cur is not null then insert into audit_chain_heads values (cur, n, prev); end if;
            cur := r.k; n := 0; prev := '';
          end if;
          n := n + 1;
          h := public.audit_hash(prev, r.p);
          update ${table} set chain_seq = n, prev_hash = prev, hash = h where id = r.id;
          prev := h;
        end loop;
        if cur is not null then insert into audit_chain_heads values (cur, n, prev); end if;
      end $$`)
      .execute(db);

    // The chain trigger: runs as the owner (the app role has no right on audit_chain_heads). The head row is
    // locked by the upsert until the transaction ends, so concurrent writers to one chain are serialised.
    await sql
      .raw(`
      create function ${table}_chain_link() returns trigger
      language plpgsql security definer set search_path = pg_catalog, public, pg_temp
      as $$
      declare k text; n bigint; prev text;
      begin
        k := ${key("new.")};
        insert into public.audit_chain_heads as h (chain, length, last_hash) values (k, 1, '')
          on conflict (chain) do update set length = h.length + 1
          returning h.length, h.last_hash into n, prev;
        new.chain_seq := n;
        new.prev_hash := prev;
        new.hash := public.audit_hash(prev, public.${table}_payload(new));
        update public.audit_chain_heads set last_hash = new.hash where chain = k;
        return new;
      end $$`)
      .execute(db);
    await sql
      .raw(
        `create trigger audit_chain_link before insert on ${table} for each row execute function ${table}_chain_link()`,
      )
      .execute(db);
    // Order of the chains for audit:verify's walk (keyset), and one position per chain.
    await sql.raw(`create unique index ${table}_chain_idx on ${table} ((${order("")}), chain_seq)`).execute(db);
  }

  await sql`
    create function audit_append_only() returns trigger language plpgsql as $$
    begin
      if current_setting('portal.maintenance', true) = 'on' then
        return case when tg_op = 'DELETE' then old when tg_op = 'UPDATE' then new else null end;
      end if;
      raise exception '% on % refused: audit history is append-only', tg_op, tg_table_name
        using errcode = 'insufficient_privilege',
              hint = 'Maintenance only: in a transaction, as the owner, SET LOCAL portal.maintenance = ''on'' (see README, Database roles).';
    end $$`.execute(db);
  for (const table of AUDIT_TABLES) {
    await sql
      .raw(
        `create trigger audit_append_only before update or delete on ${table} for each row execute function audit_append_only()`,
      )
      .execute(db);
    await sql
      .raw(
        `create trigger audit_append_only_truncate before truncate on ${table} for each statement execute function audit_append_only()`,
      )
      .execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of AUDIT_TABLES) {
    await sql.raw(`drop trigger if exists audit_append_only on ${table}`).execute(db);
    await sql.raw(`drop trigger if exists audit_append_only_truncate on ${table}`).execute(db);
    await sql.raw(`drop trigger if exists audit_chain_link on ${table}`).execute(db);
    await sql.raw(`drop function if exists ${table}_chain_link()`).execute(db);
    await sql.raw(`drop index if exists ${table}_chain_idx`).execute(db);
    await sql.raw(`drop function if exists ${table}_payload(${table})`).execute(db);
    await sql
      .raw(
        `alter table ${table} drop column if exists chain_seq, drop column if exists prev_hash, drop column if exists hash`,
      )
      .execute(db);
  }
  await sql`drop function if exists audit_append_only()`.execute(db);
  await sql`drop function if exists audit_events_chain(text, text)`.execute(db);
  await sql`drop function if exists audit_hash(text, text)`.execute(db);
  await sql`drop table if exists audit_chain_heads`.execute(db);
  for (const [table, name, def, previous] of RESTRICTED) {
    await sql
      .raw(`alter table ${table} drop constraint ${name}, add constraint ${name} foreign key ${def} ${previous}`)
      .execute(db);
  }
}
