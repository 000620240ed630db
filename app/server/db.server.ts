/**
 * The single Kysely<Database> of the app. With DATABASE_URL it is a pg Pool to that server;
 * without, a pg Pool to the embedded PostgreSQL started by `startDatabase()` at boot.
 */
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import type { DB as Database } from "#db/schema.generated.ts";
import { embeddedUrl, startEmbeddedPostgres } from "./embedded-pg.server.ts";
import { env } from "./env.server.ts";

export type { Database };

// Return bigint/numeric counts as JS numbers: our counts stay far below 2^53.
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));
// `date` columns stay plain YYYY-MM-DD strings: they are calendar days, not instants.
pg.types.setTypeParser(1082, (v) => v);

export const EMBEDDED_DATABASE = "portal";

export function connectionString(): string {
  return env.DATABASE_URL ?? embeddedUrl(env.EMBEDDED_PG_PORT, EMBEDDED_DATABASE);
}

export function createDb(url: string, max = 10): Kysely<Database> {
  const pool = new pg.Pool({ connectionString: url, max });
  // An idle connection killed by the server (restart, admin, dropped test database) must not crash
  // the process; the pool replaces it on next use.
  pool.on("error", (error: Error & { code?: string }) => {
    if (error.code !== "57P01") console.error("PostgreSQL pool error:", error.message);
  });
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

const globalForDb = globalThis as unknown as {
  __portalDb?: Kysely<Database>;
  __portalEmbeddedStop?: () => Promise<void>;
};

export const db: Kysely<Database> = globalForDb.__portalDb ?? createDb(connectionString());
globalForDb.__portalDb = db;

/** Starts the embedded server when no DATABASE_URL is set. Idempotent. */
export async function startDatabase(): Promise<{ kind: "embedded" | "external" }> {
  if (env.DATABASE_URL) return { kind: "external" };
  if (!globalForDb.__portalEmbeddedStop) {
    const started = await startEmbeddedPostgres({
      dataDir: env.EMBEDDED_PG_DIR,
      port: env.EMBEDDED_PG_PORT,
      database: EMBEDDED_DATABASE,
    });
    globalForDb.__portalEmbeddedStop = started.stop;
  }
  return { kind: "embedded" };
}

export async function stopDatabase(): Promise<void> {
  await db.destroy();
  await globalForDb.__portalEmbeddedStop?.();
  globalForDb.__portalEmbeddedStop = undefined;
}
