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
