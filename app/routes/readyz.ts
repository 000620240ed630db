import { db } from "../server/db.server.ts";
import { readiness, readyzResponse } from "../server/observability/readiness.server.ts";

/**
 * Readiness: 200 when the database answers and every migration of this build is applied, else 503 with a
 * JSON reason (`database_unreachable`, `migrations_pending`). No personal data.
 */
export async function loader() {
  return readyzResponse(await readiness(db));
}
