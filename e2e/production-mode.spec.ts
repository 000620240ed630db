/**
 * Production mode for real: the built portal started with PORTAL_MODE=production on a freshly provisioned
 * database (owner and app roles, README "Database roles"), with every secret configured. It must start,
 * send HSTS, show no demo banner, seed no demo accounts, and run as a role that cannot rewrite history.
 */
import { type ChildProcess, spawn } from "node:child_process";
import crypto from "node:crypto";
import path from "node:path";
import pg from "pg";
import { provisionDatabase } from "../app/server/db-roles.server.ts";
import { makeAgencyCertificate } from "../tests/agency-cert.ts";
import { expect, test } from "./fixtures.ts";

const PORT = Number(process.env.E2E_PROD_PORT ?? 3101);
const base = `http://localhost:${PORT}`;
const name = (process.env.E2E_PROD_DATABASE ?? "portal_e2e_prod").replace(/[^a-z0-9_]/g, "");

function superuserUrl(): string {
  const real = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
  if (real) return real;
  return `postgresql://postgres:postgres@127.0.0.1:${process.env.E2E_EMBEDDED_PG_PORT ?? "54349"}/postgres`;
}

async function superuser(sql: string): Promise<void> {
  const url = new URL(superuserUrl());
  url.pathname = "/postgres";
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

let server: ChildProcess | undefined;
let output = "";
let urls: { appUrl: string; ownerUrl: string };

test.beforeAll(async () => {
  test.setTimeout(120_000);
  await superuser(`drop database if exists ${name} with (force)`);
  urls = await provisionDatabase(superuserUrl(), name, {
    owner: { name: "portal_owner", password: "portal_owner" },
    app: { name: "portal_app", password: "portal_app" },
  });
  const secret = () => crypto.randomBytes(32).toString("base64");
  const agencyCert = makeAgencyCertificate();
  server = spawn(process.execPath, ["--import", "tsx", "server.ts"], {
    cwd: path.resolve(import.meta.dirname, ".."),
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: "production",
      PORT: String(PORT),
      DATABASE_URL: urls.appUrl,
      DATABASE_OWNER_URL: urls.ownerUrl,
      SESSION_SECRET: secret(),
      CSRF_SECRET: secret(),
      GATEWAY_URL: "https://pay.gateway.invalid/paymentv2",
      GATEWAY_TMN_CODE: "QNINH001",
      GATEWAY_SECRET: secret(),
      RESULT_SIGNING_KEY: crypto
        .generateKeyPairSync("ed25519")
        .privateKey.export({ type: "pkcs8", format: "pem" })
        .toString(),
      PUBLIC_URL: "https://dichvucong.quangninh.invalid",
      // The agency certificate that signs result PDFs (issue 14): production has no demo CA.
      RESULT_CERT_KEY: agencyCert.key,
      RESULT_CERT_CHAIN: agencyCert.chain,
      RESULT_TRUST_ANCHOR: agencyCert.anchor,
      JOBS: "off",
      VERIFY_RATE_LIMIT: "3",
      API_RATE_LIMIT: "5",
    } as unknown as NodeJS.ProcessEnv,
  });
  server.stdout?.on("data", (d) => (output += d));
  server.stderr?.on("data", (d) => (output += d));
  await expect
    .poll(
      async () => {
        if (server?.exitCode !== null) throw new Error(`the production server exited:\n${output}`);
        return fetch(`${base}/api/health`).then(
          (r) => r.status,
          () => 0,
        );
      },
      { timeout: 90_000, intervals: [500] },
    )
    .toBe(200);
});

test.afterAll(async () => {
  server?.kill("SIGTERM");
  await new Promise((r) => setTimeout(r, 500));
  await superuser(`drop database if exists ${name} with (force)`);
});

test("a configured production start serves with HSTS, no demo banner and no demo accounts", async ({ page }) => {
  expect(output).toContain("(production mode) is running");
  expect(output).not.toContain("simulator");
  const response = await page.goto(`${base}/`);
  expect(response?.status()).toBe(200);
  expect(response?.headers()["strict-transport-security"]).toContain("max-age=31536000");
  await expect(page.locator(".demo-banner")).toHaveCount(0);
  await expect(page.getByText("dữ liệu mẫu")).toHaveCount(0);

  const client = new pg.Client({ connectionString: urls.appUrl });
  await client.connect();
  try {
    const users = await client.query<{ n: number }>("select count(*)::int as n from users");
    expect(users.rows[0]?.n).toBe(0);
    // The running app's role cannot rewrite history, nor change the schema.
    await expect(client.query("update audit_events set action = 'x'")).rejects.toThrow(/permission denied/);
    await expect(client.query("truncate dossiers")).rejects.toThrow(/permission denied/);
    await expect(client.query("create table t (x int)")).rejects.toThrow(/permission denied/);
  } finally {
    await client.end();
  }
});

test("rate limits are wired: the fourth verification and the sixth API call in a minute get 429", async () => {
  const verify = [];
  for (let i = 0; i < 4; i++) verify.push((await fetch(`${base}/verify?code=AAAAAAAAA${i}`)).status);
  expect(verify.slice(0, 3).every((s) => s < 429)).toBe(true);
  expect(verify[3]).toBe(429);
  const api = [];
  for (let i = 0; i < 6; i++) api.push((await fetch(`${base}/api/v1/agencies`)).status);
  expect(api.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
  expect(api[5]).toBe(429);
  // The counters live in the database (shared by every instance), not in the process.
  const client = new pg.Client({ connectionString: urls.ownerUrl });
  await client.connect();
  try {
    const rows = await client.query<{ key: string; hits: number }>(
      "select key, hits from rate_limit_hits where key like 'verify:%' or key like 'api:%' order by key",
    );
    expect(rows.rows.map((r) => r.hits).sort()).toEqual([4, 6]);
  } finally {
    await client.end();
  }
});
