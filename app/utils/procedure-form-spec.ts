/** The shape of a procedure's form fields (data stored with the procedure); no validation code, so it is cheap for the browser. */
export type FormFieldSpec = {
  name: string;
  type: "text" | "textarea" | "date" | "number" | "select";
  required: boolean;
  labelVi: string;
  labelEn: string;
  options?: { value: string; labelVi: string; labelEn: string }[];
  maxLength?: number;
  /**
   * For number fields: "count" (whole numbers: copies, pages, members), "money" (whole đồng) or "measure"
   * (areas, weights: decimals allowed). None of them is negative. Absent: a count when the name says so
   * (…Count, copies, floors, …Year), else a measure.
   */
  numberKind?: "count" | "money" | "measure";
};

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
