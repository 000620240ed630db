/**
 * The single Kysely<Database> of the app. With DATABASE_URL it is a pg Pool to that server;
 * without, a pg Pool to the embedded PostgreSQL started by `startDatabase()` at boot.
 *
 * Two roles (README "Database roles"): `db` connects as the APP role (DATABASE_URL: no DDL, no TRUNCATE,
 * history append-only); migrations, grants, seeding and maintenance scripts use `ownerDb()`, the OWNER role
 * (DATABASE_OWNER_URL, defaulting to DATABASE_URL). The embedded server provisions both roles itself.
 */
import { Kysely, PostgresDialect, sql } from "kysely";
import pg from "pg";
import type { DB as Database } from "#db/schema.generated.ts";
import { provisionDatabase, withConnection } from "./db-roles.server.ts";
import { embeddedUrl, startEmbeddedPostgres } from "./embedded-pg.server.ts";
import { env } from "./env.server.ts";
import { watchPool } from "./observability/metrics.server.ts";

export type { Database };

// Return bigint/numeric counts as JS numbers: our counts stay far below 2^53.
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));
// `date` columns stay plain YYYY-MM-DD strings: they are calendar days, not instants.
pg.types.setTypeParser(1082, (v) => v);

export const EMBEDDED_DATABASE = "portal";

/**
 * The embedded server's roles. Fixed demo passwords: the embedded server listens on 127.0.0.1 only and its
 * superuser's password is as public (embedded-pg.server.ts).
 */
export const EMBEDDED_ROLES = {
  owner: { name: "portal_owner", password: "portal_owner" },
  app: { name: "portal_app", password: "portal_app" },
} as const;

function embeddedRoleUrl(role: { name: string; password: string }): string {
  return withConnection(embeddedUrl(env.EMBEDDED_PG_PORT, EMBEDDED_DATABASE), {
    user: role.name,
    password: role.password,
  });
}

/** DATABASE_OWNER_URL, validated when this module loads (a wrong value stops start-up, like env.server.ts). */
function readOwnerUrl(): string | undefined {
  const value = process.env.DATABASE_OWNER_URL;
  if (value === undefined || value === "") return undefined;
  let ok = false;
  try {
    ok = /^postgres(ql)?:$/.test(new URL(value).protocol);
  } catch {}
  if (!ok) {
    throw new Error("Invalid environment configuration:\n  DATABASE_OWNER_URL: expected a postgresql:// URL");
  }
  if (!env.DATABASE_URL) {
    throw new Error(
      "Invalid environment configuration:\n  DATABASE_OWNER_URL: set DATABASE_URL (the app role) too, or neither (embedded)",
    );
  }
  return value;
}
const OWNER_URL = readOwnerUrl();

/** The app role's connection: what the running portal uses (`db`). */
export function connectionString(): string {
  return env.DATABASE_URL ?? embeddedRoleUrl(EMBEDDED_ROLES.app);
}

/**
 * The owner role's connection: migrations (ours and graphile-worker's), the grants, seeding, seed:year, the
 * import command, audit:verify and maintenance. DATABASE_OWNER_URL, else DATABASE_URL, else the embedded owner.
 */
export function ownerConnectionString(): string {
  return OWNER_URL ?? env.DATABASE_URL ?? embeddedRoleUrl(EMBEDDED_ROLES.owner);
}

/** A Kysely over a pg Pool; with `watchAs`, the pool's usage is exported as portal_db_pool_* (/metrics). */
export function createDb(url: string, max = 10, watchAs?: string): Kysely<Database> {
  const pool = new pg.Pool({ connectionString: url, max });
  if (watchAs) watchPool(watchAs, pool);
  // An idle connection killed by the server (restart, admin, dropped test database) must not crash
  // the process; the pool replaces it on next use.
  pool.on("error", (error: Error & { code?: string }) => {
    if (error.code !== "57P01") console.error("PostgreSQL pool error:", error.message);
  });
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

const globalForDb = globalThis as unknown as {
  __portalDb?: Kysely<Database>;
  __portalOwnerDb?: Kysely<Database>;
  __portalEmbeddedStop?: () => Promise<void>;
  __portalEmbeddedReady?: boolean;
};

/** The app role's pool. */
export const db: Kysely<Database> = globalForDb.__portalDb ?? createDb(connectionString(), 10, "app");
globalForDb.__portalDb = db;

/**
 * The owner role's pool (small), opened on first use. Start-up closes it once migrated and seeded
 * (`closeOwnerDb`), so the running app holds no owner connection.
 */
export function ownerDb(): Kysely<Database> {
  globalForDb.__portalOwnerDb ??= createDb(ownerConnectionString(), 2);
  return globalForDb.__portalOwnerDb;
}

export async function closeOwnerDb(): Promise<void> {
  const owner = globalForDb.__portalOwnerDb;
  globalForDb.__portalOwnerDb = undefined;
  await owner?.destroy();
}

/**
 * Starts the embedded server when no DATABASE_URL is set, and provisions its two roles and the database
 * owned by the owner role (an existing database of an earlier version is handed over to it). Idempotent.
 */
export async function startDatabase(
  log: (message: string) => void = () => {},
): Promise<{ kind: "embedded" | "external" }> {
  if (env.DATABASE_URL) return { kind: "external" };
  if (!globalForDb.__portalEmbeddedStop) {
    const started = await startEmbeddedPostgres({
      dataDir: env.EMBEDDED_PG_DIR,
      port: env.EMBEDDED_PG_PORT,
      database: "postgres",
      onReuse: log,
    });
    globalForDb.__portalEmbeddedStop = started.stop;
  }
  if (!globalForDb.__portalEmbeddedReady) {
    await provisionDatabase(embeddedUrl(env.EMBEDDED_PG_PORT, "postgres"), EMBEDDED_DATABASE, EMBEDDED_ROLES);
    globalForDb.__portalEmbeddedReady = true;
  }
  return { kind: "embedded" };
}

export async function stopDatabase(): Promise<void> {
  await closeOwnerDb();
  await db.destroy();
  await globalForDb.__portalEmbeddedStop?.();
  globalForDb.__portalEmbeddedStop = undefined;
  globalForDb.__portalEmbeddedReady = false;
}

/** Runs a trivial query: resolves when the database answers, rejects when it does not (the health check). */
export async function pingDatabase(handle: Kysely<Database> = db): Promise<void> {
  await sql`select 1`.execute(handle);
}
