import type { FormFieldSpec } from "../domain/catalogue/form-field-spec.ts";
import { formatCount, formatDate } from "./format.ts";

export type { FormFieldSpec };

const COUNT_NAME = /(count|copies|floors|parcels|members|year|capacity)$/i;

/** Whether a number field takes whole numbers only. */
export function isWholeNumberField(spec: FormFieldSpec): boolean {
  const kind =
    spec.numberKind ?? (COUNT_NAME.test(spec.name) ? "count" : /capital/i.test(spec.name) ? "money" : "measure");
  return kind !== "measure";
}

export function fieldLabel(spec: FormFieldSpec, lng: string): string {
  return lng === "en" ? spec.labelEn : spec.labelVi;
}

/**
 * An answer as the applicant chose it, for people to read (the check page, the clerk's page, the signed
 * declaration): the option's label (not its code), a day as dd/mm/yyyy (26 Nov 2026 in English), a grouped
 * number. The result PDF renders its own, Vietnamese-only copy in the domain (result-template.ts).
 */
export function answerText(f: FormFieldSpec, value: string | undefined, lng: string): string {
  if (value === undefined || value === "") return "";
  if (f.type === "select") {
    const o = f.options?.find((x) => x.value === value);
    return o ? (lng === "en" ? o.labelEn : o.labelVi) : value;
  }
  if (f.type === "date") return formatDate(value, lng);
  if (f.type === "number" && Number.isFinite(Number(value))) return formatCount(Number(value), lng);
  return value;
}
