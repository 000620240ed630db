/**
 * Starts the production build for e2e on a database of its own, so tests never touch demo data:
 * a fresh `portal_e2e` database on DATABASE_URL's server when set, else a fresh embedded instance.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";

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
  await client.query(`create database ${name}`);
  await client.end();
  const target = new URL(real);
  target.pathname = `/${name}`;
  process.env.DATABASE_URL = target.toString();
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
process.env.SEED_DEMO = "true";
process.env.GATEWAY_PORT = process.env.E2E_GATEWAY_PORT ?? "8099";
delete process.env.GATEWAY_URL;

await import("../server.ts");
