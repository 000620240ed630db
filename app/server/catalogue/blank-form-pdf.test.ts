import { PDFDocument } from "pdf-lib";
import { describe, expect, it } from "vitest";
import { resources } from "#locales/index.ts";
import { type BlankForm, buildBlankFormPdf } from "./blank-form-pdf.server.ts";

const words = (lng: "vi" | "en") => {
  const w = resources[lng].catalogue.blankForm;
  return { ...w, applicantRows: Object.values(w.applicantRows), deliveryOptions: Object.values(w.deliveryOptions) };
};

const form = (fields: number): BlankForm => ({
  procedureCode: "1.001193",
  procedureName: "Thủ tục đăng ký khai sinh",
  agencyName: "UBND phường Hồng Gai",
  language: "vi",
  fields: Array.from({ length: fields }, (_, i) =>
    i % 3 === 0
      ? { type: "select" as const, required: true, label: `Giới tính ${i}`, options: ["Nam", "Nữ"] }
      : { type: i % 3 === 1 ? ("date" as const) : ("textarea" as const), required: i % 2 === 0, label: `Mục số ${i}` },
  ).map((f) => ({ options: [], ...f })),
  documents: [
    { name: "Giấy chứng sinh", required: true },
    { name: "Văn bản ủy quyền", required: false },
  ],
});

describe("blank declaration form PDF", () => {
  it("is a PDF titled with the procedure, in the reader's language", async () => {
    const bytes = await buildBlankFormPdf(form(2), words("vi"));
    const doc = await PDFDocument.load(bytes);
    expect(doc.getTitle()).toBe("Tờ khai — Thủ tục đăng ký khai sinh");
    expect(doc.getSubject()).toBe("1.001193");
    expect(doc.getPageCount()).toBe(1);
    const en = await PDFDocument.load(await buildBlankFormPdf({ ...form(2), language: "en" }, words("en")));
    expect(en.getTitle()).toBe("Declaration form — Thủ tục đăng ký khai sinh");
  });

  it("flows onto more pages when the form is long, and the same form gives the same bytes", async () => {
    const long = await buildBlankFormPdf(form(40), words("vi"));
    expect((await PDFDocument.load(long)).getPageCount()).toBeGreaterThan(1);
    expect(Buffer.from(await buildBlankFormPdf(form(40), words("vi"))).equals(Buffer.from(long))).toBe(true);
  });
});
