/**
 * The attack suite's own connection to the e2e database, as the superuser (never through the app's roles):
 * with DATABASE_URL / TEST_DATABASE_URL, that server's database named by E2E_DATABASE (as e2e/start-server.ts
 * names it); otherwise the embedded instance on E2E_EMBEDDED_PG_PORT, database `portal`.
 *
 * `fingerprint()` summarises the domain tables so a test can say "this refused request changed nothing".
 * Audit, session, rate-limit, notification and job tables are left out on purpose: refusals are audited by
 * design, and notifications/jobs move in the background.
 */
import pg from "pg";

export function e2eDatabaseUrl(): string {
  const real = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
  if (real) {
    const url = new URL(real);
    url.pathname = `/${(process.env.E2E_DATABASE ?? "portal_e2e").replace(/[^a-z0-9_]/g, "")}`;
    return url.toString();
  }
  return `postgresql://postgres:postgres@127.0.0.1:${process.env.E2E_EMBEDDED_PG_PORT ?? "54349"}/portal`;
}

let pool: pg.Pool | undefined;
export function db(): pg.Pool {
  pool ??= new pg.Pool({ connectionString: e2eDatabaseUrl(), max: 2 });
  return pool;
}

export async function closeDb(): Promise<void> {
  const p = pool;
  pool = undefined;
  await p?.end();
}

export async function one<T = Record<string, unknown>>(text: string, values: unknown[] = []): Promise<T> {
  const { rows } = await db().query(text, values);
  if (!rows[0]) throw new Error(`no row: ${text}`);
  return rows[0] as T;
}

export async function rows<T = Record<string, unknown>>(text: string, values: unknown[] = []): Promise<T[]> {
  return (await db().query(text, values)).rows as T[];
}

/** Tables whose content a refused request must not change, each summarised by one expression. */
const FINGERPRINT: Array<[string, string]> = [
  ["dossiers", "count(*) || ':' || coalesce(sum(version), 0) || ':' || coalesce(max(updated_at)::text, '')"],
  ["dossier_events", "count(*) || ':' || coalesce(max(id), 0)"],
  [
    "payments",
    "count(*) || ':' || coalesce(max(updated_at)::text, '') || ':' || count(*) filter (where status = 'paid') || ':' || count(*) filter (where status = 'pending')",
  ],
  [
    "users",
    "count(*) || ':' || md5(coalesce(string_agg(id::text || role || coalesce(agency_code, '') || password_hash || coalesce(email, '') || full_name, ',' order by id), ''))",
  ],
  ["dossier_attachments", "count(*) || ':' || coalesce(max(created_at)::text, '')"],
  ["dossier_results", "count(*)"],
  ["dossier_apologies", "count(*)"],
  ["dossier_imports", "count(*)"],
  ["metric_targets", "count(*) || ':' || coalesce(sum(target_bp), 0) || ':' || coalesce(max(set_at)::text, '')"],
  [
    "calendar_days",
    "count(*) || ':' || md5(coalesce(string_agg(date::text || kind || confirmed::text, ',' order by date), ''))",
  ],
  [
    "procedures",
    "count(*) || ':' || md5(coalesce(string_agg(code || active::text || fee_vnd, ',' order by code), ''))",
  ],
  ["agencies", "count(*)"],
];

export async function fingerprint(): Promise<Record<string, string>> {
  const sql = `select ${FINGERPRINT.map(([t, e]) => `(select ${e} from ${t}) as "${t}"`).join(", ")}`;
  return one<Record<string, string>>(sql);
}

export function diff(a: Record<string, string>, b: Record<string, string>): string[] {
  return Object.keys(a).filter((k) => a[k] !== b[k]);
}

/**
 * Waits until no background job that writes domain tables (imports, refunds) is queued or running, so a
 * fingerprint taken next is not disturbed by work a previous, accepted request started.
 */
export async function settleJobs(timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const { n } = await one<{ n: string }>(
      `select count(*) as n from graphile_worker.jobs
        where task_identifier in ('import_dossiers', 'refund_payment') and (run_at <= now() + interval '5 seconds' or locked_at is not null)
          and attempts < max_attempts`,
    ).catch(() => ({ n: "0" }));
    if (Number(n) === 0) return;
    await new Promise((r) => setTimeout(r, 250));
  }
}
