import type { LoaderFunctionArgs } from "@remix-run/node";
import { db } from "../server/db.server.ts";
import { ownDossier } from "../server/dossiers/citizen-access.server.ts";
import { resultPdfOfDossier } from "../server/results/result-queries.server.ts";

/** The applicant's own result as the signed PDF (issue 14). Other people get a 404, as for the dossier. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { row } = await ownDossier(request, params.id);
  const result = await resultPdfOfDossier(db, row.id);
  if (!result) throw new Response("Not Found", { status: 404 });
  const name = `ket-qua-${(row.code ?? result.verificationCode).replace(/[^A-Za-z0-9.-]/g, "-")}.pdf`;
  return new Response(new Uint8Array(result.pdf), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `attachment; filename="${name}"`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
