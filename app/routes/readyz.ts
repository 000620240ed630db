import { db } from "../server/db.server.ts";
import { readiness } from "../server/observability/readiness.server.ts";

/**
 * Readiness: 200 when the database answers and every migration of this build is applied, else 503 with a
 * JSON reason (`database_unreachable`, `migrations_pending`). No personal data; the detail names only
 * migrations or the driver's error message.
 */
export async function loader() {
  const result = await readiness(db);
  const headers = { "Cache-Control": "no-store" };
  if (result.ready) return Response.json({ status: "ready" }, { headers });
  return Response.json({ status: "not_ready", reason: result.reason, detail: result.detail }, { status: 503, headers });
}
