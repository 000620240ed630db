/**
 * Starts the production build for e2e on a database of its own, so tests never touch demo data:
 * a fresh `portal_e2e` database on DATABASE_URL's server when set, else a fresh embedded instance.
 * On a real server the database is provisioned like production (README "Database roles"): owned by
 * `portal_owner` (DATABASE_OWNER_URL: migrations, grants, seeding), the app running as `portal_app`
 * (DATABASE_URL) with only the app's grants — so e2e proves the portal works with least privilege.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { provisionDatabase } from "../app/server/db-roles.server.ts";

const port = process.env.E2E_PORT ?? "3100";
const real = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;

if (real) {
  const admin = new URL(real);
  admin.pathname = "/postgres";
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  // E2E_DATABASE lets two runs share one server without dropping each other's database.
  const name = (process.env.E2E_DATABASE ?? "portal_e2e").replace(/[^a-z0-9_]/g, "");
  await client.query(`drop database if exists ${name} with (force)`);
  await client.end();
  // Cluster-wide roles: created when missing, with these passwords (an existing role keeps its own).
  const roles = await provisionDatabase(real, name, {
    owner: {
      name: process.env.E2E_OWNER_ROLE ?? "portal_owner",
      password: process.env.E2E_OWNER_PASSWORD ?? "portal_owner",
    },
    app: { name: process.env.E2E_APP_ROLE ?? "portal_app", password: process.env.E2E_APP_PASSWORD ?? "portal_app" },
  });
  process.env.DATABASE_URL = roles.appUrl;
  process.env.DATABASE_OWNER_URL = roles.ownerUrl;
} else {
  const pgPort = process.env.E2E_EMBEDDED_PG_PORT ?? "54349";
  const dir = path.join(os.tmpdir(), `portal-e2e-pg-${pgPort}`);
  fs.rmSync(dir, { recursive: true, force: true });
  process.env.EMBEDDED_PG_DIR = dir;
  process.env.EMBEDDED_PG_PORT = pgPort;
}
process.env.NODE_ENV = "production";
process.env.PORT = port;
process.env.AUTH_RATE_LIMIT = "1000";
// The suites post many look-ups and verifications from one address; the per-code limit stays as in production.
process.env.LOOKUP_RATE_LIMIT = "5000";
process.env.VERIFY_RATE_LIMIT = "5000";
process.env.API_RATE_LIMIT = "5000";
process.env.SEED_DEMO = "true";
// One JSON line per request would bury the test output; warnings and errors still show.
process.env.LOG_LEVEL ??= "warn";
process.env.PORTAL_MODE = "demo";
process.env.GATEWAY_PORT = process.env.E2E_GATEWAY_PORT ?? "8099";
delete process.env.GATEWAY_URL;

await import("../server.ts");
