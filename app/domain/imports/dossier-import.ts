/**
 * Importing dossier records exported by another one-stop system (issue 6 point 4; ADR 006). Pure: the
 * file reading, the database look-ups (do the procedure and agency exist?) and the inserts live in
 * app/server/imports/. This module decides, for one CSV row, whether it is a dossier the portal can hold,
 * and if so what the portal stores for it, by the same domain rules as a native dossier (end time and
 * outcome from dossier-clock.ts).
 *
 * Every problem is a reason key (a translation key under `imports:reasons.`), never text.
 */
import { isRealDate } from "../calendar/iso-date.ts";
import type { Outcome } from "../calendar/working-calendar.ts";
import { CHANNELS, type Channel, DOSSIER_STATUSES, type DossierStatus } from "../dossier/dossier.ts";
import { outcomeAt } from "../dossier/dossier-clock.ts";

export const IMPORT_COLUMNS = [
  "code",
  "procedure_code",
  "agency_code",
  "channel",
  "submitted_at",
  "received_at",
  "due_at",
  "resolved_at",
  "returned_at",
  "status",
  "fee_vnd",
  "payment_method",
  "paid_at",
  "rating",
  "full_online",
] as const;
export type ImportColumn = (typeof IMPORT_COLUMNS)[number];

export const IMPORT_PAYMENT_METHODS = ["online", "transfer", "cash", "none"] as const;
export type ImportPaymentMethod = (typeof IMPORT_PAYMENT_METHODS)[number];

/** A draft never left the citizen's hands: another system never exports one. */
export const IMPORT_STATUSES = DOSSIER_STATUSES.filter((s) => s !== "draft") as Exclude<DossierStatus, "draft">[];
export type ImportStatus = Exclude<DossierStatus, "draft">;

/** Problems with one cell or row. Each is a key under `imports:reasons.` in locales. */
export const ROW_REASONS = [
  "required",
  "formula",
  "columnCount",
  "codeInvalid",
  "codeDuplicate",
  "procedureInvalid",
  "procedureUnknown",
  "agencyInvalid",
  "agencyUnknown",
  "channelUnknown",
  "statusUnknown",
  "statusNeedsOnline",
  "paymentMethodUnknown",
  "timestampInvalid",
  "timestampOffset",
  "timestampOrder",
  "timestampNotAllowed",
  "timestampRequired",
  "submittedRequiredOnline",
  "dueBeforeReceived",
  "feeInvalid",
  "feeNegative",
  "paidAtRequired",
  "paidAtNotAllowed",
  "paymentWithoutFee",
  "ratingInvalid",
  "ratingNotEnded",
  "fullOnlineInvalid",
  "fullOnlineNotOnline",
  "fullOnlineNotPaidOnline",
] as const;
export type RowReason = (typeof ROW_REASONS)[number];

/** Problems with the whole file: nothing is imported. Keys under `imports:fileErrors.`. */
export const FILE_REASONS = [
  "encoding",
  "empty",
  "missingColumns",
  "duplicateColumns",
  "malformed",
  "rowTooLong",
  "unreadable",
  "unexpected",
] as const;
export type FileReason = (typeof FILE_REASONS)[number];

export type RowProblem = {
  /** The row as a spreadsheet numbers it: the header is row 1. */
  row: number;
  /** The column concerned, or "" for the whole row. */
  column: ImportColumn | "";
  reason: RowReason;
  /** Variables of the translated message. */
  data?: Record<string, string | number>;
  /** The cell as given (the report escapes it; it is never interpreted). */
  value?: string;
};

export class ImportFileError extends Error {
  override name = "ImportFileError";
  constructor(
    readonly reason: FileReason,
    readonly data: Record<string, string | number> = {},
  ) {
    super(`import file problem: ${reason} ${JSON.stringify(data)}`);
  }
}

/** A valid row, typed. Empty optional cells are null. */
export type ImportRecord = {
  row: number;
  code: string;
  procedureCode: string;
  agencyCode: string;
  channel: Channel;
  status: ImportStatus;
  submittedAt: Date | null;
  receivedAt: Date | null;
  dueAt: Date | null;
  resolvedAt: Date | null;
  returnedAt: Date | null;
  feeVnd: number;
  paymentMethod: ImportPaymentMethod;
  paidAt: Date | null;
  rating: 1 | 2 | 3 | null;
  fullOnline: boolean;
};

export type RowResult = { ok: true; record: ImportRecord } | { ok: false; problems: RowProblem[] };

// ---------------------------------------------------------------------------------------------------
// Encoding

/**
 * Decodes the file as UTF-8 chunk by chunk and throws `ImportFileError("encoding")` at the first byte
 * sequence that is not UTF-8 (Windows-1258, TCVN3, Latin-1...). UTF-16 (BOM, or NUL bytes, which no
 * text cell can hold) is refused the same way. A UTF-8 BOM is accepted and dropped by the CSV parser.
 */
export class Utf8Checker {
  private readonly decoder = new TextDecoder("utf-8", { fatal: true });
  private offset = 0;

  write(chunk: Uint8Array): string {
    if (this.offset === 0 && chunk.length >= 2) {
      const [a, b] = chunk;
      if ((a === 0xff && b === 0xfe) || (a === 0xfe && b === 0xff)) throw new ImportFileError("encoding", { byte: 1 });
    }
    const nul = chunk.indexOf(0);
    if (nul >= 0) throw new ImportFileError("encoding", { byte: this.offset + nul + 1 });
    try {
      const text = this.decoder.decode(chunk, { stream: true });
      this.offset += chunk.length;
      return text;
    } catch {
      throw new ImportFileError("encoding", { byte: this.firstBadByte(chunk) });
    }
  }

  end(): string {
    try {
      return this.decoder.decode();
    } catch {
      throw new ImportFileError("encoding", { byte: this.offset });
    }
  }

  /** Roughly where the bad sequence starts (1-based byte offset in the file), for the message. */
  private firstBadByte(chunk: Uint8Array): number {
    const probe = new TextDecoder("utf-8", { fatal: true });
    for (let i = 1; i <= chunk.length; i++) {
      try {
        probe.decode(chunk.subarray(0, i), { stream: true });
      } catch {
        return this.offset + i;
      }
    }
    return this.offset + chunk.length;
  }
}

// ---------------------------------------------------------------------------------------------------
// Header

export type HeaderIndex = { positions: Record<ImportColumn, number>; width: number };

/** Column names are matched trimmed and case-insensitively; extra columns are ignored. */
export function checkHeader(cells: readonly string[]): HeaderIndex {
  const names = cells.map((c) =>
    c
      .replace(/^\uFEFF/, "")
      .trim()
      .toLowerCase(),
  );
  if (names.every((n) => n === "")) throw new ImportFileError("empty");
  const duplicates = [...new Set(names.filter((n, i) => n !== "" && names.indexOf(n) !== i))];
  const wanted = duplicates.filter((d) => (IMPORT_COLUMNS as readonly string[]).includes(d));
  if (wanted.length > 0) throw new ImportFileError("duplicateColumns", { columns: wanted.join(", ") });
  const missing = IMPORT_COLUMNS.filter((c) => !names.includes(c));
  if (missing.length > 0) throw new ImportFileError("missingColumns", { columns: missing.join(", ") });
  const positions = Object.fromEntries(IMPORT_COLUMNS.map((c) => [c, names.indexOf(c)])) as Record<
    ImportColumn,
    number
  >;
  return { positions, width: cells.length };
}

// ---------------------------------------------------------------------------------------------------
// Cells

/** What a spreadsheet would run as a formula (OWASP CSV injection). */
export function looksLikeFormula(value: string): boolean {
  return /^[=+\-@\t\r]/.test(value) || /^\s+[=+\-@]/.test(value);
}

const CODE_RE = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$/;
const PROCEDURE_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/;
const AGENCY_RE = /^[A-Za-z0-9][A-Za-z0-9.]{0,31}$/;
const ISO_RE =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))?$/;

type Parsed<T> = { ok: true; value: T } | { ok: false; reason: RowReason; data?: Record<string, string | number> };

/**
 * ISO 8601 date-time WITH an offset (`2025-03-10T10:00:00+07:00`, `...Z`). Without an offset the instant
 * is ambiguous (Vietnam time? UTC?), so it is refused rather than guessed.
 */
export function parseIsoWithOffset(value: string): Parsed<Date> {
  const m = ISO_RE.exec(value);
  if (!m) return { ok: false, reason: "timestampInvalid" };
  const [, y, mo, d, h, mi, s, frac, z, sign, oh, om] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s ?? 0);
  if (year < 1970 || year > 2100 || !isRealDate(`${y}-${mo}-${d}`) || hour > 23 || minute > 59 || second > 59) {
    return { ok: false, reason: "timestampInvalid" };
  }
  if (!z && !sign) return { ok: false, reason: "timestampOffset" };
  const offsetMinutes = z ? 0 : (sign === "-" ? -1 : 1) * (Number(oh) * 60 + Number(om));
  if (!z && (Number(oh) > 14 || Number(om) > 59)) return { ok: false, reason: "timestampInvalid" };
  const ms = Number(`0.${frac ?? "0"}`) * 1000;
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, Math.floor(ms)) - offsetMinutes * 60_000;
  return { ok: true, value: new Date(utc) };
}

function oneOf<T extends string>(list: readonly T[], value: string): value is T {
  return (list as readonly string[]).includes(value);
}

// ---------------------------------------------------------------------------------------------------
// Rows

/**
 * Which timestamps a status needs (`req`), may have (`opt`) or must not have (`no`). For `stopped` and
 * `withdrawn` the CSV has no column of its own: the time processing ended is given in `resolved_at`
 * (the national sync schema's "end of processing" date) and becomes the end time, not a resolution.
 */
type Need = "req" | "opt" | "no";
const STATUS_TIMES: Record<ImportStatus, { received: Need; due: Need; resolved: Need; returned: Need }> = {
  submitted: { received: "no", due: "no", resolved: "no", returned: "no" },
  not_received: { received: "no", due: "no", resolved: "no", returned: "no" },
  received: { received: "req", due: "req", resolved: "no", returned: "no" },
  processing: { received: "req", due: "req", resolved: "no", returned: "no" },
  supplement_requested: { received: "req", due: "req", resolved: "no", returned: "no" },
  payment_requested: { received: "req", due: "req", resolved: "no", returned: "no" },
  resolved: { received: "req", due: "req", resolved: "req", returned: "no" },
  returned: { received: "req", due: "req", resolved: "opt", returned: "req" },
  stopped: { received: "req", due: "req", resolved: "req", returned: "no" },
  withdrawn: { received: "req", due: "req", resolved: "req", returned: "no" },
};

/** Statuses only an online filing can be in: counter and postal dossiers start in `received`. */
const ONLINE_ONLY_STATUSES: readonly ImportStatus[] = ["submitted", "not_received"];

export type RawRow = { row: number; cells: readonly string[] };

type Report = (column: ImportColumn, reason: RowReason, data?: Record<string, string | number>) => void;

/** The cells of one row, each read on its own; undefined means invalid (already reported), null empty. */
type CellValues = {
  code?: string;
  procedureCode?: string;
  agencyCode?: string;
  channel?: Channel;
  status?: ImportStatus;
  paymentMethod?: ImportPaymentMethod;
  submittedAt?: Date | null;
  receivedAt?: Date | null;
  dueAt?: Date | null;
  resolvedAt?: Date | null;
  returnedAt?: Date | null;
  paidAt?: Date | null;
  feeVnd?: number;
  rating?: 1 | 2 | 3 | null;
  fullOnline?: boolean;
};

/** Reads typed cells from one row; a wrong cell is reported once, formulas before anything else. */
class RowCells {
  constructor(
    private readonly cells: readonly string[],
    private readonly header: HeaderIndex,
    private readonly report: Report,
  ) {}

  raw(c: ImportColumn): string {
    return this.cells[this.header.positions[c]] ?? "";
  }

  private cell(c: ImportColumn): string {
    return this.raw(c).trim();
  }

  /** Required text cell checked against a pattern. */
  text(c: ImportColumn, re: RegExp, invalid: RowReason): string | undefined {
    const v = this.cell(c);
    if (looksLikeFormula(this.raw(c))) return void this.report(c, "formula");
    if (v === "") return void this.report(c, "required");
    if (!re.test(v)) return void this.report(c, invalid);
    return v;
  }

  choice<T extends string>(c: ImportColumn, list: readonly T[], unknown: RowReason): T | undefined {
    const v = this.cell(c).toLowerCase();
    if (looksLikeFormula(this.raw(c))) return void this.report(c, "formula");
    if (v === "") return void this.report(c, "required");
    if (!oneOf(list, v)) return void this.report(c, unknown, { allowed: list.join(", ") });
    return v;
  }

  time(c: ImportColumn): Date | null | undefined {
    const v = this.cell(c);
    if (v === "") return null;
    if (looksLikeFormula(this.raw(c))) return void this.report(c, "formula");
    const parsed = parseIsoWithOffset(v);
    if (!parsed.ok) return void this.report(c, parsed.reason);
    return parsed.value;
  }

  fee(): number | undefined {
    const v = this.cell("fee_vnd");
    if (/^-\s*\d+([.,]\d+)?$/.test(v)) return void this.report("fee_vnd", "feeNegative");
    if (looksLikeFormula(this.raw("fee_vnd"))) return void this.report("fee_vnd", "formula");
    if (v === "") return void this.report("fee_vnd", "required");
    if (!/^\d{1,13}$/.test(v)) return void this.report("fee_vnd", "feeInvalid");
    return Number(v);
  }

  rating(): 1 | 2 | 3 | null | undefined {
    const v = this.cell("rating");
    if (looksLikeFormula(this.raw("rating"))) return void this.report("rating", "formula");
    if (v === "") return null;
    if (v === "1" || v === "2" || v === "3") return Number(v) as 1 | 2 | 3;
    return void this.report("rating", "ratingInvalid");
  }

  fullOnline(): boolean | undefined {
    const v = this.cell("full_online").toLowerCase();
    if (looksLikeFormula(this.raw("full_online"))) return void this.report("full_online", "formula");
    if (v === "") return void this.report("full_online", "required");
    if (v === "true") return true;
    if (v === "false") return false;
    return void this.report("full_online", "fullOnlineInvalid");
  }
}

function readCells(r: RowCells): CellValues {
  return {
    code: r.text("code", CODE_RE, "codeInvalid"),
    procedureCode: r.text("procedure_code", PROCEDURE_RE, "procedureInvalid"),
    agencyCode: r.text("agency_code", AGENCY_RE, "agencyInvalid"),
    channel: r.choice("channel", CHANNELS, "channelUnknown"),
    status: r.choice("status", IMPORT_STATUSES, "statusUnknown"),
    paymentMethod: r.choice("payment_method", IMPORT_PAYMENT_METHODS, "paymentMethodUnknown"),
    submittedAt: r.time("submitted_at"),
    receivedAt: r.time("received_at"),
    dueAt: r.time("due_at"),
    resolvedAt: r.time("resolved_at"),
    returnedAt: r.time("returned_at"),
    paidAt: r.time("paid_at"),
    feeVnd: r.fee(),
    rating: r.rating(),
    fullOnline: r.fullOnline(),
  };
}

/** The timestamps a status needs or forbids, and the statuses only an online filing can be in. */
function checkStatusTimes(v: CellValues, report: Report): void {
  const { status, channel } = v;
  if (status) {
    const need = STATUS_TIMES[status];
    const presence: Array<[ImportColumn, Need, Date | null | undefined]> = [
      ["received_at", need.received, v.receivedAt],
      ["due_at", need.due, v.dueAt],
      ["resolved_at", need.resolved, v.resolvedAt],
      ["returned_at", need.returned, v.returnedAt],
    ];
    for (const [column, n, value] of presence) {
      if (value === undefined) continue; // already reported as invalid
      if (n === "req" && value === null) report(column, "timestampRequired", { status });
      if (n === "no" && value !== null) report(column, "timestampNotAllowed", { status });
    }
    if (channel && channel !== "online" && ONLINE_ONLY_STATUSES.includes(status)) {
      report("status", "statusNeedsOnline", { status });
    }
  }
  if (channel === "online" && v.submittedAt === null) report("submitted_at", "submittedRequiredOnline");
}

/** Time order: submitted ≤ received ≤ resolved ≤ returned, and received ≤ due. */
function checkTimeOrder(v: CellValues, report: Report): void {
  const chain: Array<[ImportColumn, Date | null | undefined]> = [
    ["submitted_at", v.submittedAt],
    ["received_at", v.receivedAt],
    ["resolved_at", v.resolvedAt],
    ["returned_at", v.returnedAt],
  ];
  let previous: [ImportColumn, Date] | undefined;
  for (const [column, value] of chain) {
    if (!value) continue;
    if (previous && value < previous[1]) report(column, "timestampOrder", { before: previous[0] });
    previous = [column, value];
  }
  if (v.receivedAt && v.dueAt && v.dueAt < v.receivedAt) report("due_at", "dueBeforeReceived");
}

/** Payment, rating and full-process-online rules between cells. */
function checkPaymentAndRating(v: CellValues, report: Report): void {
  const { paymentMethod, paidAt, feeVnd, rating, status, fullOnline, channel } = v;
  if (paymentMethod && paidAt !== undefined) {
    if (paymentMethod !== "none" && paidAt === null) report("paid_at", "paidAtRequired");
    if (paymentMethod === "none" && paidAt !== null) report("paid_at", "paidAtNotAllowed");
  }
  if (paymentMethod && paymentMethod !== "none" && feeVnd === 0) report("payment_method", "paymentWithoutFee");
  // Only a finished dossier can have been rated.
  if (rating && status && !["resolved", "returned", "stopped", "withdrawn"].includes(status)) {
    report("rating", "ratingNotEnded", { status });
  }
  // Full-process online: filed online, and the fee (if any) paid online (Decree 42/2022).
  if (fullOnline === true && channel && channel !== "online") report("full_online", "fullOnlineNotOnline");
  if (fullOnline === true && feeVnd && feeVnd > 0 && paymentMethod && paymentMethod !== "online") {
    report("full_online", "fullOnlineNotPaidOnline");
  }
}

/** The record, when every cell was read (no cell is undefined). */
function toRecord(row: number, v: CellValues): ImportRecord | undefined {
  const { code, procedureCode, agencyCode, channel, status, paymentMethod } = v;
  const { submittedAt, receivedAt, dueAt, resolvedAt, returnedAt, paidAt, feeVnd, rating, fullOnline } = v;
  if (
    code === undefined ||
    procedureCode === undefined ||
    agencyCode === undefined ||
    channel === undefined ||
    status === undefined ||
    paymentMethod === undefined ||
    submittedAt === undefined ||
    receivedAt === undefined ||
    dueAt === undefined ||
    resolvedAt === undefined ||
    returnedAt === undefined ||
    paidAt === undefined ||
    feeVnd === undefined ||
    rating === undefined ||
    fullOnline === undefined
  ) {
    return undefined;
  }
  return {
    row,
    code,
    procedureCode,
    agencyCode,
    channel,
    status,
    submittedAt,
    receivedAt,
    dueAt,
    resolvedAt,
    returnedAt,
    feeVnd,
    paymentMethod,
    paidAt,
    rating,
    fullOnline,
  };
}

/**
 * Validates one data row against the header. Returns the typed record, or every problem found (a cell
 * that is itself wrong is not also reported by the checks that depend on it): first each cell on its own,
 * then the rules between cells.
 */
export function validateRow({ row, cells }: RawRow, header: HeaderIndex): RowResult {
  if (cells.length !== header.width) {
    return {
      ok: false,
      problems: [{ row, column: "", reason: "columnCount", data: { expected: header.width, actual: cells.length } }],
    };
  }
  const problems: RowProblem[] = [];
  const raw = (c: ImportColumn) => cells[header.positions[c]] ?? "";
  const report: Report = (column, reason, data) => {
    const value = raw(column);
    problems.push({ row, column, reason, ...(data ? { data } : {}), ...(value ? { value: value.slice(0, 200) } : {}) });
  };
  const values = readCells(new RowCells(cells, header, report));
  checkStatusTimes(values, report);
  checkTimeOrder(values, report);
  checkPaymentAndRating(values, report);
  const record = problems.length === 0 ? toRecord(row, values) : undefined;
  return record ? { ok: true, record } : { ok: false, problems };
}

/**
 * Codes seen so far in this file: the second (and later) row with a code already seen is refused,
 * naming the first. Every row with a well-formed code counts, valid or not, since either may be the
 * right one.
 */
export class SeenCodes {
  private readonly seen = new Map<string, number>();

  /** The row that first had this code, or undefined (and remembers this row). */
  firstRowOf(code: string, row: number): number | undefined {
    const first = this.seen.get(code);
    if (first !== undefined) return first;
    this.seen.set(code, row);
    return undefined;
  }
}

/** The code cell of a row if it is well-formed (for duplicate detection), else undefined. */
export function wellFormedCode(cells: readonly string[], header: HeaderIndex): string | undefined {
  const raw = cells[header.positions.code] ?? "";
  const v = raw.trim();
  return !looksLikeFormula(raw) && CODE_RE.test(v) ? v : undefined;
}

/** Validates the rows of one file in order: each row on its own, then codes against earlier rows. */
export class ImportValidator {
  private readonly seen = new SeenCodes();
  constructor(readonly header: HeaderIndex) {}

  check(raw: RawRow): RowResult {
    const result = validateRow(raw, this.header);
    const code = raw.cells.length === this.header.width ? wellFormedCode(raw.cells, this.header) : undefined;
    const firstRow = code === undefined ? undefined : this.seen.firstRowOf(code, raw.row);
    if (firstRow === undefined) return result;
    const duplicate: RowProblem = {
      row: raw.row,
      column: "code",
      reason: "codeDuplicate",
      data: { firstRow },
      value: code,
    };
    return { ok: false, problems: [duplicate, ...(result.ok ? [] : result.problems)] };
  }
}

// ---------------------------------------------------------------------------------------------------
// What the portal stores for a valid record

export type ImportedDossierFacts = {
  /** Native dossiers keep resolved_at for a resolution only: a stopped/withdrawn end is not one. */
  resolvedAt: Date | null;
  endedAt: Date | null;
  outcome: Outcome | null;
  ratedAt: Date | null;
  whollyOnline: boolean;
  /** A wholly online dossier returned its result electronically, by definition (Decree 42/2022). */
  eResult: boolean;
  payment: { method: "gateway" | "transfer" | "cash"; amountVnd: number; paidAt: Date } | null;
};

const PAYMENT_METHOD_MAP = { online: "gateway", transfer: "transfer", cash: "cash" } as const;

/**
 * The end time is the domain's (docs/domain.md#working-time): the first of resolved, else returned; for stopped or
 * withdrawn dossiers the time they ended, if they had been received. The outcome comes from `outcomeAt`
 * against the due date, as for a native dossier (imports carry no supplement history, so no pause).
 */
export function importedFacts(r: ImportRecord): ImportedDossierFacts {
  const stoppedEnd = r.status === "stopped" || r.status === "withdrawn";
  const endedAt = stoppedEnd ? (r.receivedAt ? r.resolvedAt : null) : (r.resolvedAt ?? r.returnedAt ?? null);
  const outcome = endedAt
    ? (outcomeAt(
        { receivedAt: r.receivedAt, dueAt: r.dueAt, pausedAt: null, pausedMinutes: 0, supplementsAfterReceipt: 0 },
        endedAt,
      ) ?? null)
    : null;
  const ratedAt = r.rating ? (r.returnedAt ?? r.resolvedAt ?? endedAt) : null;
  const payment =
    r.paymentMethod !== "none" && r.feeVnd > 0 && r.paidAt
      ? { method: PAYMENT_METHOD_MAP[r.paymentMethod], amountVnd: r.feeVnd, paidAt: r.paidAt }
      : null;
  return {
    resolvedAt: stoppedEnd ? null : r.resolvedAt,
    endedAt,
    outcome,
    ratedAt,
    whollyOnline: r.fullOnline,
    eResult: r.fullOnline,
    payment,
  };
}
