import { describe, expect, it } from "vitest";
import { type FormFieldSpec, procedureDraftSchema, procedureFormSchema } from "./procedure-form.ts";

const fields: FormFieldSpec[] = [
  { name: "childName", type: "text", required: true, labelVi: "Họ tên trẻ", labelEn: "Child's name", maxLength: 10 },
  { name: "birthDate", type: "date", required: true, labelVi: "Ngày sinh", labelEn: "Date of birth" },
  {
    name: "sex",
    type: "select",
    required: true,
    labelVi: "Giới tính",
    labelEn: "Sex",
    options: [
      { value: "male", labelVi: "Nam", labelEn: "Male" },
      { value: "female", labelVi: "Nữ", labelEn: "Female" },
    ],
  },
  { name: "weight", type: "number", required: false, labelVi: "Cân nặng", labelEn: "Weight" },
  { name: "note", type: "textarea", required: false, labelVi: "Ghi chú", labelEn: "Note" },
];

function errors(input: Record<string, string>) {
  const r = procedureFormSchema(fields).safeParse(input);
  return r.success ? {} : Object.fromEntries(r.error.issues.map((i) => [String(i.path[0]), i.message]));
}

describe("procedure form schema", () => {
  it("accepts complete, well-formed answers and drops empty optional ones", () => {
    const r = procedureFormSchema(fields).parse({
      childName: " An ",
      birthDate: "2024-02-29",
      sex: "male",
      weight: "",
      note: "",
    });
    expect(r).toEqual({ childName: "An", birthDate: "2024-02-29", sex: "male", weight: undefined, note: undefined });
  });
  it("names every missing required field", () => {
    expect(errors({})).toEqual({
      childName: "validation:dossierForm.required",
      birthDate: "validation:dossierForm.required",
      sex: "validation:dossierForm.required",
    });
  });
  it.each([
    [
      { childName: "Nguyễn Văn Quá Dài", birthDate: "2024-01-01", sex: "male" },
      "childName",
      "validation:dossierForm.tooLong",
    ],
    [{ childName: "An", birthDate: "2023-02-29", sex: "male" }, "birthDate", "validation:dossierForm.date"],
    [{ childName: "An", birthDate: "2024-01-01", sex: "other" }, "sex", "validation:dossierForm.option"],
    [
      { childName: "An", birthDate: "2024-01-01", sex: "male", weight: "3kg" },
      "weight",
      "validation:dossierForm.number",
    ],
    [
      { childName: "A\u202Eb", birthDate: "2024-01-01", sex: "male" },
      "childName",
      "validation:dossierForm.oddCharacters",
    ],
  ])("refuses %j", (input, field, key) => {
    expect(errors(input)[field]).toBe(key);
  });
  it("keeps script tags as plain text (escaped when shown)", () => {
    expect(
      procedureFormSchema(fields).parse({ childName: "<b>x</b>", birthDate: "2024-01-01", sex: "male" }).childName,
    ).toBe("<b>x</b>");
  });
  it("lets drafts be incomplete", () => {
    expect(procedureDraftSchema(fields).safeParse({ childName: "An" }).success).toBe(true);
    expect(procedureDraftSchema(fields).safeParse({ childName: "x".repeat(11) }).success).toBe(false);
  });
});
