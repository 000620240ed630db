/** The shape of a procedure's form fields (data stored with the procedure); no validation code, so it is cheap for the browser. */
export type FormFieldSpec = {
  name: string;
  type: "text" | "textarea" | "date" | "number" | "select";
  required: boolean;
  labelVi: string;
  labelEn: string;
  options?: { value: string; labelVi: string; labelEn: string }[];
  maxLength?: number;
};

export function fieldLabel(spec: FormFieldSpec, lng: string): string {
  return lng === "en" ? spec.labelEn : spec.labelVi;
}
