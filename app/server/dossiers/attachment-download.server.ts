/** Sends one of a dossier's files after the caller has checked who may see the dossier. */

import { isUuid } from "../../domain/ids/uuid.ts";
import { db } from "../db.server.ts";
import { readStored } from "../files/file-store.server.ts";

export async function attachmentResponse(dossierId: string, fileId: string | undefined): Promise<Response> {
  const id = fileId ?? "";
  const file = isUuid(id)
    ? await db
        .selectFrom("dossier_attachments")
        .select(["file_name", "mime_type", "sha256"])
        .where("id", "=", id)
        .where("dossier_id", "=", dossierId)
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
