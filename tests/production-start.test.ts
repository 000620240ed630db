/**
 * `server.ts` in production mode refuses to start — before it builds anything or touches data — when a
 * secret is missing or a demo value, or when DATABASE_URL is a superuser; it names each problem and exits 1.
 */
import { spawn } from "node:child_process";
import crypto from "node:crypto";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { makeAgencyCertificate } from "./agency-cert.ts";
import { ensureTestEmbedded } from "./test-database.ts";

/** The agency certificate for result PDFs (issue 14), so that start-up gets as far as the database check. */
function agencyCertificateEnv() {
  const cert = makeAgencyCertificate();
  return { RESULT_CERT_KEY: cert.key, RESULT_CERT_CHAIN: cert.chain, RESULT_TRUST_ANCHOR: cert.anchor };
}

const root = path.resolve(import.meta.dirname, "..");

function startServer(
  env: Record<string, string | undefined>,
  script = "server.ts",
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", script], {
      cwd: root,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env } as unknown as NodeJS.ProcessEnv,
    });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe("production start", () => {
  it("exits non-zero naming every demo or missing secret", async () => {
    const { code, output } = await startServer({
      NODE_ENV: "production",
      DATABASE_URL: "postgresql://portal_app@127.0.0.1:1/portal",
      SESSION_SECRET: "demo-only-session-secret-change-me",
      CSRF_SECRET: "demo-only-csrf-secret-change-me",
      GATEWAY_SECRET: "demo-secret-change-me",
      GATEWAY_TMN_CODE: "DEMO0001",
      PORT: "3999",
    });
    expect(code).toBe(1);
    expect(output).toContain("refuses to start in production mode");
    for (const name of [
      "SESSION_SECRET is a demo value",
      "CSRF_SECRET is a demo value",
      "GATEWAY_SECRET is a demo value",
      "GATEWAY_TMN_CODE is the demo merchant code",
      "RESULT_SIGNING_KEY is not set",
      "GATEWAY_URL is not set",
      "PUBLIC_URL is not set",
    ])
      expect(output).toContain(name);
    expect(output).not.toContain("is running at");
  });

  it("exits non-zero when the app would connect as a superuser", async () => {
    const { url } = await ensureTestEmbedded();
    const secret = () => crypto.randomBytes(32).toString("base64");
    const key = crypto.generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const { code, output } = await startServer({
      PORTAL_MODE: "production",
      DATABASE_URL: url,
      SESSION_SECRET: secret(),
      CSRF_SECRET: secret(),
      GATEWAY_SECRET: secret(),
      GATEWAY_TMN_CODE: "QNINH001",
      GATEWAY_URL: "https://pay.example",
      RESULT_SIGNING_KEY: key,
      ...agencyCertificateEnv(),
      PUBLIC_URL: "https://dichvucong.example",
      PORT: "3999",
    });
    expect(code).toBe(1);
    expect(output).toMatch(/DATABASE_URL: the app connects as \w+, a superuser/);
    expect(output).toContain("DATABASE_OWNER_URL is not set");
  });

  it.each(["db/seed/index.ts", "db/seed/year/index.ts"])("refuses the demo-data command %s", async (script) => {
    const { code, output } = await startServer(
      { PORTAL_MODE: "production", DATABASE_URL: "postgresql://portal_app@127.0.0.1:1/portal" },
      script,
    );
    expect(code).toBe(1);
    expect(output).toContain("refused in production mode");
  });
});
