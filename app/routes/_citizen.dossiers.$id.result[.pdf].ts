import type { LoaderFunctionArgs } from "@remix-run/node";
import { ownDossier } from "../server/dossiers/citizen-access.server.ts";
import { resultPdfResponse } from "../server/results/result-queries.server.ts";

/** The applicant's own result as the signed PDF (issue 14). Other people get a 404, as for the dossier. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { row } = await ownDossier(request, params.id);
  return resultPdfResponse(row);
}
