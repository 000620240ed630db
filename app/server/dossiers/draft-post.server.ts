/**
 * The one POST handler behind the new-dossier and edit-draft pages: save what was typed and attached,
 * then go to "check your answers" (intent=continue, when complete) or back to the draft with its problems.
 * Always a redirect after POST, so nothing is lost and a refresh does not resend.
 */
import { redirect } from "@remix-run/node";
import { isUuid } from "../../domain/ids/uuid.ts";
import { CONTACT_FIELDS, type ContactInput } from "../../utils/contact.ts";
import type { SessionUser } from "../auth.server.ts";
import { db } from "../db.server.ts";
import { readForm } from "../form.server.ts";
import {
  cachedProcedureSpec,
  completeness,
  createDraft,
  saveDraft,
  type UploadedDocument,
} from "./dossier-service.server.ts";

export async function handleDraftPost(
  request: Request,
  citizen: SessionUser,
  /** The draft to save (with its procedure), or the procedure of a new one. */
  target: { dossierId?: string; procedureCode: string },
): Promise<Response> {
  const formData = await readForm(request);
  const now = new Date();
  const dossierId = target.dossierId ?? (await createDraft(db, citizen, target.procedureCode, now)).id;
  const spec = await cachedProcedureSpec(db, target.procedureCode);
  const documentCount = spec.documents.length;

  const answers: Record<string, string> = {};
  const contact: Partial<ContactInput> = {};
  const contactKey = Object.fromEntries(Object.entries(CONTACT_FIELDS).map(([k, v]) => [v, k])) as Record<
    string,
    keyof ContactInput
  >;
  const uploads: UploadedDocument[] = [];
  for (const [key, value] of formData.entries()) {
    const doc = /^document-(\d{1,2})$/.exec(key);
    if (doc && typeof value !== "string") {
      if (value.size > 0 || value.name) uploads.push({ documentIndex: Number(doc[1]), file: value });
    } else if (typeof value === "string" && contactKey[key]) {
      contact[contactKey[key]] = value;
    } else if (typeof value === "string" && !["csrf", "intent", "removeAttachment"].includes(key)) {
      answers[key] = value;
    }
  }
  const removeAttachmentIds = formData.getAll("removeAttachment").filter((v): v is string => isUuid(v));

  const saved = await saveDraft(
    db,
    citizen.id,
    dossierId,
    { answers, uploads, removeAttachmentIds, documentCount, form: spec.form, contact },
    now,
  );
  const problems = new URLSearchParams();
  for (const [field, key] of Object.entries(saved.fieldErrors)) problems.append("e", `${field}:${key}`);
  for (const p of saved.uploadProblems)
    problems.append("e", `document-${p.documentIndex}:validation:upload.${p.problem}`);

  if (formData.get("intent") === "continue" && problems.size === 0) {
    const check = await completeness(db, dossierId, spec, saved.answers, saved.contact);
    if (Object.keys(check.fieldErrors).length === 0 && check.missingDocuments.length === 0) {
      return redirect(`/dossiers/${dossierId}/check`);
    }
    return redirect(`/dossiers/${dossierId}/edit?validate=1`);
  }
  // "Continue" with problems in what was typed: say those and everything else still missing, at once.
  if (problems.size > 0 && formData.get("intent") === "continue")
    return redirect(`/dossiers/${dossierId}/edit?validate=1&${problems.toString()}`);
  if (problems.size > 0) return redirect(`/dossiers/${dossierId}/edit?${problems.toString()}`);
  return redirect(`/dossiers/${dossierId}/edit?saved=1`);
}

/** Problems carried in the redirect (`e=field:key`), kept only when they look like our own keys. */
export function problemsFromUrl(url: URL): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const entry of url.searchParams.getAll("e").slice(0, 50)) {
    const m = /^([\w-]{1,40}):((?:validation|dossier):[\w.]{1,80})$/.exec(entry);
    if (m?.[1] && m[2]) errors[m[1]] = m[2];
  }
  return errors;
}
