import type { LoaderFunctionArgs } from "@remix-run/node";
import { attachmentResponse } from "../server/dossiers/attachment-download.server.ts";
import { ownDossier } from "../server/dossiers/citizen-access.server.ts";

/** The applicant's own download of a file of their dossier. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { row } = await ownDossier(request, params.id);
  return attachmentResponse(row.id, params.fileId);
}
