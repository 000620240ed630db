import type { LoaderFunctionArgs } from "@remix-run/node";
import { ownDossier } from "../server/dossiers/citizen-access.server.ts";
import { declarationPdfResponse } from "../server/signing/declaration-download.server.ts";

/** The applicant's own signed declaration (ADR 018). Other people get a 404, as for the dossier. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { row } = await ownDossier(request, params.id);
  return declarationPdfResponse(row);
}
