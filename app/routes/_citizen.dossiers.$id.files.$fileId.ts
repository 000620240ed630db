import type { LoaderFunctionArgs } from "@remix-run/node";
import { db } from "../server/db.server.ts";
import { ownDossier } from "../server/dossiers/citizen-access.server.ts";
import { readStored } from "../server/files/file-store.server.ts";

/** Authorised download: only the applicant (staff access comes with the clerk pages). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { row } = await ownDossier(request, params.id);
  const fileId = params.fileId ?? "";
  const file = /^[0-9a-f-]{36}$/.test(fileId)
    ? await db
        .selectFrom("dossier_attachments")
        .select(["file_name", "mime_type", "sha256"])
        .where("id", "=", fileId)
        .where("dossier_id", "=", row.id)
        .executeTakeFirst()
    : undefined;
  if (!file) throw new Response("Not Found", { status: 404 });
  const bytes = await readStored(file.sha256);
  return new Response(new Uint8Array(bytes), {
    headers: {
      "Content-Type": file.mime_type,
      "Content-Disposition": `attachment; filename*=UTF-8''${encodeURIComponent(file.file_name)}`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
