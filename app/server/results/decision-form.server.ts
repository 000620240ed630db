/**
 * The clerk's decision form at "Hoàn thành xử lý" (issue 14): validation, and the attached decision PDF.
 *
 * The attachment is uploaded with the preview, checked by content (a PDF, at most 5 MB) and stored by its
 * SHA-256. The confirm form carries it back as a hidden field with an HMAC over dossier, hash and name, so
 * a clerk cannot make a result embed some other stored file (another dossier's document) by its hash.
 */
import crypto from "node:crypto";
import { z } from "zod";
import { isReportingDate } from "../../domain/calendar/iso-date.ts";
import type { Decision } from "../../domain/results/result-template.ts";
import { csrfSecret } from "../env.server.ts";
import { checkUpload, cleanFileName, storeBytes } from "../files/file-store.server.ts";
import type { StoredDecision } from "./result-issue.server.ts";

const text = (max: number, required: string) => z.string().trim().min(1, required).max(max, "validation:field.invalid");

const DecisionSchema = z.object({
  decisionNumber: text(50, "documents:errors.number"),
  signerName: text(100, "documents:errors.signerName"),
  signerTitle: text(100, "documents:errors.signerTitle"),
  decidedOn: z.string().refine(isReportingDate, "documents:errors.decidedOn"),
  registerBook: z.string().trim().max(50, "validation:field.invalid").optional(),
  registerPage: z.string().trim().max(20, "validation:field.invalid").optional(),
});

export type DecisionParse = { ok: true; decision: Decision } | { ok: false; errors: Record<string, string> };

export function parseDecision(formData: FormData, register: boolean): DecisionParse {
  const raw: Record<string, string> = {};
  for (const key of ["decisionNumber", "signerName", "signerTitle", "decidedOn", "registerBook", "registerPage"]) {
    const v = formData.get(key);
    if (typeof v === "string") raw[key] = v;
  }
  const parsed = DecisionSchema.safeParse(raw);
  const errors: Record<string, string> = {};
  if (!parsed.success)
    for (const issue of parsed.error.issues)
      errors[String(issue.path[0])] ??= issue.message.includes(":") ? issue.message : "validation:field.invalid";
  if (register && !raw.registerBook?.trim()) errors.registerBook ??= "documents:errors.registerBook";
  if (register && !raw.registerPage?.trim()) errors.registerPage ??= "documents:errors.registerPage";
  if (!parsed.success || Object.keys(errors).length > 0) return { ok: false, errors };
  const d = parsed.data;
  return {
    ok: true,
    decision: {
      number: d.decisionNumber,
      signerName: d.signerName,
      signerTitle: d.signerTitle,
      decidedOn: d.decidedOn,
      ...(register && d.registerBook ? { registerBook: d.registerBook } : {}),
      ...(register && d.registerPage ? { registerPage: d.registerPage } : {}),
    },
  };
}

function mac(dossierId: string, sha256: string, name: string): string {
  return crypto
    .createHmac("sha256", csrfSecret())
    .update(`result-attachment\n${dossierId}\n${sha256}\n${name}`)
    .digest("base64url");
}

export type AttachmentRef = { sha256: string; name: string; token: string };

/**
 * The decision PDF uploaded with the preview: none, stored (with its token), or a problem
 * ("type": not a PDF, "tooLarge", "empty" is treated as none).
 */
export async function storeDecisionAttachment(
  dossierId: string,
  file: FormDataEntryValue | null,
): Promise<{ ok: true; ref: AttachmentRef | null } | { ok: false; problem: "type" | "tooLarge" }> {
  if (!(file instanceof File) || file.size === 0) return { ok: true, ref: null };
  const checked = await checkUpload(file);
  if (!checked.ok)
    return checked.problem === "empty" ? { ok: true, ref: null } : { ok: false, problem: checked.problem };
  if (checked.mimeType !== "application/pdf") return { ok: false, problem: "type" };
  const sha256 = await storeBytes(checked.bytes);
  const name = cleanFileName(file.name);
  return { ok: true, ref: { sha256, name, token: mac(dossierId, sha256, name) } };
}

/** The attachment carried by the confirm form, if its token is genuine for this dossier. */
export function attachmentFromForm(dossierId: string, formData: FormData): AttachmentRef | null | "forged" {
  const sha256 = formData.get("attachmentSha256");
  const name = formData.get("attachmentName");
  const token = formData.get("attachmentToken");
  if (!sha256 && !name && !token) return null;
  if (typeof sha256 !== "string" || typeof name !== "string" || typeof token !== "string") return "forged";
  if (!/^[0-9a-f]{64}$/.test(sha256)) return "forged";
  const expected = Buffer.from(mac(dossierId, sha256, name));
  const given = Buffer.from(token);
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return "forged";
  return { sha256, name, token };
}

export function storedDecision(decision: Decision, attachment: AttachmentRef | null): StoredDecision {
  return attachment ? { ...decision, attachmentName: attachment.name, attachmentSha256: attachment.sha256 } : decision;
}
