/**
 * The blank declaration (tờ khai) of a procedure as a PDF, to print and fill by hand or bring to the
 * counter (issue 15): built from the same form spec the online form uses (fields, options, documents),
 * with pdf-lib and Noto Sans as the result documents (ADR 014). Not signed: it is an empty form.
 * In the reader's language; the national motto and the layout follow the usual Vietnamese declaration.
 */
import { PDFDocument, type PDFFont, type PDFPage, rgb } from "pdf-lib";
import type { FormFieldSpec } from "../../utils/procedure-form-spec.ts";
import { describePdf, embedNotoSans, stringsOf } from "../pdf/fonts.server.ts";
import { wrap } from "../results/result-pdf.server.ts";

export type BlankFormWords = {
  nation: string;
  motto: string;
  title: string;
  to: string;
  applicantTitle: string;
  applicantRows: string[];
  detailsTitle: string;
  chooseOne: string;
  documentsTitle: string;
  optional: string;
  deliveryTitle: string;
  deliveryOptions: string[];
  declaration: string;
  placeDate: string;
  signer: string;
  signHint: string;
  footer: string;
};

export type BlankForm = {
  procedureCode: string;
  procedureName: string;
  agencyName: string;
  fields: Array<Pick<FormFieldSpec, "type" | "required"> & { label: string; options: string[] }>;
  documents: Array<{ name: string; required: boolean }>;
  language: "vi" | "en";
};

const A4: [number, number] = [595.28, 841.89];

export async function buildBlankFormPdf(form: BlankForm, words: BlankFormWords): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const { font, fontBold } = await embedNotoSans(pdf, [...stringsOf(form), ...stringsOf(words)]);
  describePdf(pdf, {
    title: `${words.title} — ${form.procedureName}`,
    subject: form.procedureCode,
    language: form.language === "en" ? "en" : "vi-VN",
    // A fixed date: the same procedure gives the same bytes (cacheable, comparable).
    date: new Date("2026-01-01T00:00:00Z"),
  });

  const margin = 56;
  let page: PDFPage = pdf.addPage(A4);
  const width = A4[0] - 2 * margin;
  let y = A4[1] - margin;
  const black = rgb(0, 0, 0);
  const grey = rgb(0.4, 0.4, 0.4);
  const ensure = (space: number) => {
    if (y - space < margin + 20) {
      page = pdf.addPage(A4);
      y = A4[1] - margin;
    }
  };
  const text = (
    s: string,
    opts: { f?: PDFFont; size?: number; indent?: number; centred?: boolean; colour?: typeof black } = {},
  ) => {
    const f = opts.f ?? font;
    const size = opts.size ?? 11;
    const indent = opts.indent ?? 0;
    for (const line of wrap(s, f, size, width - indent)) {
      ensure(size * 1.5);
      const x = opts.centred ? margin + (width - f.widthOfTextAtSize(line, size)) / 2 : margin + indent;
      page.drawText(line, { x, y, size, font: f, color: opts.colour ?? black });
      y -= size * 1.5;
    }
  };
  /** A label followed by a dotted line to write on (the rest of the line, then `extra` whole lines). */
  const dotted = (label: string, extra = 0, indent = 0) => {
    const size = 11;
    const labelLines = wrap(`${label}:`, font, size, width - indent);
    labelLines.forEach((line, i) => {
      ensure(size * 1.8);
      page.drawText(line, { x: margin + indent, y, size, font, color: black });
      if (i === labelLines.length - 1) {
        const start = margin + indent + font.widthOfTextAtSize(line, size) + 6;
        if (start < margin + width - 40) dots(start, y);
        else {
          y -= size * 1.8;
          dots(margin + indent, y);
        }
      }
      y -= size * 1.8;
    });
    for (let i = 0; i < extra; i++) {
      ensure(size * 1.8);
      dots(margin + indent, y);
      y -= size * 1.8;
    }
  };
  const dots = (from: number, atY: number) => {
    page.drawLine({
      start: { x: from, y: atY - 2 },
      end: { x: margin + width, y: atY - 2 },
      thickness: 0.6,
      color: grey,
      dashArray: [1, 2.5],
    });
  };
  const box = (label: string, indent: number) => {
    const size = 11;
    for (const [i, line] of wrap(label, font, size, width - indent - 18).entries()) {
      ensure(size * 1.6);
      if (i === 0)
        page.drawRectangle({ x: margin + indent, y: y - 1, width: 9, height: 9, borderColor: black, borderWidth: 0.8 });
      page.drawText(line, { x: margin + indent + 16, y, size, font, color: black });
      y -= size * 1.6;
    }
  };

  text(words.nation, { f: fontBold, size: 11, centred: true });
  text(words.motto, { f: fontBold, size: 11, centred: true });
  y -= 18;
  text(words.title.toUpperCase(), { f: fontBold, size: 15, centred: true });
  text(form.procedureName, { f: fontBold, size: 12, centred: true });
  text(`(${form.procedureCode})`, { size: 10, centred: true, colour: grey });
  y -= 8;
  text(`${words.to} ${form.agencyName}`, { size: 11, centred: true });
  y -= 12;

  text(words.applicantTitle, { f: fontBold, size: 12 });
  for (const row of words.applicantRows) dotted(row);
  y -= 6;

  if (form.fields.length > 0) {
    text(words.detailsTitle, { f: fontBold, size: 12 });
    for (const f of form.fields) {
      const label = f.required ? `${f.label} (*)` : f.label;
      if (f.type === "select" && f.options.length > 0) {
        text(`${label} — ${words.chooseOne}:`);
        for (const o of f.options) box(o, 14);
      } else if (f.type === "date") {
        dotted(`${label} (dd/mm/yyyy)`);
      } else {
        dotted(label, f.type === "textarea" ? 2 : 0);
      }
    }
    y -= 6;
  }

  text(words.deliveryTitle, { f: fontBold, size: 12 });
  for (const o of words.deliveryOptions) box(o, 14);
  y -= 6;

  if (form.documents.length > 0) {
    text(words.documentsTitle, { f: fontBold, size: 12 });
    for (const d of form.documents) box(d.required ? d.name : `${d.name} (${words.optional})`, 14);
    y -= 6;
  }

  text(words.declaration, { size: 10.5 });
  y -= 10;
  ensure(90);
  const right = margin + width / 2;
  const sig = (s: string, f: PDFFont, size: number) => {
    const w = Math.min(f.widthOfTextAtSize(s.normalize("NFC"), size), width / 2);
    page.drawText(s.normalize("NFC"), { x: right + (width / 2 - w) / 2, y, size, font: f, color: black });
    y -= size * 1.6;
  };
  sig(words.placeDate, font, 10.5);
  sig(words.signer, fontBold, 11);
  sig(words.signHint, font, 10);

  for (const [i, p] of pdf.getPages().entries()) {
    p.drawText(`${words.footer} — ${i + 1}/${pdf.getPageCount()}`.normalize("NFC"), {
      x: margin,
      y: margin / 2,
      size: 8,
      font,
      color: grey,
    });
  }
  return pdf.save();
}
