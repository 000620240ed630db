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
  await client.query("drop database if exists portal_e2e with (force)");
  await client.query("create database portal_e2e");
  await client.end();
  const target = new URL(real);
  target.pathname = "/portal_e2e";
  process.env.DATABASE_URL = target.toString();
} else {
  const dir = path.join(os.tmpdir(), "portal-e2e-pg");
  fs.rmSync(dir, { recursive: true, force: true });
  process.env.EMBEDDED_PG_DIR = dir;
  process.env.EMBEDDED_PG_PORT = process.env.E2E_EMBEDDED_PG_PORT ?? "54349";
}
process.env.NODE_ENV = "production";
process.env.PORT = port;
process.env.AUTH_RATE_LIMIT = "1000";
process.env.SEED_DEMO = "true";
process.env.GATEWAY_PORT = process.env.E2E_GATEWAY_PORT ?? "8099";
delete process.env.GATEWAY_URL;

await import("../server.ts");
