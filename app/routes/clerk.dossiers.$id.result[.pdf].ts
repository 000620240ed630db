import type { LoaderFunctionArgs } from "@remix-run/node";
import { db } from "../server/db.server.ts";
import { agencyDossier } from "../server/dossiers/staff-access.server.ts";
import { recordStaffView } from "../server/dossiers/workflow-service.server.ts";
import { resultPdfOfDossier } from "../server/results/result-queries.server.ts";

/** The signed result PDF for the handling agency's clerks (issue 14); the download is recorded for the citizen. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, row } = await agencyDossier(request, params.id);
  const result = await resultPdfOfDossier(db, row.id);
  if (!result) throw new Response("Not Found", { status: 404 });
  await recordStaffView(db, row.id, { id: user.id, role: user.role, agencyCode: user.agencyCode }, "download");
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
