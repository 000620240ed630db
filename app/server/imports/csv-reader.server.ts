/**
 * Streams an import CSV from disk: bytes → UTF-8 check (domain `Utf8Checker`) → csv-parse → rows. Only
 * one chunk (256 KiB) and one record are in memory at a time, whatever the file's size. Problems with the
 * whole file become `ImportFileError`s (translation keys), never raw parser messages.
 */
import fs from "node:fs";
import { pipeline, Transform } from "node:stream";
import { CsvError, parse } from "csv-parse";
import {
  checkHeader,
  type HeaderIndex,
  ImportFileError,
  type RawRow,
  Utf8Checker,
} from "../../domain/imports/dossier-import.ts";

/** A longer record is refused (a file without line breaks must not be read whole into memory). */
export const MAX_RECORD_BYTES = 64 * 1024;

function utf8Transform(): Transform {
  const checker = new Utf8Checker();
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      try {
        const text = checker.write(chunk);
        callback(null, text.length > 0 ? text : undefined);
      } catch (error) {
        callback(error as Error);
      }
    },
    flush(callback) {
      try {
        const rest = checker.end();
        callback(null, rest.length > 0 ? rest : undefined);
      } catch (error) {
        callback(error as Error);
      }
    },
  });
}

function fileError(error: unknown): unknown {
  if (error instanceof ImportFileError) return error;
  if (error instanceof CsvError) {
    const line = Number((error as CsvError & { lines?: number }).lines ?? 0);
    return new ImportFileError(error.code === "CSV_MAX_RECORD_SIZE" ? "rowTooLong" : "malformed", { line });
  }
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === "ENOENT" || code === "EISDIR" || code === "EACCES") return new ImportFileError("unreadable");
  return error;
}

/** Every non-empty record of the file with its spreadsheet row number (the header is row 1). */
async function* records(filePath: string): AsyncGenerator<RawRow> {
  const parser = parse({
    bom: true,
    relax_column_count: true,
    skip_empty_lines: false,
    max_record_size: MAX_RECORD_BYTES,
  });
  pipeline(fs.createReadStream(filePath, { highWaterMark: 256 * 1024 }), utf8Transform(), parser, () => {
    // Errors reach the loop below through the parser, which pipeline destroys with them.
  });
  let row = 0;
  try {
    for await (const cells of parser as AsyncIterable<string[]>) {
      row++;
      if (cells.every((c) => c.trim() === "")) continue; // an empty line: nothing to import
      yield { row, cells };
    }
  } catch (error) {
    throw fileError(error);
  } finally {
    parser.destroy();
  }
}

/**
 * The header and the data rows, in order. Throws `ImportFileError` for an empty file, a bad header, a
 * file that is not UTF-8 or not well-formed CSV.
 */
export async function* readImportFile(
  filePath: string,
  onHeader?: (header: HeaderIndex) => void,
): AsyncGenerator<RawRow> {
  let header: HeaderIndex | undefined;
  for await (const record of records(filePath)) {
    if (!header) {
      header = checkHeader(record.cells);
      onHeader?.(header);
      continue;
    }
    yield record;
  }
  if (!header) throw new ImportFileError("empty");
}

/** First pass: checks the whole file (encoding, header, CSV syntax) and counts its data rows. */
export async function scanImportFile(filePath: string): Promise<{ header: HeaderIndex; totalRows: number }> {
  let header: HeaderIndex | undefined;
  let totalRows = 0;
  for await (const _ of readImportFile(filePath, (h) => {
    header = h;
  })) {
    totalRows++;
  }
  if (!header) throw new ImportFileError("empty");
  return { header, totalRows };
}
