/**
 * The result document as a PDF (ADR 014): pdf-lib with Noto Sans (OFL, from the npm package
 * @expo-google-fonts/noto-sans, embedded as a per-document subset so Vietnamese renders anywhere: app/server/pdf/fonts.server.ts), the portal's QR code
 * for verification, the clerk's attached decision PDF embedded as an associated file, then a PAdES B-B
 * signature by the agency certificate. The document is in Vietnamese, the language of the record.
 */
import { AFRelationship, PDFDocument, type PDFFont, type PDFPage, rgb } from "pdf-lib";
import QRCode from "qrcode";
import type { FilledRow } from "../../domain/results/result-template.ts";
import { describePdf, embedNotoSans, stringsOf } from "../pdf/fonts.server.ts";
import { addSignaturePlaceholder, signPdf } from "./pades.server.ts";
import type { SigningIdentity } from "./pki.server.ts";

export type ResultDocument = {
  agencyName: string;
  resultTitle: string;
  procedureName: string;
  dossierCode: string;
  verificationCode: string;
  verifyUrl: string;
  rows: FilledRow[];
  decisionRows: FilledRow[];
  issuedAt: Date;
  attachment?: { name: string; bytes: Uint8Array };
};

/** The document's fixed words, in Vietnamese (documents:pdf.*). */
export type PdfWords = {
  nation: string;
  motto: string;
  dossierCode: string;
  procedure: string;
  decision: string;
  verifyHint: string;
  verificationCode: string;
  signedBy: string;
  reason: string;
  location: string;
};

export function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.normalize("NFC").split(/\r?\n/)) {
    let line = "";
    for (const word of paragraph.split(/\s+/)) {
      const next = line ? `${line} ${word}` : word;
      if (font.widthOfTextAtSize(next, size) <= width || !line) line = next;
      else {
        lines.push(line);
        line = word;
      }
    }
    lines.push(line);
  }
  return lines;
}

/** Builds and signs the result PDF. */
export async function buildResultPdf(doc: ResultDocument, words: PdfWords, identity: SigningIdentity): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  const { font, fontBold } = await embedNotoSans(pdf, [...stringsOf(doc), ...stringsOf(words)]);
  describePdf(pdf, {
    title: `${doc.resultTitle} — ${doc.dossierCode}`,
    author: doc.agencyName,
    subject: doc.procedureName,
    language: "vi-VN",
    date: doc.issuedAt,
  });

  const page: PDFPage = pdf.addPage([595.28, 841.89]);
  const margin = 56;
  const width = page.getWidth() - 2 * margin;
  let y = page.getHeight() - margin;
  const black = rgb(0, 0, 0);
  const grey = rgb(0.35, 0.35, 0.35);
  const centred = (text: string, f: PDFFont, size: number) => {
    for (const line of wrap(text, f, size, width)) {
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
  const labelled = (label: string, value: string) => {
    const size = 11;
    const labelWidth = 170;
    const lines = wrap(value, font, size, width - labelWidth);
    page.drawText(`${label.normalize("NFC")}:`, { x: margin, y, size, font: fontBold, color: black });
    for (const line of lines) {
      page.drawText(line, { x: margin + labelWidth, y, size, font, color: black });
      y -= size * 1.5;
    }
  };

  centred(doc.agencyName.toUpperCase(), fontBold, 11);
  // Every string drawn goes through `wrap` (NFC) — labels included.
  y -= 4;
  centred(words.nation, fontBold, 11);
  centred(words.motto, fontBold, 11);
  y -= 24;
  centred(doc.resultTitle.toUpperCase(), fontBold, 16);
  y -= 16;
  for (const r of doc.rows) labelled(r.labelVi, r.value);
  y -= 10;
  labelled(words.procedure, doc.procedureName);
  labelled(words.dossierCode, doc.dossierCode);
  if (doc.decisionRows.length > 0) {
    y -= 14;
    page.drawText(words.decision.normalize("NFC"), { x: margin, y, size: 12, font: fontBold, color: black });
    y -= 18;
    for (const r of doc.decisionRows) labelled(r.labelVi, r.value);
  }

  // QR code and verification code at the foot of the page.
  const qr = await pdf.embedPng(await QRCode.toBuffer(doc.verifyUrl, { type: "png", margin: 1, width: 240 }));
  const qrSize = 96;
  page.drawImage(qr, { x: margin, y: margin, width: qrSize, height: qrSize });
  let footY = margin + qrSize - 12;
  for (const line of [
    `${words.verificationCode}: ${doc.verificationCode}`,
    words.verifyHint,
    doc.verifyUrl,
    `${words.signedBy}: ${identity.certificate.subject}`,
  ]) {
    for (const l of wrap(line, font, 9, width - qrSize - 16)) {
      page.drawText(l, { x: margin + qrSize + 16, y: footY, size: 9, font, color: grey });
      footY -= 13;
    }
  }

  if (doc.attachment) {
    await pdf.attach(doc.attachment.bytes, doc.attachment.name, {
      mimeType: "application/pdf",
      description: words.decision,
      creationDate: doc.issuedAt,
      modificationDate: doc.issuedAt,
      afRelationship: AFRelationship.Supplement,
    });
  }

  addSignaturePlaceholder(pdf, {
    name: identity.certificate.subject,
    reason: words.reason,
    location: words.location,
    signingTime: doc.issuedAt,
  });
  const unsigned = await pdf.save({ useObjectStreams: false });
  return signPdf(unsigned, identity, doc.issuedAt);
}
