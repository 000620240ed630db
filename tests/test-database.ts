/**
 * Test databases: every test file gets its own freshly migrated database, created on the real
 * server (DATABASE_URL / TEST_DATABASE_URL) or on the embedded one, and dropped afterwards, so tests
 * never touch demo data.
 */
import crypto from "node:crypto";
import os from "node:os";
import path from "node:path";
import type { Kysely } from "kysely";
import pg from "pg";
import { createDb, type Database } from "../app/server/db.server.ts";
import { startEmbeddedPostgres } from "../app/server/embedded-pg.server.ts";
import { migrateJobQueue } from "../app/server/jobs/jobs.server.ts";
import { migrateToLatest } from "../app/server/migrate.server.ts";

export const TEST_EMBEDDED_PORT = Number(process.env.TEST_EMBEDDED_PG_PORT ?? 54339);
export const TEST_EMBEDDED_DIR = path.join(os.tmpdir(), `portal-test-pg-${TEST_EMBEDDED_PORT}`);

export async function ensureTestEmbedded(): Promise<{ url: string; stop: () => Promise<void> }> {
  return startEmbeddedPostgres({ dataDir: TEST_EMBEDDED_DIR, port: TEST_EMBEDDED_PORT, database: "postgres" });
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export type ScratchDatabase = { url: string; name: string; drop: () => Promise<void> };

/** Creates an empty, migrated database on the given server (embedded when no URL). */
export async function createScratchDatabase(serverUrl?: string): Promise<ScratchDatabase> {
  const adminUrl = serverUrl ?? (await ensureTestEmbedded()).url;
  const name = `portal_test_${crypto.randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: withDatabase(adminUrl, "postgres") });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = withDatabase(adminUrl, name);
  const db = createDb(url, 2);
  await migrateToLatest(db);
  await db.destroy();
  await migrateJobQueue(url);
  return {
    url,
    name,
    drop: async () => {
      const c = new pg.Client({ connectionString: withDatabase(adminUrl, "postgres") });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

export type TestTarget = { label: "embedded" | "real"; serverUrl: string | undefined };

/** The databases db tests run on: always the embedded one, plus real PostgreSQL when configured. */
export function testTargets(): TestTarget[] {
  const real = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
  const targets: TestTarget[] = [{ label: "embedded", serverUrl: undefined }];
  if (real) targets.push({ label: "real", serverUrl: real });
  return targets;
}

export async function openTestDb(
  target: TestTarget,
): Promise<{ db: Kysely<Database>; scratch: ScratchDatabase; close: () => Promise<void> }> {
  const scratch = await createScratchDatabase(target.serverUrl);
  const db = createDb(scratch.url, 8);
  return {
    db,
    scratch,
    close: async () => {
      await db.destroy();
      await scratch.drop();
    },
  };
}
