import type { FormFieldSpec } from "../domain/catalogue/form-field-spec.ts";

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
