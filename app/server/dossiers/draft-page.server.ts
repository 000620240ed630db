/** Data for the draft form pages (new and edit), shaped for the generic renderer. */
import type { Language } from "../../i18n.ts";
import type { ContactValues } from "../../utils/contact.ts";
import type { FormFieldSpec } from "../../utils/procedure-form.ts";
import { db } from "../db.server.ts";
import { attachmentsOf } from "./dossier-queries.server.ts";
import { completeness, type Document } from "./dossier-service.server.ts";

type ProcedureLike = { code: string; name_vi: string; name_en: string; form: unknown; documents: unknown };

export async function draftPageData(
  procedure: ProcedureLike,
  lng: Language,
  dossier?: { id: string; form_data: unknown; validate: boolean },
  /** The draft's contact details, or what is known of the citizen's for a new draft. */
  contact?: ContactValues,
) {
  const documents = (procedure.documents as Document[]).map((d) => ({
    name: lng === "en" ? d.nameEn : d.nameVi,
    required: d.required,
  }));
  const attachments = dossier ? await attachmentsOf(db, dossier.id) : [];
  let errors: Record<string, string> = {};
  if (dossier?.validate) {
    const check = await completeness(db, dossier.id, procedure, dossier.form_data, contact);
    errors = { ...check.fieldErrors };
    for (const i of check.missingDocuments) errors[`document-${i}`] = "validation:upload.required";
  }
  const values: Record<string, string> = {};
  for (const [k, v] of Object.entries((dossier?.form_data ?? {}) as Record<string, unknown>)) {
    if (typeof v === "string") values[k] = v;
  }
  return {
    procedure: { code: procedure.code, name: lng === "en" ? procedure.name_en : procedure.name_vi },
    fields: procedure.form as FormFieldSpec[],
    documents,
    attachments: attachments.map((a) => ({
      id: a.id,
      documentIndex: a.document_index,
      fileName: a.file_name,
      sizeBytes: a.size_bytes,
    })),
    values,
    contact: {
      phone: contact?.phone ?? "",
      address: contact?.address ?? "",
      delivery: contact?.delivery ?? "",
      postal: contact?.postal ?? "",
    },
    errors,
  };
}
