import type { LoaderFunctionArgs } from "@remix-run/node";
import { db } from "../server/db.server.ts";
import { agencyDossier } from "../server/dossiers/staff-access.server.ts";
import { recordStaffView } from "../server/dossiers/workflow-service.server.ts";
import { declarationPdfResponse } from "../server/signing/declaration-download.server.ts";

/** The citizen's signed declaration for the handling agency's clerks (ADR 018); the download is recorded. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, row } = await agencyDossier(request, params.id);
  const response = await declarationPdfResponse(row);
  await recordStaffView(db, row.id, { id: user.id, role: user.role, agencyCode: user.agencyCode }, "download");
  return response;
}
