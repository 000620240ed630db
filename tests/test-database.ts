/**
 * Test databases: every test file gets its own freshly migrated database, created on the real
 * server (DATABASE_URL / TEST_DATABASE_URL) or on the embedded one, and dropped afterwards, so tests
 * never touch demo data.
 *
 * By default the scratch database is owned and used by the server's superuser. With `{ roles: true }` it
 * is provisioned like production (README "Database roles"): owned by `portal_test_owner`, migrated and
 * granted as it, and `url` is the least-privileged `portal_test_app` (`ownerUrl`, `superuserUrl` for the
 * others). The two roles are cluster-wide and shared by parallel test files (created race-safely).
 */
import crypto from "node:crypto";
import os from "node:os";
import path from "node:path";
import type { Kysely } from "kysely";
import pg from "pg";
import { createDb, type Database } from "../app/server/db.server.ts";
import { currentRole, grantAppPrivileges, provisionDatabase } from "../app/server/db-roles.server.ts";
import { startEmbeddedPostgres } from "../app/server/embedded-pg.server.ts";
import { migrateJobQueue } from "../app/server/jobs/queue.server.ts";
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

export type ScratchDatabase = {
  /** What the code under test connects as: the superuser, or the app role with `{ roles: true }`. */
  url: string;
  /** The owner role (migrations, maintenance); the superuser without roles. */
  ownerUrl: string;
  superuserUrl: string;
  name: string;
  drop: () => Promise<void>;
};

/** The test cluster's roles (never the deployment's portal_owner / portal_app). */
export const TEST_ROLES = {
  owner: { name: "portal_test_owner", password: "portal_test_owner" },
  app: { name: "portal_test_app", password: "portal_test_app" },
} as const;

/** Creates an empty, migrated database on the given server (embedded when no URL). */
export async function createScratchDatabase(
  serverUrl?: string,
  opts: { roles?: boolean } = {},
): Promise<ScratchDatabase> {
  const adminUrl = serverUrl ?? (await ensureTestEmbedded()).url;
  const name = `portal_test_${crypto.randomBytes(6).toString("hex")}`;
  const superuserUrl = withDatabase(adminUrl, name);
  let url = superuserUrl;
  let ownerUrl = superuserUrl;
  if (opts.roles) {
    const provisioned = await provisionDatabase(adminUrl, name, TEST_ROLES);
    url = provisioned.appUrl;
    ownerUrl = provisioned.ownerUrl;
  } else {
    const admin = new pg.Client({ connectionString: withDatabase(adminUrl, "postgres") });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
  }
  const db = createDb(ownerUrl, 2);
  try {
    await migrateToLatest(db);
    await migrateJobQueue(ownerUrl);
    if (opts.roles) await grantAppPrivileges(db, TEST_ROLES.app.name);
    if (opts.roles && (await currentRole(db)) !== TEST_ROLES.owner.name) throw new Error("not the owner role");
  } finally {
    await db.destroy();
  }
  return {
    url,
    ownerUrl,
    superuserUrl,
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

/**
 * A scratch database and a pool on it. `{ roles: true }`: provisioned with the owner and app roles, the pool
 * connecting as the app role (TEST_DB_ROLES=1 makes that the default for every db test).
 */
export async function openTestDb(
  target: TestTarget,
  opts: { roles?: boolean } = {},
): Promise<{ db: Kysely<Database>; scratch: ScratchDatabase; close: () => Promise<void> }> {
  const scratch = await createScratchDatabase(target.serverUrl, {
    roles: opts.roles ?? process.env.TEST_DB_ROLES === "1",
  });
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
