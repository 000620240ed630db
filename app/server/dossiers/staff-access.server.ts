/** Guard for clerk dossier routes: a clerk, and the dossier belongs to the clerk's agency (else 404). */

import { isUuid } from "../../domain/ids/uuid.ts";
import { requirePermission } from "../auth.server.ts";
import { db } from "../db.server.ts";
import { dossierById } from "./dossier-queries.server.ts";

export async function agencyDossier(request: Request, id: string | undefined) {
  const user = await requirePermission(request, "process:dossier:agency");
  const row = id && isUuid(id) ? await dossierById(db, id) : undefined;
  if (!row || !user.agencyCode || row.agency_code !== user.agencyCode || row.status === "draft") {
    throw new Response("Not Found", { status: 404 });
  }
  return { user, row };
}
