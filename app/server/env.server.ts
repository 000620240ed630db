/**
 * Environment, validated once at boot. A wrong value stops start-up with a message naming the
 * variable, instead of failing later inside a request.
 */
import { z } from "zod";

const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  /** Real PostgreSQL. Without it the portal starts its own embedded PostgreSQL. */
  DATABASE_URL: z.string().url().optional(),
  EMBEDDED_PG_DIR: z.string().default(".data/pg"),
  EMBEDDED_PG_PORT: z.coerce.number().int().min(1024).max(65535).default(54329),
  /** Signs session and CSRF cookies. A fixed demo value is used outside production. */
  SESSION_SECRET: z.string().min(16).optional(),
  /** Seeds demo data into an empty database on start (default on). */
  SEED_DEMO: z
    .enum(["true", "false", "1", "0"])
    .default("true")
    .transform((v) => v === "true" || v === "1"),
  /** Secure cookies need HTTPS; localhost counts as secure for browsers. */
  COOKIE_SECURE: z.enum(["true", "false", "auto"]).default("auto"),
  MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(12 * 1024 * 1024),
});

export type Env = z.infer<typeof EnvSchema>;

function loadEnv(): Env {
  const parsed = EnvSchema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment configuration:\n${lines.join("\n")}`);
  }
  return parsed.data;
}

export const env = loadEnv();

export const isProduction = env.NODE_ENV === "production";

export function sessionSecret(): string {
  if (env.SESSION_SECRET) return env.SESSION_SECRET;
  // Demo-only secret so `npm start` works on a fresh clone; deployments must set SESSION_SECRET.
  return "demo-only-session-secret-change-me";
}

export function cookieSecure(): boolean {
  if (env.COOKIE_SECURE === "auto") return isProduction;
  return env.COOKIE_SECURE === "true";
}
