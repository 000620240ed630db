import { db } from "../db.server.ts";
import { signedDeclarationPdf } from "./citizen-signing.server.ts";

/** The stored signed declaration as a download, or 404 when the dossier has none. */
export async function declarationPdfResponse(dossier: { id: string; code: string | null }): Promise<Response> {
  const row = await signedDeclarationPdf(db, dossier.id);
  if (!row) throw new Response("Not Found", { status: 404 });
  const name = `to-khai-${(dossier.code ?? dossier.id).replace(/[^A-Za-z0-9.-]/g, "-")}.pdf`;
  return new Response(new Uint8Array(row.pdf), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `attachment; filename="${name}"`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
