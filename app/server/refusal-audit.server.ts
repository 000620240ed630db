/**
 * Refused staff attempts leave a trace: when a signed-in clerk, manager or admin gets 403, 404 or 409
 * from a page or action, one audit row says who tried what. Anonymous and citizen refusals are not
 * written (anyone could grow the audit table with them); they go to the server log only.
 */
import { recordAudit } from "./audit.server.ts";
import { getUser } from "./auth.server.ts";
import { db } from "./db.server.ts";

export const AUDITED_REFUSALS = new Set([403, 404, 409]);
const STAFF = new Set(["clerk", "manager", "admin"]);

export type Refusal = { method: string; path: string; status: number; cookie: string | undefined };

export async function auditRefusal(refusal: Refusal): Promise<void> {
  if (!AUDITED_REFUSALS.has(refusal.status) || !refusal.cookie?.includes("portal_session=")) return;
  const user = await getUser(new Request("http://portal.invalid/", { headers: { Cookie: refusal.cookie } }));
  if (!user || !STAFF.has(user.role)) return;
  await recordAudit(db, {
    actorId: user.id,
    action: "access_refused",
    entity: "route",
    entityId: refusal.path.slice(0, 300),
    data: { method: refusal.method, status: refusal.status, role: user.role, agency: user.agencyCode },
  });
}
