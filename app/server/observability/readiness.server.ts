/**
 * Readiness (/readyz): the database answers and every migration this build knows is applied. A load
 * balancer sends traffic only to ready instances; liveness (/healthz) says only that the process is up.
 */
import { type Kysely, sql } from "kysely";
import { migrations } from "#db/migrations/index.ts";

export type Readiness =
  | { ready: true }
  | { ready: false; reason: "database_unreachable" | "migrations_pending"; detail: string };

export async function readiness(db: Kysely<any>, known: string[] = Object.keys(migrations)): Promise<Readiness> {
  let applied: Set<string>;
  try {
    const rows = await sql<{ name: string }>`select portal_applied_migrations() as name`.execute(db);
    applied = new Set(rows.rows.map((r) => r.name));
  } catch (error) {
    const code = (error as { code?: string }).code;
    // 42883 / 42P01: the function (added by a migration) or the migrations table is missing: the database
    // answers, but is not migrated.
    if (code === "42883" || code === "42P01")
      return { ready: false, reason: "migrations_pending", detail: `${known.length} not applied` };
    return {
      ready: false,
      reason: "database_unreachable",
      detail: error instanceof Error ? error.message : String(error),
    };
  }
  const pending = known.filter((name) => !applied.has(name));
  if (pending.length > 0)
    return {
      ready: false,
      reason: "migrations_pending",
      detail: `${pending.length} not applied: ${pending.slice(0, 5).join(", ")}`,
    };
  return { ready: true };
}

/** The /readyz answer: 200 `{status: "ready"}`, or 503 with the reason. */
export function readyzResponse(result: Readiness): Response {
  const headers = { "Cache-Control": "no-store" };
  if (result.ready) return Response.json({ status: "ready" }, { headers });
  return Response.json({ status: "not_ready", reason: result.reason, detail: result.detail }, { status: 503, headers });
}
