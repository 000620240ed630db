/** Guards for staff dossier routes: the dossier must be within the staff member's reach, else "not found". */
import type { Kysely } from "kysely";
import { isUuid } from "../../domain/ids/uuid.ts";
import { requirePermission } from "../auth.server.ts";
import { agencySubtree } from "../catalogue/catalogue-queries.server.ts";
import { type Database, db } from "../db.server.ts";
import { type Manager, subtreeOf } from "../stats/manager-dashboard.server.ts";
import { dossierById } from "./dossier-queries.server.ts";

/** A clerk, and the dossier belongs to the clerk's agency (else 404). */
export async function agencyDossier(request: Request, id: string | undefined) {
  const user = await requirePermission(request, "process:dossier:agency");
  const row = id && isUuid(id) ? await dossierById(db, id) : undefined;
  if (!row || !user.agencyCode || row.agency_code !== user.agencyCode || row.status === "draft") {
    throw new Response("Not Found", { status: 404 });
  }
  return { user, row };
}

/**
 * A received dossier of the manager's subtree (else 404, so a manager cannot probe other units' dossiers:
 * a malformed id, a draft and another unit's dossier all look the same).
 */
export async function managerDossier(handle: Kysely<Database>, user: Manager, id: string | undefined) {
  const row = id && isUuid(id) ? await dossierById(handle, id) : undefined;
  const tree = row ? await agencySubtree(handle, user.agencyCode) : [];
  if (!row || row.status === "draft" || !subtreeOf(tree, user.agencyCode).includes(row.agency_code)) {
    throw new Response("Not Found", { status: 404 });
  }
  return row;
}
