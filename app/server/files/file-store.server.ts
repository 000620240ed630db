/**
 * Uploaded documents live outside the database, named by their SHA-256 (so a file is stored once and
 * any change is detectable); the database keeps name, type, size and checksum. The type is decided by
 * the file's first bytes, never by its name or the browser's claim.
 */
import crypto from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";

export const MAX_FILE_BYTES = 5 * 1024 * 1024;
export const ALLOWED_TYPES = ["application/pdf", "image/jpeg", "image/png"] as const;
export type AllowedType = (typeof ALLOWED_TYPES)[number];

export function storageDir(): string {
  return path.resolve(process.env.STORAGE_DIR ?? ".data/uploads");
}

export function sniffType(bytes: Uint8Array): AllowedType | null {
  const starts = (...sig: number[]) => sig.every((b, i) => bytes[i] === b);
  if (starts(0x25, 0x50, 0x44, 0x46, 0x2d)) return "application/pdf"; // %PDF-
  if (starts(0xff, 0xd8, 0xff)) return "image/jpeg";
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return "image/png";
  return null;
}

export type StoredFile = { sha256: string; mimeType: AllowedType; sizeBytes: number; fileName: string };

/** "storageFull": the file was fine, but the server could not store it just now (full disk). */
export type FileProblem = "empty" | "tooLarge" | "type" | "storageFull";

export async function checkUpload(
  file: File,
): Promise<
  { ok: true; bytes: Uint8Array; mimeType: AllowedType } | { ok: false; problem: Exclude<FileProblem, "storageFull"> }
> {
  if (file.size === 0) return { ok: false, problem: "empty" };
  if (file.size > MAX_FILE_BYTES) return { ok: false, problem: "tooLarge" };
  const bytes = new Uint8Array(await file.arrayBuffer());
  const mimeType = sniffType(bytes);
  if (!mimeType) return { ok: false, problem: "type" };
  return { ok: true, bytes, mimeType };
}

/** A display name without path parts or control characters. */
export function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? "file";
  const cleaned = base
    .normalize("NFC")
    .replace(/\p{Cc}|[\u202A-\u202E\u2066-\u2069]/gu, "")
    .trim()
    .slice(0, 120);
  return cleaned || "file";
}

function pathFor(sha256: string): string {
  return path.join(storageDir(), sha256.slice(0, 2), sha256);
}

export async function storeBytes(bytes: Uint8Array): Promise<string> {
  const sha256 = crypto.createHash("sha256").update(bytes).digest("hex");
  const target = pathFor(sha256);
  // Written aside, then renamed into place: a full disk or a crash mid-write never leaves a partial file
  // under the content's name (which a later upload of the same bytes would take as already stored).
  const partial = `${target}.${process.pid}.${crypto.randomUUID()}.partial`;
  try {
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.writeFile(partial, bytes, { flag: "wx" });
    await fs.rename(partial, target);
  } catch (error) {
    await fs.rm(partial, { force: true }).catch(() => {});
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOSPC" || code === "EDQUOT") throw new StorageFullError();
    throw error;
  }
  return sha256;
}

/** The uploads folder (STORAGE_DIR) is full: the caller reports it; nothing is half-written. */
export class StorageFullError extends Error {
  override name = "StorageFullError";
  constructor() {
    super("The file store is full (ENOSPC)");
  }
}

/** Reads a stored file and checks it still matches its checksum. */
export async function readStored(sha256: string): Promise<Buffer> {
  const bytes = await fs.readFile(pathFor(sha256));
  const actual = crypto.createHash("sha256").update(bytes).digest("hex");
  if (actual !== sha256) throw new Error(`stored file ${sha256} is corrupted`);
  return bytes;
}
