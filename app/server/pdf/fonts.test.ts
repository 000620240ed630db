/**
 * The portal's PDFs carry fonts whose glyphs have outlines for every character they draw. (pdf-lib's own
 * subsetting lost them: readers drew almost nothing, while text extraction still worked.) The embedded font
 * programs are read back out of the PDF and each character is looked up in them.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import fontkit from "@pdf-lib/fontkit";
import { decodePDFRawStream, PDFDict, PDFDocument, PDFName, PDFRawStream } from "pdf-lib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resources } from "#locales/index.ts";
import words from "../../../locales/vi/documents.json";
import { buildBlankFormPdf } from "../catalogue/blank-form-pdf.server.ts";
import { demoIdentity, type SigningIdentity } from "../results/pki.server.ts";
import { buildResultPdf } from "../results/result-pdf.server.ts";
import { embedNotoSans, repertoire } from "./fonts.server.ts";

async function embeddedFonts(bytes: Uint8Array) {
  const pdf = await PDFDocument.load(bytes, { updateMetadata: false });
  const fonts: ReturnType<typeof fontkit.create>[] = [];
  for (const [, object] of pdf.context.enumerateIndirectObjects()) {
    if (!(object instanceof PDFDict) || object.lookup(PDFName.of("Type")) !== PDFName.of("FontDescriptor")) continue;
    const file = object.lookup(PDFName.of("FontFile2"));
    if (!(file instanceof PDFRawStream)) continue;
    fonts.push(fontkit.create(Buffer.from(decodePDFRawStream(file).decode())));
  }
  return fonts;
}

/** The characters of `text` (not spaces) that a font has no drawable outline for. */
function missing(font: ReturnType<typeof fontkit.create>, text: string): string[] {
  return [...new Set(text.normalize("NFC").replace(/\s/g, ""))].filter(
    (ch) => font.glyphForCodePoint(ch.codePointAt(0) ?? 0).path.toSVG() === "",
  );
}

const blankWords = (lng: "vi" | "en") => {
  const w = resources[lng].catalogue.blankForm;
  return { ...w, applicantRows: Object.values(w.applicantRows), deliveryOptions: Object.values(w.deliveryOptions) };
};

const VIETNAMESE = "GIẤY KHAI SINH Nguyễn Thị Ánh Dương Hồng Gai Độc lập - Tự do - Hạnh phúc ỹ Ỵ đ Đ ₫";

let dir: string;
let identity: SigningIdentity;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "fonts-ca-"));
  identity = await demoIdentity(dir, "http://localhost:3000/pki/demo-ca.crl");
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("fonts embedded in the portal's PDFs", () => {
  it("holds an outline for every character given, in regular and bold, and stays small", async () => {
    const pdf = await PDFDocument.create();
    const { font, fontBold } = await embedNotoSans(pdf, [VIETNAMESE]);
    const page = pdf.addPage();
    page.drawText(VIETNAMESE, { x: 10, y: 700, size: 10, font });
    page.drawText(VIETNAMESE, { x: 10, y: 680, size: 10, font: fontBold });
    const bytes = await pdf.save();
    const fonts = await embeddedFonts(bytes);
    expect(fonts).toHaveLength(2);
    for (const f of fonts) expect(missing(f, VIETNAMESE)).toEqual([]);
    expect(bytes.length).toBeLessThan(60_000);
  });

  it("a signed result draws the child's name, the agency and the labels with real glyphs", async () => {
    const bytes = await buildResultPdf(
      {
        agencyName: "UBND phường Hồng Gai",
        resultTitle: "Giấy khai sinh",
        procedureName: "Thủ tục đăng ký khai sinh",
        dossierCode: "000.01.31.H99-261120-0001",
        verificationCode: "ABCDEFGH23",
        verifyUrl: "http://localhost:3000/verify?code=ABCDEFGH23",
        rows: [{ labelVi: "Họ, chữ đệm, tên của trẻ", labelEn: "Child's full name", value: "Nguyễn Thị Ánh Dương" }],
        decisionRows: [{ labelVi: "Số", labelEn: "Number", value: "123/2026" }],
        issuedAt: new Date("2026-11-20T03:00:00Z"),
      },
      words.pdf,
      identity,
    );
    const fonts = await embeddedFonts(bytes);
    expect(fonts.length).toBeGreaterThanOrEqual(1);
    const drawn =
      "Nguyễn Thị Ánh Dương UBND phường Hồng Gai UBND PHƯỜNG HỒNG GAI GIẤY KHAI SINH Họ, chữ đệm, tên của trẻ 123/2026";
    // Every character is drawable in at least the regular font (the body text).
    expect(fonts.some((f) => missing(f, drawn).length === 0)).toBe(true);
  });

  it("a blank form in Vietnamese and in English", async () => {
    for (const language of ["vi", "en"] as const) {
      const bytes = await buildBlankFormPdf(
        {
          procedureCode: "1.001193",
          procedureName: "Đăng ký khai sinh",
          agencyName: "UBND phường Hạ Long",
          fields: [{ type: "text", required: true, label: "Họ, chữ đệm, tên của trẻ", options: [] }],
          documents: [{ name: "Giấy chứng sinh", required: true }],
          language,
        },
        blankWords(language),
      );
      const fonts = await embeddedFonts(bytes);
      expect(fonts.some((f) => missing(f, "Đăng ký khai sinh UBND phường Hạ Long Giấy chứng sinh").length === 0)).toBe(
        true,
      );
    }
  });

  it("always includes ASCII and the page's marks, both cases, and each character once", () => {
    const text = repertoire(["ăâ", "ăâ"]);
    expect(text).toContain("Ă");
    expect(text).toContain("0");
    expect(text).toContain("₫");
    expect([...text].filter((c) => c === "ă")).toHaveLength(1);
  });
});
