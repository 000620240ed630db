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

describe("number fields", () => {
  const numberFields: FormFieldSpec[] = [
    { name: "charterCapital", type: "number", required: true, labelVi: "Vốn", labelEn: "Capital", numberKind: "money" },
    { name: "copies", type: "number", required: true, labelVi: "Số bản sao", labelEn: "Copies" },
    { name: "pageCount", type: "number", required: false, labelVi: "Số trang", labelEn: "Pages" },
    { name: "areaM2", type: "number", required: false, labelVi: "Diện tích", labelEn: "Area" },
  ];
  const check = (input: Record<string, string>) => procedureFormSchema(numberFields).safeParse(input);
  it("accepts money as the portal writes it and keeps a plain number", () => {
    const r = check({ charterCapital: "100.000.000", copies: "2", areaM2: "3,5" });
    expect(r.success && r.data).toEqual({
      charterCapital: "100000000",
      copies: "2",
      pageCount: undefined,
      areaM2: "3.5",
    });
    const spaced = check({ charterCapital: "100 000 000 ₫", copies: "1" });
    expect(spaced.success && spaced.data.charterCapital).toBe("100000000");
  });
  it("refuses negative counts and fractions of a count", () => {
    const r = check({ charterCapital: "1", copies: "-2", pageCount: "2.5", areaM2: "-1" });
    expect(r.success).toBe(false);
    const issues = r.success ? {} : Object.fromEntries(r.error.issues.map((i) => [String(i.path[0]), i.message]));
    expect(issues).toEqual({
      copies: "validation:dossierForm.negative",
      pageCount: "validation:dossierForm.wholeNumber",
      areaM2: "validation:dossierForm.negative",
    });
  });
  it("refuses text that is not a number", () => {
    const r = check({ charterCapital: "một trăm", copies: "1" });
    expect(r.success ? null : r.error.issues[0]?.message).toBe("validation:dossierForm.number");
  });
});
