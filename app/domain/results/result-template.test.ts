import { describe, expect, it } from "vitest";
import { procedures } from "../../../db/seed/demo-procedures.ts";
import type { FormFieldSpec } from "../../utils/procedure-form-spec.ts";
import { type Decision, defaultTemplate, fillTemplate, templateOf } from "./result-template.ts";

const birth = procedures.find((p) => p.code === "1.001193");
const company = procedures.find((p) => p.code === "2.001583");
const marriage = procedures.find((p) => p.code === "2.000806");

const decision: Decision = {
  number: "125/2026",
  registerBook: "01/2026",
  registerPage: "37",
  signerName: "Trần Văn Nam",
  signerTitle: "Chủ tịch",
  decidedOn: "2026-11-25",
};
const applicant = { name: "Nguyễn Văn An", nationalId: "022090000001" };

describe("result templates (issue 14)", () => {
  it("a birth certificate names the child, the date of birth, the parents and the register entry", () => {
    if (!birth?.resultTemplate) throw new Error("birth registration has no template");
    const filled = fillTemplate(
      templateOf(birth.resultTemplate, birth.form),
      birth.form,
      {
        childFullName: "Nguyễn Thị Ánh Dương",
        childBirthDate: "2026-11-01",
        childSex: "female",
        placeOfBirth: "Bệnh viện Bãi Cháy",
        motherFullName: "Trần Thị Bình",
        fatherFullName: "Nguyễn Văn An",
      },
      applicant,
      decision,
    );
    const byLabel = Object.fromEntries(filled.rows.map((r) => [r.labelEn, r.value]));
    expect(byLabel).toMatchObject({
      "Full name": "Nguyễn Thị Ánh Dương",
      "Date of birth": "01/11/2026",
      Sex: "Nữ",
      "Mother's full name": "Trần Thị Bình",
      "Father's full name": "Nguyễn Văn An",
      "Person registering the birth": "Nguyễn Văn An",
    });
    expect(filled.missing).toEqual([]);
    expect(filled.decisionRows.map((r) => [r.labelEn, r.value])).toEqual([
      ["Number", "125/2026"],
      ["Register book", "01/2026"],
      ["Page", "37"],
      ["Date of decision", "25/11/2026"],
      ["Signed by", "Chủ tịch Trần Văn Nam"],
    ]);
  });

  it("a marriage certificate names both spouses; a company certificate its name and capital", () => {
    if (!marriage?.resultTemplate || !company?.resultTemplate) throw new Error("templates missing");
    const m = fillTemplate(
      marriage.resultTemplate,
      marriage.form,
      { vietnamesePartyName: "Lê Thị Hoa", foreignPartyName: "John Smith", foreignPartyNationality: "Úc" },
      applicant,
      null,
    );
    expect(m.rows.map((r) => r.value)).toEqual(["Lê Thị Hoa", "John Smith", "Úc"]);
    expect(m.decisionRows).toEqual([]);
    const c = fillTemplate(
      company.resultTemplate,
      company.form,
      { companyNameVi: "Công ty TNHH Hạ Long Xanh", charterCapital: "1500000000", headOffice: "Hạ Long" },
      applicant,
      { ...decision, registerBook: undefined, registerPage: undefined },
    );
    expect(c.rows.find((r) => r.labelEn === "Charter capital (VND)")?.value).toBe("1.500.000.000");
    expect(c.rows.find((r) => r.labelEn === "Company name")?.value).toBe("Công ty TNHH Hạ Long Xanh");
    // Not a register procedure: no book and page lines.
    expect(c.decisionRows.map((r) => r.labelEn)).toEqual(["Number", "Date of decision", "Signed by"]);
    // An unanswered field is shown as missing, never as a blank line.
    expect(c.missing).toEqual(["Ngành, nghề kinh doanh chính"]);
    expect(c.rows.find((r) => r.labelEn === "Main business line")?.value).toBe("—");
  });

  it("falls back to the applicant and every answer for a stored value that is not a template", () => {
    const form: FormFieldSpec[] = [{ name: "x", type: "text", required: true, labelVi: "X", labelEn: "X" }];
    expect(templateOf(null, form)).toEqual(defaultTemplate(form));
    expect(templateOf({ fields: [{ labelVi: 1 }] }, form)).toEqual(defaultTemplate(form));
    expect(defaultTemplate(form).fields.map((f) => f.source)).toEqual(["applicant:name", "answer:x"]);
  });

  it("every demo procedure's template names only fields of its own form", () => {
    for (const p of procedures) {
      const names = new Set(p.form.map((f) => f.name));
      for (const f of templateOf(p.resultTemplate ?? null, p.form).fields) {
        const [kind, name] = f.source.split(":");
        if (kind === "answer") expect(names.has(name ?? ""), `${p.code}: ${f.source}`).toBe(true);
        else expect(kind).toBe("applicant");
      }
    }
  });
});
