/**
 * Environment, validated once at boot, and the portal's two modes (docs/security.md):
 *
 * - demo: what `npm start` gives on a fresh clone — embedded database, demo accounts, the gateway
 *   simulator, demo secrets and the visible demo banner. Zero configuration.
 * - production: `PORTAL_MODE=production`, or `NODE_ENV=production` with `DATABASE_URL` and no
 *   `PORTAL_MODE`. Every secret must be configured; start-up lists every problem at once and exits
 *   non-zero rather than fall back to a demo value. Demo data is never seeded.
 *
 * A wrong value stops start-up with a message naming the variable, instead of failing later inside a
 * request.
 */
import crypto from "node:crypto";
import { z } from "zod";
import { certificateProblems } from "./results/cert-config.server.ts";

const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORTAL_MODE: z.enum(["demo", "production"]).optional(),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  /** Real PostgreSQL. Without it the portal starts its own embedded PostgreSQL. */
  DATABASE_URL: z.string().url().optional(),
  EMBEDDED_PG_DIR: z.string().default(".data/pg"),
  EMBEDDED_PG_PORT: z.coerce.number().int().min(1024).max(65535).default(54329),
  SESSION_SECRET: z.string().optional(),
  CSRF_SECRET: z.string().optional(),
  /** Seeds demo data into an empty database on start. Demo mode only; default on in demo mode. */
  SEED_DEMO: z
    .enum(["true", "false", "1", "0"])
    .optional()
    .transform((v) => (v === undefined ? undefined : v === "true" || v === "1")),
  /** Secure cookies need HTTPS; localhost counts as secure for browsers. */
  COOKIE_SECURE: z.enum(["true", "false", "auto"]).default("auto"),
  MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(12 * 1024 * 1024),
  PUBLIC_URL: z.string().url().optional(),
});

export type Env = z.infer<typeof EnvSchema>;
export type PortalMode = "demo" | "production";
export type EnvSource = Record<string, string | undefined>;

function loadEnv(source: EnvSource): Env {
  const parsed = EnvSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment configuration:\n${lines.join("\n")}`);
  }
  return parsed.data;
}

export const env = loadEnv(process.env);

/** Which mode a given environment selects (see the file comment). */
export function portalModeOf(source: EnvSource): PortalMode {
  if (source.PORTAL_MODE === "production" || source.PORTAL_MODE === "demo") return source.PORTAL_MODE;
  return source.NODE_ENV === "production" && source.DATABASE_URL ? "production" : "demo";
}

export const portalMode: PortalMode = portalModeOf(process.env);
export const isDemoMode = portalMode === "demo";
export const isProduction = env.NODE_ENV === "production";

/**
 * The demo values that ship in this repository. They are public, so production refuses them (and
 * anything that still says "change-me"); demo mode uses them so a fresh clone needs no set-up.
 */
export const DEMO_VALUES = {
  SESSION_SECRET: "demo-only-session-secret-change-me",
  CSRF_SECRET: "demo-only-csrf-secret-change-me",
  GATEWAY_SECRET: "demo-secret-change-me",
  GATEWAY_TMN_CODE: "DEMO0001",
} as const;

/** Minimum length of a production secret: 32 characters (e.g. `openssl rand -base64 32` gives 44). */
export const MIN_SECRET_LENGTH = 32;

function secretProblem(name: string, value: string | undefined, demo: string): string | undefined {
  if (!value) return `${name} is not set.`;
  if (value === demo || /change-?me|demo/i.test(value)) return `${name} is a demo value; generate a new secret.`;
  if (value.length < MIN_SECRET_LENGTH)
    return `${name} is too short (${value.length} characters; at least ${MIN_SECRET_LENGTH}).`;
  return undefined;
}

function signingKeyProblem(pem: string | undefined): string | undefined {
  if (!pem) return "RESULT_SIGNING_KEY is not set (an Ed25519 private key, PKCS#8 PEM, that signs results).";
  try {
    const key = crypto.createPrivateKey(pem);
    if (key.asymmetricKeyType !== "ed25519") return "RESULT_SIGNING_KEY is not an Ed25519 private key.";
  } catch {
    return "RESULT_SIGNING_KEY is not a readable PKCS#8 PEM private key.";
  }
  return undefined;
}

/**
 * Everything that stops a production start, all at once. Empty in demo mode. Pure, so it is tested
 * directly; `server.ts` prints the list and exits 1.
 */
export function productionProblems(source: EnvSource): string[] {
  if (portalModeOf(source) !== "production") return [];
  const problems: string[] = [];
  const parsed = EnvSchema.safeParse(source);
  if (!parsed.success) for (const i of parsed.error.issues) problems.push(`${i.path.join(".")}: ${i.message}`);
  if (!source.DATABASE_URL)
    problems.push("DATABASE_URL is not set (production runs on a real PostgreSQL, as the app role).");
  for (const p of [
    secretProblem("SESSION_SECRET", source.SESSION_SECRET, DEMO_VALUES.SESSION_SECRET),
    secretProblem("CSRF_SECRET", source.CSRF_SECRET, DEMO_VALUES.CSRF_SECRET),
    secretProblem("GATEWAY_SECRET", source.GATEWAY_SECRET, DEMO_VALUES.GATEWAY_SECRET),
    signingKeyProblem(source.RESULT_SIGNING_KEY),
  ])
    if (p) problems.push(p);
  // Result PDFs are signed by the agency's X.509 certificate (issue 14, ADR 014); no demo CA in production.
  problems.push(...certificateProblems(source));
  if (source.SESSION_SECRET && source.SESSION_SECRET === source.CSRF_SECRET)
    problems.push("CSRF_SECRET must differ from SESSION_SECRET.");
  if (!source.GATEWAY_URL) problems.push("GATEWAY_URL is not set (the gateway simulator is demo-only).");
  if (!source.GATEWAY_TMN_CODE) problems.push("GATEWAY_TMN_CODE is not set.");
  else if (source.GATEWAY_TMN_CODE === DEMO_VALUES.GATEWAY_TMN_CODE)
    problems.push("GATEWAY_TMN_CODE is the demo merchant code.");
  if (!source.PUBLIC_URL) problems.push("PUBLIC_URL is not set (the https address citizens use; QR codes link to it).");
  else if (!/^https:\/\//.test(source.PUBLIC_URL)) problems.push("PUBLIC_URL must be an https:// address.");
  if (source.SEED_DEMO === "true" || source.SEED_DEMO === "1")
    problems.push("SEED_DEMO is on: demo accounts with published passwords are never seeded in production.");
  if (source.COOKIE_SECURE === "false") problems.push("COOKIE_SECURE=false: production cookies must be Secure.");
  // Optional (without it /metrics answers only this machine), but a short token is guessable.
  if (source.METRICS_TOKEN !== undefined && source.METRICS_TOKEN.length < 32)
    problems.push("METRICS_TOKEN is shorter than 32 characters (e.g. openssl rand -hex 32), or leave it unset.");
  if (
    source.LOG_LEVEL !== undefined &&
    !["fatal", "error", "warn", "info", "debug", "trace", "silent"].includes(source.LOG_LEVEL)
  )
    problems.push("LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent.");
  return problems;
}

function demoFallback(name: keyof typeof DEMO_VALUES, value: string | undefined): string {
  if (value) return value;
  // Never silently: production start-up refuses before any request (productionProblems).
  if (!isDemoMode) throw new Error(`${name} is not set (production mode).`);
  return DEMO_VALUES[name];
}

export function sessionSecret(): string {
  return demoFallback("SESSION_SECRET", env.SESSION_SECRET);
}

export function csrfSecret(): string {
  return demoFallback("CSRF_SECRET", env.CSRF_SECRET);
}

/** Demo-only commands (demo seed, generated years) stop here in production mode, with a message. */
export function refuseInProduction(command: string): void {
  if (isDemoMode) return;
  console.error(
    `${command} writes demo data and is refused in production mode (PORTAL_MODE / NODE_ENV=production with DATABASE_URL).`,
  );
  process.exit(1);
}

/** Seed the demo province into an empty database: demo mode only, unless switched off. */
export function seedDemoEnabled(): boolean {
  return isDemoMode && env.SEED_DEMO !== false;
}

/** The address citizens use; QR codes, verification links and gateway return URLs are built from it. */
export function publicUrl(): string {
  return (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, "");
}

/** PUBLIC_URL when it is configured (without a trailing slash), else undefined. */
export function configuredPublicUrl(): string | undefined {
  return env.PUBLIC_URL?.replace(/\/$/, "");
}

export function gatewayConfig() {
  return {
    url: (process.env.GATEWAY_URL ?? "http://localhost:8089").replace(/\/$/, ""),
    tmnCode: demoFallback("GATEWAY_TMN_CODE", process.env.GATEWAY_TMN_CODE),
    secret: demoFallback("GATEWAY_SECRET", process.env.GATEWAY_SECRET),
    publicUrl: publicUrl(),
  };
}

export function cookieSecure(): boolean {
  if (env.COOKIE_SECURE === "auto") return isProduction;
  return env.COOKIE_SECURE === "true";
}
