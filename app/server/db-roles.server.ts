/**
 * Least-privilege database roles (README "Database roles", docs/decisions/009-least-privilege-and-audit-chain.md).
 *
 * - The OWNER role owns the database and its schema objects: migrations, graphile-worker's migration, the
 *   grants below, seeding and maintenance scripts run as it (DATABASE_OWNER_URL).
 * - The APP role is what the running portal connects as (DATABASE_URL): read/write on the data tables, only
 *   SELECT and INSERT on the audit tables, nothing on the chain heads, no DDL, no TRUNCATE.
 *
 * `provisionDatabase` creates both roles (if missing), the database owned by the owner role and the
 * extensions the migrations need, as a superuser; the embedded start-up, e2e, the tests and
 * `npm run db:provision` use it. `grantAppPrivileges` is applied by start-up after every migration.
 */
import crypto from "node:crypto";
import { type Kysely, sql } from "kysely";
import pg from "pg";

/** Extensions the migrations create (trusted in PostgreSQL 13+, created up front as superuser anyway). */
export const REQUIRED_EXTENSIONS = ["unaccent", "pg_trgm"] as const;

/** The schemas the app uses: ours and graphile-worker's. */
export const APP_SCHEMAS = ["public", "graphile_worker"] as const;

/** History the app may append to and read, never change. */
export const APPEND_ONLY_TABLES = ["audit_events", "dossier_events", "dossier_views"] as const;

/** Tables the app role gets no right on at all. */
export const NO_ACCESS_TABLES = ["audit_chain_heads", "kysely_migration", "kysely_migration_lock"] as const;

export type RoleSpec = {
  name: string;
  /** Set when the role is created (and, with `resetPasswords`, on an existing role). */
  password?: string;
};

export type ProvisionOptions = {
  owner: RoleSpec;
  app: RoleSpec;
  /** ALTER ROLE … PASSWORD on roles that already exist (default: leave existing roles as they are). */
  resetPasswords?: boolean;
};

export type ProvisionResult = {
  ownerUrl: string;
  appUrl: string;
  /** Roles created by this call (existing roles are left alone, cluster-wide). */
  createdRoles: string[];
  createdDatabase: boolean;
  /** Objects whose ownership moved to the owner role (databases created by earlier versions). */
  transferred: number;
};

const IDENT = /^[a-z_][a-z0-9_]{0,62}$/;

/** Role and database names are restricted to plain lower-case identifiers, so they can be spliced into DDL. */
export function assertIdentifier(name: string, what: string): string {
  if (!IDENT.test(name)) throw new Error(`${what} "${name}" must be a lower-case identifier ([a-z_][a-z0-9_]*)`);
  return name;
}

function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** `url` with another database, user and password (those left undefined are kept). */
export function withConnection(url: string, parts: { database?: string; user?: string; password?: string }): string {
  const u = new URL(url);
  if (parts.database !== undefined) u.pathname = `/${parts.database}`;
  if (parts.user !== undefined) u.username = encodeURIComponent(parts.user);
  if (parts.password !== undefined) u.password = encodeURIComponent(parts.password);
  return u.toString();
}

/** The role a connection URL logs in as, or undefined when the URL names none (libpq defaults apply). */
export function roleOfUrl(url: string): string | undefined {
  const user = decodeURIComponent(new URL(url).username);
  return user || undefined;
}

export function generatePassword(): string {
  return crypto.randomBytes(24).toString("base64url");
}

/** PostgreSQL error codes of a concurrent CREATE ROLE / CREATE DATABASE (parallel test files). */
const ALREADY_EXISTS = new Set(["42710", "23505", "42P04"]);

function code(error: unknown): string | undefined {
  return (error as { code?: string })?.code;
}

async function createRoleIfMissing(client: pg.Client, role: RoleSpec, reset: boolean): Promise<boolean> {
  const name = assertIdentifier(role.name, "role");
  const found = await client.query("select 1 from pg_roles where rolname = $1", [name]);
  const password = role.password === undefined ? "" : ` password ${literal(role.password)}`;
  if (found.rowCount === 0) {
    try {
      await client.query(`create role ${name} login nosuperuser nocreatedb nocreaterole${password}`);
      return true;
    } catch (error) {
      if (!ALREADY_EXISTS.has(code(error) ?? "")) throw error;
    }
  }
  if (reset && role.password !== undefined) await client.query(`alter role ${name}${password}`);
  return false;
}

/**
 * Moves the ownership of everything in `public` and `graphile_worker` (tables with their sequences, views,
 * standalone sequences, functions, types, the schemas) that another role owns to `owner`. For databases
 * created before the roles existed, whose objects the superuser owns. Extension members are left alone.
 */
async function transferOwnership(client: pg.Client, owner: string): Promise<number> {
  const rows = await client.query<{ statement: string }>(
    `with ours as (select oid, nspname from pg_namespace where nspname = any($2::text[]))
     select format('alter schema %I owner to %I', nspname, $1::text) as statement, 0 as rank
       from pg_namespace n where n.oid in (select oid from ours) and pg_get_userbyid(n.nspowner) not in ($1::text, 'pg_database_owner')
     union all
     select format('alter %s %s owner to %I',
              case c.relkind when 'v' then 'view' when 'm' then 'materialized view' when 'S' then 'sequence'
                             when 'f' then 'foreign table' else 'table' end,
              c.oid::regclass, $1::text), 1
       from pg_class c
      where c.relnamespace in (select oid from ours)
        and c.relkind in ('r', 'p', 'v', 'm', 'f', 'S')
        and pg_get_userbyid(c.relowner) <> $1::text
        -- sequences owned by a column follow their table
        and not (c.relkind = 'S' and exists (select 1 from pg_depend d where d.classid = 'pg_class'::regclass
                  and d.objid = c.oid and d.deptype in ('a', 'i')))
        and not exists (select 1 from pg_depend d where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype = 'e')
     union all
     select format('alter routine %s owner to %I', p.oid::regprocedure, $1::text), 2
       from pg_proc p
      where p.pronamespace in (select oid from ours) and p.prokind in ('f', 'p') and pg_get_userbyid(p.proowner) <> $1::text
        and not exists (select 1 from pg_depend d where d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e')
     union all
     select format('alter type %s owner to %I', t.oid::regtype, $1::text), 3
       from pg_type t
      where t.typnamespace in (select oid from ours) and pg_get_userbyid(t.typowner) <> $1::text
        and t.typtype in ('e', 'd', 'r', 'm') -- enums, domains, ranges; composite and array types follow their owners
        and not exists (select 1 from pg_depend d where d.classid = 'pg_type'::regclass and d.objid = t.oid and d.deptype = 'e')
     order by rank`,
    [owner, APP_SCHEMAS],
  );
  for (const { statement } of rows.rows) await client.query(statement);
  return rows.rowCount ?? 0;
}

/**
 * As a superuser (`superuserUrl`, any database of the server): creates the owner and app LOGIN roles when
 * missing, the database owned by the owner role when missing (or hands an existing one and its objects over
 * to it), the extensions the migrations need, and lets the app role connect. Idempotent and safe to run from
 * parallel processes. Returns the two URLs to use (passwords as given; none for roles given without one).
 */
export async function provisionDatabase(
  superuserUrl: string,
  database: string,
  opts: ProvisionOptions,
): Promise<ProvisionResult> {
  assertIdentifier(database, "database");
  const owner = assertIdentifier(opts.owner.name, "owner role");
  const app = assertIdentifier(opts.app.name, "app role");
  if (owner === app) throw new Error("the owner and app roles must differ");
  const createdRoles: string[] = [];
  let createdDatabase = false;
  const admin = new pg.Client({ connectionString: withConnection(superuserUrl, { database: "postgres" }) });
  await admin.connect();
  try {
    for (const role of [opts.owner, opts.app]) {
      if (await createRoleIfMissing(admin, role, opts.resetPasswords ?? false)) createdRoles.push(role.name);
    }
    const found = await admin.query<{ owner: string }>(
      "select pg_get_userbyid(datdba) as owner from pg_database where datname = $1",
      [database],
    );
    if (found.rowCount === 0) {
      try {
        await admin.query(`create database ${database} owner ${owner}`);
        createdDatabase = true;
      } catch (error) {
        if (!ALREADY_EXISTS.has(code(error) ?? "")) throw error;
      }
    } else if (found.rows[0]?.owner !== owner) {
      await admin.query(`alter database ${database} owner to ${owner}`);
    }
    await admin.query(`revoke temporary on database ${database} from public`);
    await admin.query(`grant connect on database ${database} to ${app}`);
  } finally {
    await admin.end();
  }

  let transferred = 0;
  const inside = new pg.Client({ connectionString: withConnection(superuserUrl, { database }) });
  await inside.connect();
  try {
    for (const ext of REQUIRED_EXTENSIONS) {
      try {
        await inside.query(`create extension if not exists ${ext}`);
      } catch (error) {
        // Two provisioners at once: the loser's catalog insert collides; the extension exists.
        if (!ALREADY_EXISTS.has(code(error) ?? "")) throw error;
      }
    }
    await inside.query("revoke create on schema public from public");
    transferred = await transferOwnership(inside, owner);
  } finally {
    await inside.end();
  }

  const base = withConnection(superuserUrl, { database });
  return {
    ownerUrl: withConnection(base, { user: owner, password: opts.owner.password ?? "" }),
    appUrl: withConnection(base, { user: app, password: opts.app.password ?? "" }),
    createdRoles,
    createdDatabase,
    transferred,
  };
}

/** The role a Kysely connection runs as. */
export async function currentRole(db: Kysely<any>): Promise<string> {
  const row = await sql<{ role: string }>`select current_user as role`.execute(db);
  return row.rows[0]?.role ?? "";
}

/**
 * As the owner, after migrations (idempotent, one transaction): the app role may use the schemas; read and
 * write every table — including tables added later, e.g. rate_limit_hits — except the append-only history
 * (SELECT, INSERT only) and the chain heads and migration bookkeeping (nothing); use the sequences; execute
 * the functions. Never TRUNCATE, REFERENCES, TRIGGER or CREATE. graphile-worker's tables have row-level
 * security on and no policy (they expect their owner at run time), so the app role gets a policy to use them.
 * Returns false (and does nothing) when the app role is the owner itself.
 */
export async function grantAppPrivileges(ownerDb: Kysely<any>, appRole: string): Promise<boolean> {
  const app = assertIdentifier(appRole, "app role");
  if ((await currentRole(ownerDb)) === app) return false;
  await ownerDb.transaction().execute(async (trx) => {
    const run = (statement: string) => sql.raw(statement).execute(trx);
    // Instances starting together would otherwise collide on the same catalog rows ("tuple concurrently updated").
    await sql`select pg_advisory_xact_lock(hashtext('portal.grant_app_privileges'))`.execute(trx);
    const schemas = (
      await sql<{ nspname: string }>`select nspname from pg_namespace where nspname = any(${[...APP_SCHEMAS]})`.execute(
        trx,
      )
    ).rows.map((r) => r.nspname);
    const database = await databaseName(trx);
    const ownsDatabase = await sql<{ owns: boolean }>`
      select pg_has_role(datdba, 'USAGE') as owns from pg_database where datname = current_database()`.execute(trx);
    // Database-level rights are the database owner's to give (a set-up by hand may keep them elsewhere).
    if (ownsDatabase.rows[0]?.owns) {
      // Not even temporary tables: the app needs none.
      await run(`revoke temporary on database ${database} from public, ${app}`);
      await run(`grant connect on database ${database} to ${app}`);
      await run("revoke create on schema public from public");
    }
    for (const schema of schemas) {
      await run(`revoke all on all tables in schema ${schema} from ${app}`);
      await run(`revoke all on all sequences in schema ${schema} from ${app}`);
      await run(`revoke create on schema ${schema} from ${app}`);
      await run(`grant usage on schema ${schema} to ${app}`);
      await run(`grant select, insert, update, delete on all tables in schema ${schema} to ${app}`);
      await run(`grant usage, select on all sequences in schema ${schema} to ${app}`);
      await run(`grant execute on all functions in schema ${schema} to ${app}`);
    }
    const tables = async (names: readonly string[]) =>
      (
        await sql<{ name: string }>`select format('%I.%I', schemaname, tablename) as name from pg_tables
          where schemaname = 'public' and tablename = any(${[...names]})`.execute(trx)
      ).rows.map((r) => r.name);
    for (const t of await tables(APPEND_ONLY_TABLES)) await run(`revoke update, delete on ${t} from ${app}`);
    for (const t of await tables(NO_ACCESS_TABLES)) await run(`revoke all on ${t} from ${app}`);
    if (schemas.includes("graphile_worker")) {
      // Its migrations table: read by the worker at start (already migrated by the owner), never written.
      await run(`revoke insert, update, delete on graphile_worker.migrations from ${app}`);
      const rls = await sql<{ name: string; has: boolean; named: boolean }>`
        select format('%I.%I', n.nspname, c.relname) as name,
               exists (select 1 from pg_policy p where p.polrelid = c.oid and p.polname = 'portal_app_access'
                         and ${app}::regrole = any(p.polroles)) as has,
               exists (select 1 from pg_policy p where p.polrelid = c.oid and p.polname = 'portal_app_access') as named
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'graphile_worker' and c.relkind in ('r', 'p') and c.relrowsecurity`.execute(trx);
      for (const t of rls.rows) {
        if (t.has) continue;
        if (t.named) await run(`drop policy portal_app_access on ${t.name}`);
        await run(`create policy portal_app_access on ${t.name} for all to ${app} using (true) with check (true)`);
      }
    }
  });
  return true;
}

async function databaseName(db: Kysely<any>): Promise<string> {
  const row = await sql<{ name: string }>`select quote_ident(current_database()) as name`.execute(db);
  return row.rows[0]?.name ?? "";
}

/**
 * What makes the app's connection more than least privilege (empty when it is the app role as intended):
 * start-up logs these; a production start may refuse them.
 */
export async function appRoleProblems(appDb: Kysely<any>): Promise<string[]> {
  const row = await sql<{
    role: string;
    superuser: boolean;
    bypassrls: boolean;
    createrole: boolean;
    owns: boolean;
    truncate: boolean;
    update_audit: boolean;
  }>`
    select r.rolname as role, r.rolsuper as superuser, r.rolbypassrls as bypassrls, r.rolcreaterole as createrole,
           exists (select 1 from pg_class c join pg_namespace n on n.oid = c.relnamespace
                   where n.nspname = 'public' and pg_has_role(c.relowner, 'USAGE')) as owns,
           coalesce(has_table_privilege(to_regclass('public.dossiers'), 'TRUNCATE'), false) as truncate,
           coalesce(has_table_privilege(to_regclass('public.audit_events'), 'UPDATE'), false) as update_audit
    from pg_roles r where r.rolname = current_user`.execute(appDb);
  const r = row.rows[0];
  if (!r) return [];
  const problems: string[] = [];
  if (r.superuser) problems.push(`the app connects as ${r.role}, a superuser`);
  else {
    if (r.owns) problems.push(`the app role ${r.role} owns (or is a member of the owner of) the schema objects`);
    if (r.truncate) problems.push(`the app role ${r.role} may TRUNCATE dossiers`);
    if (r.update_audit) problems.push(`the app role ${r.role} may UPDATE audit_events`);
    if (r.createrole) problems.push(`the app role ${r.role} has CREATEROLE`);
  }
  return problems;
}
