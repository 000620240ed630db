/** Ownership guard for citizen dossier routes. */

import { isUuid } from "../../domain/ids/uuid.ts";
import { requireRole } from "../auth.server.ts";
import { db } from "../db.server.ts";
import { dossierById } from "./dossier-queries.server.ts";

/** The citizen's own dossier, or a 404 (never reveal that someone else's dossier exists). */
export async function ownDossier(request: Request, id: string | undefined) {
  const user = await requireRole(request, ["citizen"]);
  const row = id && isUuid(id) ? await dossierById(db, id) : undefined;
  if (!row || row.applicant_id !== user.id) throw new Response("Not Found", { status: 404 });
  return { user, row };
}
