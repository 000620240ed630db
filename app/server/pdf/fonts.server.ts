/**
 * Noto Sans for the portal's PDFs (results, signed declarations, blank forms), cut down to the characters
 * each document draws (ADR 014, amended).
 *
 * Why not pdf-lib's own `subset: true`: @pdf-lib/fontkit's subsetting loses the outlines of most glyphs of
 * this Noto Sans. Readers (poppler, pdf.js) then draw almost nothing but a few accented letters, while text
 * extraction still works, so a text-based test does not notice (seen with pdftoppm, 26 Nov 2026). The
 * subset is made instead by HarfBuzz (the maintained `subset-font` package, HarfBuzz's own hb-subset in
 * WebAssembly) and embedded as it is (`subset: false`), which keeps a document small (about 15 KB of font)
 * and every glyph drawn.
 */
import fs from "node:fs";
import { createRequire } from "node:module";
import fontkit from "@pdf-lib/fontkit";
import type { PDFDocument, PDFFont } from "pdf-lib";
import subsetFont from "subset-font";

const require = createRequire(import.meta.url);
let fonts: { regular: Buffer; bold: Buffer } | undefined;
function fontFiles() {
  fonts ??= {
    regular: fs.readFileSync(require.resolve("@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf")),
    bold: fs.readFileSync(require.resolve("@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf")),
  };
  return fonts;
}

/**
 * OpenType shaping (fontkit's layout with GSUB/GPOS features) was 80% of a document's time. Vietnamese
 * needs none of it once the text is NFC-normalised: Noto Sans has a precomposed glyph for every
 * Vietnamese letter, so `wrap` normalises and the features are switched off.
 */
export const NO_SHAPING = {
  kern: false,
  liga: false,
  calt: false,
  clig: false,
  mark: false,
  mkmk: false,
  ccmp: false,
  locl: false,
  rlig: false,
};

/** Always in the subset: printable ASCII (digits, dates, codes, URLs) and the typographic marks the pages use. */
const ALWAYS = (() => {
  let s = "";
  for (let c = 0x20; c <= 0x7e; c++) s += String.fromCharCode(c);
  return `${s}\u00a0–—…‘’“”•·°₫§×`;
})();

/**
 * The distinct characters of the given texts, NFC-normalised (what `wrap` draws), in both cases: pages set
 * some strings in capitals (the agency's name, the result's title).
 */
export function repertoire(texts: Iterable<string>): string {
  const chars = new Set(ALWAYS);
  for (const text of texts)
    for (const ch of text.normalize("NFC")) {
      chars.add(ch);
      for (const other of [ch.toUpperCase(), ch.toLowerCase()]) if ([...other].length === 1) chars.add(other);
    }
  return [...chars].join("");
}

/**
 * Embeds Noto Sans regular and bold into `pdf`, holding every character of `texts` (anything the document
 * will draw: pass the strings it is built from). A character outside them would be drawn as an empty box.
 */
export async function embedNotoSans(
  pdf: PDFDocument,
  texts: Iterable<string>,
): Promise<{ font: PDFFont; fontBold: PDFFont }> {
  const text = repertoire(texts);
  const { regular, bold } = fontFiles();
  const [r, b] = await Promise.all([
    subsetFont(regular, text, { targetFormat: "truetype" }),
    subsetFont(bold, text, { targetFormat: "truetype" }),
  ]);
  pdf.registerFontkit(fontkit);
  const font = await pdf.embedFont(r, { subset: false, features: NO_SHAPING });
  const fontBold = await pdf.embedFont(b, { subset: false, features: NO_SHAPING });
  return { font, fontBold };
}

/** Every string inside a value (object, array, string, number, date), for `embedNotoSans`'s texts. */
export function stringsOf(value: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (typeof v === "string") out.push(v);
    else if (typeof v === "number" || typeof v === "bigint") out.push(String(v));
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object" && !(v instanceof Date) && !(v instanceof Uint8Array))
      Object.values(v).forEach(walk);
  };
  walk(value);
  return out;
}

/** The document information every portal PDF carries: title, author, subject, language, the portal as creator. */
export function describePdf(
  pdf: PDFDocument,
  info: { title: string; subject: string; author?: string; language: "vi-VN" | "en"; date: Date },
): void {
  pdf.setTitle(info.title.normalize("NFC"), { showInWindowTitleBar: true });
  if (info.author) pdf.setAuthor(info.author);
  pdf.setSubject(info.subject);
  pdf.setLanguage(info.language);
  pdf.setCreator("Cong Dich vu cong");
  pdf.setProducer("pdf-lib");
  pdf.setCreationDate(info.date);
  pdf.setModificationDate(info.date);
}
