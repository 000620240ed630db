/** Reading import files from disk: streaming, encoding, CSV syntax and row numbers (no database). */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import v8 from "node:v8";
import vm from "node:vm";
import { afterAll, describe, expect, it } from "vitest";
import { IMPORT_COLUMNS, ImportFileError } from "../../domain/imports/dossier-import.ts";
import { MAX_RECORD_BYTES, readImportFile, scanImportFile } from "./csv-reader.server.ts";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "import-reader-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

let n = 0;
function file(content: string | Uint8Array): string {
  const p = path.join(dir, `f${n++}.csv`);
  fs.writeFileSync(p, content);
  return p;
}

const HEADER = IMPORT_COLUMNS.join(",");
const ROW = (code: string) =>
  `${code},1.1,000.00.31.H99,counter,,2025-03-10T10:00:00+07:00,2025-03-13T17:00:00+07:00,,,processing,0,none,,,false`;

async function fileErrorOf(p: string): Promise<ImportFileError> {
  try {
    await scanImportFile(p);
  } catch (error) {
    if (error instanceof ImportFileError) return error;
    throw error;
  }
  throw new Error("expected an ImportFileError");
}

describe("reading an import file", () => {
  it("yields data rows with spreadsheet row numbers, skipping empty lines, with a BOM and CRLF", async () => {
    const p = file(`\uFEFF${HEADER}\r\n${ROW("A-1")}\r\n\r\n${ROW("A-2")}\r\n`);
    const rows = [];
    for await (const r of readImportFile(p)) rows.push({ row: r.row, code: r.cells[0] });
    expect(rows).toEqual([
      { row: 2, code: "A-1" },
      { row: 4, code: "A-2" },
    ]);
    expect((await scanImportFile(p)).totalRows).toBe(2);
  });

  it("keeps quoted cells with commas and line breaks as one cell", async () => {
    const p = file(`${HEADER},note\n${ROW("A-1")},"a, b\nc"\n`);
    const rows = [];
    for await (const r of readImportFile(p)) rows.push(r.cells.at(-1));
    expect(rows).toEqual(["a, b\nc"]);
  });

  it("refuses a file that is not UTF-8, before reading any row", async () => {
    const latin1 = Buffer.concat([Buffer.from(`${HEADER}\n`), Buffer.from([0x48, 0xe0, 0x2c, 0x0a])]);
    expect((await fileErrorOf(file(latin1))).reason).toBe("encoding");
  });

  it("refuses an empty file and a file with missing columns", async () => {
    expect((await fileErrorOf(file(""))).reason).toBe("empty");
    expect((await fileErrorOf(file("\n\n"))).reason).toBe("empty");
    const e = await fileErrorOf(file("code,procedure_code\nA,1.1\n"));
    expect(e.reason).toBe("missingColumns");
    expect(String(e.data.columns)).toContain("agency_code");
  });

  it("refuses malformed CSV (an unclosed quote) with its line", async () => {
    const e = await fileErrorOf(file(`${HEADER}\n${ROW("A-1")}\n"A-2,1.1\n`));
    expect(e.reason).toBe("malformed");
    expect(e.data.line).toBeGreaterThanOrEqual(3);
  });

  it("refuses a record longer than the limit instead of reading it whole", async () => {
    const e = await fileErrorOf(file(`${HEADER}\n${"x".repeat(MAX_RECORD_BYTES + 10)}\n`));
    expect(e.reason).toBe("rowTooLong");
  });

  it("says a missing file is unreadable", async () => {
    expect((await fileErrorOf(path.join(dir, "nope.csv"))).reason).toBe("unreadable");
  });

  it("streams a large file with little memory", async () => {
    const p = path.join(dir, "big.csv");
    const out = fs.createWriteStream(p);
    out.write(`${HEADER}\n`);
    for (let i = 0; i < 200_000; i++) out.write(`${ROW(`B-${i}`)}\n`);
    await new Promise((resolve) => out.end(resolve));
    v8.setFlagsFromString("--expose-gc");
    const gc = vm.runInNewContext("gc") as () => void;
    gc();
    const before = process.memoryUsage().heapUsed;
    let rows = 0;
    let peak = 0;
    for await (const _ of readImportFile(p)) {
      if (++rows % 20_000 === 0) {
        gc();
        peak = Math.max(peak, process.memoryUsage().heapUsed - before);
      }
    }
    expect(rows).toBe(200_000);
    // The file is ~23 MB; what stays alive while reading it is a small fraction of that.
    expect(peak).toBeLessThan(fs.statSync(p).size / 10);
  });
});
