/**
 * The citizen's declaration (tờ khai) as a PDF, ready to be signed (ADR 018): the applicant, the procedure, the
 * receiving agency, every answer of the form and the citizen's solemn statement, in Vietnamese (the language
 * of the record), with Noto Sans as the result PDFs. The signature placeholder is added here; the signature
 * itself comes from the remote signing service (`signPdfWith` and a CSC signer).
 */
import { PDFDocument, type PDFFont, type PDFPage, rgb } from "pdf-lib";
import { formatDateTime } from "../../utils/format.ts";
import { describePdf, embedNotoSans, stringsOf } from "../pdf/fonts.server.ts";
import { addSignaturePlaceholder } from "../results/pades.server.ts";
import { wrap } from "../results/result-pdf.server.ts";

export type Declaration = {
  agencyName: string;
  procedureName: string;
  dossierId: string;
  applicantName: string;
  applicantId: string;
  answers: { label: string; value: string }[];
  signingTime: Date;
};

export type DeclarationWords = {
  nation: string;
  motto: string;
  title: string;
  to: string;
  procedure: string;
  applicant: string;
  applicantId: string;
  answersTitle: string;
  statement: string;
  reference: string;
  signedOn: string;
  reason: string;
  location: string;
};

/** The unsigned declaration with a PAdES signature placeholder (pdf-lib, Noto Sans embedded). */
export async function buildDeclarationPdf(doc: Declaration, words: DeclarationWords): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  // 26/11/2026 14:44, in Vietnam time, as every date the portal writes (app/utils/format.ts).
  const signedOn = formatDateTime(doc.signingTime, "vi");
  const { font, fontBold } = await embedNotoSans(pdf, [...stringsOf(doc), ...stringsOf(words), signedOn]);
  describePdf(pdf, {
    title: `${words.title} — ${doc.procedureName}`,
    author: doc.applicantName,
    subject: doc.procedureName,
    language: "vi-VN",
    date: doc.signingTime,
  });

  let page: PDFPage = pdf.addPage([595.28, 841.89]);
  const margin = 56;
  const width = page.getWidth() - 2 * margin;
  let y = page.getHeight() - margin;
  const black = rgb(0, 0, 0);
  const room = (needed: number) => {
    if (y - needed < margin) {
      page = pdf.addPage([595.28, 841.89]);
      y = page.getHeight() - margin;
    }
  };
  const centred = (text: string, f: PDFFont, size: number) => {
    for (const line of wrap(text, f, size, width)) {
      room(size * 1.4);
      page.drawText(line, {
        x: margin + (width - f.widthOfTextAtSize(line, size)) / 2,
        y,
        size,
        font: f,
        color: black,
      });
      y -= size * 1.4;
    }
  };
  const paragraph = (text: string, size = 11) => {
    for (const line of wrap(text, font, size, width)) {
      room(size * 1.5);
      page.drawText(line, { x: margin, y, size, font, color: black });
      y -= size * 1.5;
    }
  };
  const labelled = (label: string, value: string) => {
    const size = 11;
    const labelWidth = 190;
    const labelLines = wrap(`${label}:`, fontBold, size, labelWidth - 10);
    const lines = wrap(value || "—", font, size, width - labelWidth);
    const height = Math.max(labelLines.length, lines.length) * size * 1.5;
    room(height);
    let ly = y;
    for (const l of labelLines) {
      page.drawText(l, { x: margin, y: ly, size, font: fontBold, color: black });
      ly -= size * 1.5;
    }
    let vy = y;
    for (const l of lines) {
      page.drawText(l, { x: margin + labelWidth, y: vy, size, font, color: black });
      vy -= size * 1.5;
    }
    y -= height;
  };

  centred(words.nation, fontBold, 11);
  centred(words.motto, fontBold, 11);
  y -= 20;
  centred(words.title.toUpperCase(), fontBold, 15);
  y -= 12;
  labelled(words.to, doc.agencyName);
  labelled(words.procedure, doc.procedureName);
  labelled(words.applicant, doc.applicantName);
  labelled(words.applicantId, doc.applicantId);
  y -= 10;
  room(30);
  page.drawText(words.answersTitle.normalize("NFC"), { x: margin, y, size: 12, font: fontBold, color: black });
  y -= 20;
  for (const a of doc.answers) labelled(a.label, a.value);
  y -= 12;
  paragraph(words.statement);
  y -= 8;
  labelled(words.reference, doc.dossierId);
  labelled(words.signedOn, signedOn);

  addSignaturePlaceholder(pdf, {
    name: doc.applicantName,
    reason: words.reason,
    location: words.location,
    signingTime: doc.signingTime,
  });
  return pdf.save({ useObjectStreams: false });
}
