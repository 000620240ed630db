import type { LoaderFunctionArgs } from "@remix-run/node";
import { db } from "../server/db.server.ts";
import { attachmentResponse } from "../server/dossiers/attachment-download.server.ts";
import { agencyDossier } from "../server/dossiers/staff-access.server.ts";
import { recordStaffView } from "../server/dossiers/workflow-service.server.ts";

/** Staff download of a dossier's file: only the handling agency's clerks, and it is recorded. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, row } = await agencyDossier(request, params.id);
  const response = await attachmentResponse(row.id, params.fileId);
  await recordStaffView(db, row.id, { id: user.id, role: user.role, agencyCode: user.agencyCode }, "download");
  return response;
}
