import { pingDatabase } from "../server/db.server.ts";

/** Liveness and database check for monitoring (no personal data). */
export async function loader() {
  try {
    await pingDatabase();
    return Response.json({ status: "ok" }, { headers: { "Cache-Control": "no-store" } });
  } catch {
    return Response.json({ status: "database unavailable" }, { status: 503 });
  }
}
