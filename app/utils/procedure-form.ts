/**
 * A procedure's dossier form is data stored with the procedure (fields, types, required, options).
 * This turns that data into one zod schema used by the generic renderer and the server, with
 * messages that are i18n keys.
 */
import { z } from "zod";
import { isRealDate } from "../domain/calendar/iso-date.ts";
import { parseLocaleNumber } from "./format.ts";
import { type FormFieldSpec, isWholeNumberField } from "./procedure-form-spec.ts";

export { fieldLabel } from "./procedure-form-spec.ts";

export type { FormFieldSpec };

const DEFAULT_MAX = { text: 200, textarea: 2000 } as const;

/** Characters that have no place in a form answer (controls other than newline/tab, bidi overrides). */
const ODD_CHARS = /(?![\n\t\r])\p{Cc}|[\u202A-\u202E\u2066-\u2069]/u;

function fieldSchema(spec: FormFieldSpec): z.ZodType<string | undefined> {
  const max = spec.maxLength ?? (spec.type === "textarea" ? DEFAULT_MAX.textarea : DEFAULT_MAX.text);
  let s: z.ZodType<string, string> = z
    .string()
    .transform((v) => v.normalize("NFC").trim())
    .pipe(
      z
        .string()
        .max(max, "validation:dossierForm.tooLong")
        .refine((v) => !ODD_CHARS.test(v), "validation:dossierForm.oddCharacters"),
    );
  if (spec.type === "date") {
    s = s.refine((v) => v === "" || isRealDate(v), "validation:dossierForm.date");
  }
  if (spec.type === "number") {
    // People type 100.000.000 or 100 000 000 ₫ (as the portal itself writes money); the answer is kept as
    // a plain number ("100000000", "3.5"). Never negative; counts and money are whole numbers.
    const whole = isWholeNumberField(spec);
    s = s
      .refine((v) => v === "" || parseLocaleNumber(v) !== null, "validation:dossierForm.number")
      .refine((v) => v === "" || (parseLocaleNumber(v) ?? 0) >= 0, "validation:dossierForm.negative")
      .refine(
        (v) => v === "" || !whole || Number.isInteger(parseLocaleNumber(v) ?? 0),
        "validation:dossierForm.wholeNumber",
      )
      .refine((v) => v === "" || Math.abs(parseLocaleNumber(v) ?? 0) < 1e15, "validation:dossierForm.tooLong")
      .transform((v) => (v === "" ? v : String(parseLocaleNumber(v))));
  }
  if (spec.type === "select") {
    const allowed = new Set((spec.options ?? []).map((o) => o.value));
    s = s.refine((v) => v === "" || allowed.has(v), "validation:dossierForm.option");
  }
  const withRequired = spec.required ? s.refine((v) => v !== "", "validation:dossierForm.required") : s;
  return z
    .string()
    .optional()
    .transform((v) => v ?? "")
    .pipe(withRequired)
    .transform((v) => (v === "" ? undefined : v));
}

/** The complete-answers schema (for "continue" and submission). */
export function procedureFormSchema(fields: readonly FormFieldSpec[]) {
  return z.object(Object.fromEntries(fields.map((f) => [f.name, fieldSchema(f)])));
}

/** Drafts keep whatever was typed, but still refuse what could never be valid (too long, odd characters). */
export function procedureDraftSchema(fields: readonly FormFieldSpec[]) {
  return procedureFormSchema(
    fields.map((f) => ({ ...f, required: false, type: f.type === "select" ? "select" : "text" })),
  );
}
