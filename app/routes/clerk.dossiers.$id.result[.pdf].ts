import type { LoaderFunctionArgs } from "@remix-run/node";
import { db } from "../server/db.server.ts";
import { agencyDossier } from "../server/dossiers/staff-access.server.ts";
import { recordStaffView } from "../server/dossiers/workflow-service.server.ts";
import { resultPdfResponse } from "../server/results/result-queries.server.ts";

/** The signed result PDF for the handling agency's clerks (issue 14); the download is recorded for the citizen. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, row } = await agencyDossier(request, params.id);
  const response = await resultPdfResponse(row);
  await recordStaffView(db, row.id, { id: user.id, role: user.role, agencyCode: user.agencyCode }, "download");
  return response;
}
