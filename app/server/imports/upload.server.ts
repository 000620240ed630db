/**
 * Receives an import file posted from /admin/imports: the multipart body is streamed straight to disk
 * (STORAGE_DIR/imports/<run id>.csv), counting bytes, so even a file far over the limit is never held
 * in memory. Past the limit the rest is read and discarded (so the browser gets the answer instead of a
 * reset connection) and the upload is refused. The CSRF token is checked like on every form.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import {
  unstable_composeUploadHandlers as composeUploadHandlers,
  unstable_createMemoryUploadHandler as createMemoryUploadHandler,
  unstable_parseMultipartFormData as parseMultipartFormData,
} from "@remix-run/node";
import { CSRF_FIELD, isValidCsrf } from "../csrf.server.ts";
import { cleanFileName } from "../files/file-store.server.ts";
import { importMaxBytes, importsDir } from "./import-service.server.ts";

export type UploadProblem = "noFile" | "emptyFile" | "tooLarge" | "unreadable" | "csrf";

export type ImportUpload =
  | { ok: true; id: string; filePath: string; fileName: string; sizeBytes: number }
  | { ok: false; problem: UploadProblem };

export async function receiveImportUpload(request: Request): Promise<ImportUpload> {
  const max = importMaxBytes();
  const id = crypto.randomUUID();
  const filePath = path.join(importsDir(), `${id}.csv`);
  let received: { fileName: string; sizeBytes: number; tooLarge: boolean } | undefined;

  const fileHandler = async ({
    name,
    filename,
    data,
  }: {
    name: string;
    filename?: string;
    data: AsyncIterable<Uint8Array>;
  }) => {
    // No file chosen (an empty file name), another field, or a second file: not ours to store.
    if (name !== "file" || !filename || received) return undefined;
    await fs.promises.mkdir(importsDir(), { recursive: true });
    const out = fs.createWriteStream(filePath, { flags: "wx" });
    let size = 0;
    let tooLarge = false;
    try {
      for await (const chunk of data) {
        size += chunk.byteLength;
        if (size > max) tooLarge = true;
        if (!tooLarge && !out.write(chunk)) await new Promise<void>((resolve) => out.once("drain", () => resolve()));
      }
    } finally {
      await new Promise<void>((resolve) => out.end(resolve));
    }
    received = { fileName: cleanFileName(filename), sizeBytes: size, tooLarge };
    return filePath;
  };

  let formData: FormData;
  try {
    formData = await parseMultipartFormData(
      request,
      composeUploadHandlers(fileHandler, createMemoryUploadHandler({ maxPartSize: 16 * 1024 })),
    );
  } catch {
    await fs.promises.rm(filePath, { force: true });
    return { ok: false, problem: "unreadable" };
  }
  const refuse = async (problem: UploadProblem): Promise<ImportUpload> => {
    await fs.promises.rm(filePath, { force: true });
    return { ok: false, problem };
  };
  if (!isValidCsrf(request, formData.get(CSRF_FIELD))) return refuse("csrf");
  if (!received) return refuse("noFile");
  if (received.tooLarge) return refuse("tooLarge");
  if (received.sizeBytes === 0) return refuse("emptyFile");
  return { ok: true, id, filePath, fileName: received.fileName, sizeBytes: received.sizeBytes };
}
