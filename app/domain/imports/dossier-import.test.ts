import { describe, expect, it } from "vitest";
import {
  checkHeader,
  IMPORT_COLUMNS,
  type ImportColumn,
  ImportFileError,
  type ImportRecord,
  ImportValidator,
  importedFacts,
  parseIsoWithOffset,
  type RowProblem,
  Utf8Checker,
  validateRow,
} from "./dossier-import.ts";

const header = checkHeader([...IMPORT_COLUMNS]);

/** A valid returned online dossier, wholly online, fee paid online, rated 3. */
const GOOD: Record<ImportColumn, string> = {
  code: "000.00.31.H99-250310-0001",
  procedure_code: "1.001193",
  agency_code: "000.00.31.H99",
  channel: "online",
  submitted_at: "2025-03-10T09:00:00+07:00",
  received_at: "2025-03-10T10:00:00+07:00",
  due_at: "2025-03-13T17:00:00+07:00",
  resolved_at: "2025-03-12T15:00:00+07:00",
  returned_at: "2025-03-12T16:00:00+07:00",
  status: "returned",
  fee_vnd: "50000",
  payment_method: "online",
  paid_at: "2025-03-10T09:05:00+07:00",
  rating: "3",
  full_online: "true",
};

function cells(over: Partial<Record<ImportColumn, string>> = {}): string[] {
  return IMPORT_COLUMNS.map((c) => over[c] ?? GOOD[c]);
}

function problemsOf(over: Partial<Record<ImportColumn, string>>): Array<Pick<RowProblem, "column" | "reason">> {
  const r = validateRow({ row: 2, cells: cells(over) }, header);
  if (r.ok) return [];
  return r.problems.map(({ column, reason }) => ({ column, reason }));
}

function fileError(fn: () => unknown): ImportFileError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ImportFileError) return error;
    throw error;
  }
  throw new Error("expected an ImportFileError");
}

describe("file encoding", () => {
  it("accepts UTF-8, also split in the middle of a character", () => {
    const bytes = new TextEncoder().encode("code,Hạ Long\n");
    const checker = new Utf8Checker();
    const text = checker.write(bytes.subarray(0, 7)) + checker.write(bytes.subarray(7)) + checker.end();
    expect(text).toBe("code,Hạ Long\n");
  });

  it("refuses Windows-1258 / Latin-1 bytes with a file-level 'encoding' problem and where it is", () => {
    const latin1 = Uint8Array.from([0x61, 0x2c, 0x48, 0xe0, 0x20, 0x4e, 0x0a]); // "a,Hà N" in Latin-1
    const error = fileError(() => new Utf8Checker().write(latin1));
    expect(error.reason).toBe("encoding");
    expect(error.data.byte).toBe(5);
  });

  it("refuses a file that ends in the middle of a UTF-8 sequence", () => {
    const checker = new Utf8Checker();
    checker.write(Uint8Array.from([0x61, 0xe1, 0xba]));
    expect(fileError(() => checker.end()).reason).toBe("encoding");
  });

  it("refuses UTF-16 with or without a byte-order mark", () => {
    expect(fileError(() => new Utf8Checker().write(Uint8Array.from([0xff, 0xfe, 0x63, 0x00]))).reason).toBe("encoding");
    expect(fileError(() => new Utf8Checker().write(Uint8Array.from([0x63, 0x00, 0x6f, 0x00]))).reason).toBe("encoding");
  });
});

describe("header", () => {
  it("finds the columns in any order and case, ignoring extra columns and a BOM", () => {
    const h = checkHeader(["\uFEFFExtra", ...[...IMPORT_COLUMNS].reverse().map((c) => ` ${c.toUpperCase()} `)]);
    expect(h.positions.code).toBe(15);
    expect(h.positions.full_online).toBe(1);
    expect(h.width).toBe(16);
  });

  it("names the missing columns", () => {
    const error = fileError(() => checkHeader(IMPORT_COLUMNS.filter((c) => c !== "due_at" && c !== "rating")));
    expect(error.reason).toBe("missingColumns");
    expect(error.data.columns).toBe("due_at, rating");
  });

  it("refuses a column given twice", () => {
    const error = fileError(() => checkHeader([...IMPORT_COLUMNS, "status"]));
    expect(error).toMatchObject({ reason: "duplicateColumns", data: { columns: "status" } });
  });

  it("refuses an empty first line", () => {
    expect(fileError(() => checkHeader([""])).reason).toBe("empty");
  });
});

describe("timestamps", () => {
  it("reads ISO 8601 with an offset as the instant it names", () => {
    expect(parseIsoWithOffset("2025-03-10T10:00:00+07:00")).toEqual({
      ok: true,
      value: new Date("2025-03-10T03:00:00Z"),
    });
    expect(parseIsoWithOffset("2025-03-10T03:00Z")).toEqual({ ok: true, value: new Date("2025-03-10T03:00:00Z") });
    expect(parseIsoWithOffset("2025-03-10 10:00:00.5+0700")).toEqual({
      ok: true,
      value: new Date("2025-03-10T03:00:00.500Z"),
    });
  });

  it.each([
    ["2025-03-10T10:00:00", "timestampOffset"],
    ["2025-03-10 10:00", "timestampOffset"],
    ["2025-03-10", "timestampInvalid"],
    ["10/03/2025 10:00", "timestampInvalid"],
    ["2025-02-29T10:00:00+07:00", "timestampInvalid"],
    ["2025-13-01T10:00:00+07:00", "timestampInvalid"],
    ["2025-03-10T24:00:00+07:00", "timestampInvalid"],
    ["2025-03-10T10:00:00+15:00", "timestampInvalid"],
    ["hôm qua", "timestampInvalid"],
  ])("refuses %s (%s)", (value, reason) => {
    expect(parseIsoWithOffset(value)).toMatchObject({ ok: false, reason });
    expect(problemsOf({ received_at: value })).toContainEqual({ column: "received_at", reason });
  });
});

describe("a valid row", () => {
  it("becomes a typed record", () => {
    const r = validateRow({ row: 7, cells: cells() }, header);
    expect(r).toEqual({
      ok: true,
      record: {
        row: 7,
        code: "000.00.31.H99-250310-0001",
        procedureCode: "1.001193",
        agencyCode: "000.00.31.H99",
        channel: "online",
        status: "returned",
        submittedAt: new Date("2025-03-10T02:00:00Z"),
        receivedAt: new Date("2025-03-10T03:00:00Z"),
        dueAt: new Date("2025-03-13T10:00:00Z"),
        resolvedAt: new Date("2025-03-12T08:00:00Z"),
        returnedAt: new Date("2025-03-12T09:00:00Z"),
        feeVnd: 50000,
        paymentMethod: "online",
        paidAt: new Date("2025-03-10T02:05:00Z"),
        rating: 3,
        fullOnline: true,
      } satisfies ImportRecord,
    });
  });

  it("tolerates spaces around cells and upper-case choices", () => {
    expect(problemsOf({ channel: " ONLINE ", status: "Returned", full_online: "TRUE", fee_vnd: " 50000 " })).toEqual(
      [],
    );
  });

  it("accepts a counter dossier still being processed, without fee, payment or rating", () => {
    expect(
      problemsOf({
        channel: "counter",
        submitted_at: "",
        status: "processing",
        resolved_at: "",
        returned_at: "",
        fee_vnd: "0",
        payment_method: "none",
        paid_at: "",
        rating: "",
        full_online: "false",
      }),
    ).toEqual([]);
  });
});

describe("bad cells", () => {
  it.each([
    [{ code: "" }, "code", "required"],
    [{ code: "HS 001" }, "code", "codeInvalid"],
    [{ procedure_code: "1.001 193" }, "procedure_code", "procedureInvalid"],
    [{ agency_code: "H99/1" }, "agency_code", "agencyInvalid"],
    [{ channel: "email" }, "channel", "channelUnknown"],
    [{ status: "done" }, "status", "statusUnknown"],
    [{ status: "draft" }, "status", "statusUnknown"],
    [{ payment_method: "momo" }, "payment_method", "paymentMethodUnknown"],
    [{ fee_vnd: "-5000" }, "fee_vnd", "feeNegative"],
    [{ fee_vnd: "50000.5" }, "fee_vnd", "feeInvalid"],
    [{ fee_vnd: "50.000" }, "fee_vnd", "feeInvalid"],
    [{ fee_vnd: "năm mươi nghìn" }, "fee_vnd", "feeInvalid"],
    [{ fee_vnd: "" }, "fee_vnd", "required"],
    [{ rating: "0" }, "rating", "ratingInvalid"],
    [{ rating: "4" }, "rating", "ratingInvalid"],
    [{ rating: "2.5" }, "rating", "ratingInvalid"],
    [{ full_online: "yes" }, "full_online", "fullOnlineInvalid"],
    [{ full_online: "" }, "full_online", "required"],
  ] as Array<[Partial<Record<ImportColumn, string>>, ImportColumn, string]>)("%o → %s %s", (over, column, reason) => {
    expect(problemsOf(over)).toContainEqual({ column, reason });
  });

  it("reports every problem of a row at once", () => {
    expect(problemsOf({ channel: "fax", fee_vnd: "-1", rating: "9" })).toEqual([
      { column: "channel", reason: "channelUnknown" },
      { column: "fee_vnd", reason: "feeNegative" },
      { column: "rating", reason: "ratingInvalid" },
    ]);
  });

  it("keeps the cell as given, for the report", () => {
    const r = validateRow({ row: 3, cells: cells({ channel: "fax" }) }, header);
    expect(r.ok ? [] : r.problems).toEqual([
      {
        row: 3,
        column: "channel",
        reason: "channelUnknown",
        data: { allowed: "counter, online, postal" },
        value: "fax",
      },
    ]);
  });

  it("refuses a row with more or fewer cells than the header", () => {
    const r = validateRow({ row: 4, cells: cells().slice(0, 14) }, header);
    expect(r).toEqual({
      ok: false,
      problems: [{ row: 4, column: "", reason: "columnCount", data: { expected: 15, actual: 14 } }],
    });
  });
});

describe("formula injection", () => {
  it.each([
    ["code", "=cmd|' /C calc'!A0"],
    ["code", "@SUM(A1:A2)"],
    ["code", "+1.001193"],
    ["procedure_code", "-1+1"],
    ["agency_code", '=HYPERLINK("http://x","y")'],
    ["channel", "=online"],
    ["status", "@returned"],
    ["received_at", "=NOW()"],
    ["fee_vnd", "=1+1"],
    ["rating", "+3"],
    ["full_online", "=TRUE()"],
    ["code", "  =1+1"],
    ["code", "\t=1"],
  ] as Array<[ImportColumn, string]>)("refuses %s = %j as a formula, keeping it as plain text", (column, value) => {
    const r = validateRow({ row: 2, cells: cells({ [column]: value }) }, header);
    expect(r.ok).toBe(false);
    const p = r.ok ? undefined : r.problems.find((x) => x.column === column);
    expect(p).toMatchObject({ column, reason: "formula", value });
  });
});

describe("time order and status", () => {
  it("refuses received before submitted, naming the earlier column", () => {
    const r = validateRow({ row: 2, cells: cells({ received_at: "2025-03-10T08:00:00+07:00" }) }, header);
    expect(r.ok ? [] : r.problems).toContainEqual(
      expect.objectContaining({ column: "received_at", reason: "timestampOrder", data: { before: "submitted_at" } }),
    );
  });

  it("compares instants, not the written clock time (offsets differ)", () => {
    // 09:30 in Vietnam is 02:30 UTC: after the 09:00+07:00 submission even though "02:30" < "09:00".
    expect(problemsOf({ received_at: "2025-03-10T02:30:00Z", paid_at: "2025-03-10T02:05:00Z" })).toEqual([]);
  });

  it.each([
    [{ resolved_at: "2025-03-10T09:30:00+07:00" }, "resolved_at"],
    [{ returned_at: "2025-03-12T14:00:00+07:00" }, "returned_at"],
    [{ resolved_at: "", returned_at: "2025-03-10T09:59:00+07:00" }, "returned_at"],
  ] as Array<[Partial<Record<ImportColumn, string>>, ImportColumn]>)("refuses %o out of order", (over, column) => {
    expect(problemsOf(over)).toContainEqual({ column, reason: "timestampOrder" });
  });

  it("refuses a due date before reception", () => {
    expect(problemsOf({ due_at: "2025-03-09T17:00:00+07:00" })).toEqual([
      { column: "due_at", reason: "dueBeforeReceived" },
    ]);
  });

  it("asks for the times a status implies", () => {
    expect(problemsOf({ status: "resolved", resolved_at: "", returned_at: "" })).toEqual([
      { column: "resolved_at", reason: "timestampRequired" },
    ]);
    expect(problemsOf({ status: "processing", received_at: "", resolved_at: "", returned_at: "", rating: "" })).toEqual(
      [{ column: "received_at", reason: "timestampRequired" }],
    );
    expect(problemsOf({ due_at: "" })).toEqual([{ column: "due_at", reason: "timestampRequired" }]);
    expect(problemsOf({ submitted_at: "" })).toEqual([{ column: "submitted_at", reason: "submittedRequiredOnline" }]);
  });

  it("refuses times a status cannot have", () => {
    expect(problemsOf({ status: "processing", rating: "" })).toEqual([
      { column: "resolved_at", reason: "timestampNotAllowed" },
      { column: "returned_at", reason: "timestampNotAllowed" },
    ]);
    expect(problemsOf({ status: "stopped", rating: "" })).toEqual([
      { column: "returned_at", reason: "timestampNotAllowed" },
    ]);
  });

  it("refuses a counter dossier waiting for reception (counter dossiers start received)", () => {
    expect(
      problemsOf({
        channel: "counter",
        status: "submitted",
        received_at: "",
        due_at: "",
        resolved_at: "",
        returned_at: "",
        rating: "",
        full_online: "false",
        payment_method: "cash",
      }),
    ).toEqual([{ column: "status", reason: "statusNeedsOnline" }]);
  });
});

describe("payment, rating and full-process online", () => {
  it("needs paid_at when a payment method is given, and refuses it without one", () => {
    expect(problemsOf({ paid_at: "" })).toEqual([{ column: "paid_at", reason: "paidAtRequired" }]);
    expect(problemsOf({ payment_method: "none", full_online: "false" })).toEqual([
      { column: "paid_at", reason: "paidAtNotAllowed" },
    ]);
  });

  it("refuses a payment for a dossier without fee", () => {
    expect(problemsOf({ fee_vnd: "0" })).toEqual([{ column: "payment_method", reason: "paymentWithoutFee" }]);
  });

  it("refuses a rating of a dossier that has not ended", () => {
    expect(problemsOf({ status: "processing", resolved_at: "", returned_at: "" })).toEqual([
      { column: "rating", reason: "ratingNotEnded" },
    ]);
  });

  it("refuses full_online for a counter dossier or a fee paid in cash", () => {
    expect(problemsOf({ channel: "counter" })).toContainEqual({ column: "full_online", reason: "fullOnlineNotOnline" });
    expect(problemsOf({ payment_method: "cash" })).toEqual([
      { column: "full_online", reason: "fullOnlineNotPaidOnline" },
    ]);
  });
});

describe("duplicate codes within the file", () => {
  it("refuses the second row with a code, naming the first, even when the first was invalid", () => {
    const v = new ImportValidator(header);
    expect(v.check({ row: 2, cells: cells({ rating: "7" }) }).ok).toBe(false);
    expect(v.check({ row: 3, cells: cells({ code: "OTHER-1" }) }).ok).toBe(true);
    const third = v.check({ row: 4, cells: cells() });
    expect(third).toEqual({
      ok: false,
      problems: [
        { row: 4, column: "code", reason: "codeDuplicate", data: { firstRow: 2 }, value: "000.00.31.H99-250310-0001" },
      ],
    });
    expect(v.check({ row: 5, cells: cells({ code: " OTHER-1 " }) })).toMatchObject({
      ok: false,
      problems: [{ reason: "codeDuplicate", data: { firstRow: 3 } }],
    });
  });
});

describe("what is stored for a valid row", () => {
  const record = (over: Partial<Record<ImportColumn, string>>): ImportRecord => {
    const r = validateRow({ row: 2, cells: cells(over) }, header);
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    return r.record;
  };

  it("ends at resolution; early when resolved on a day before the due day; rated at return; paid online", () => {
    expect(importedFacts(record({}))).toEqual({
      resolvedAt: new Date("2025-03-12T08:00:00Z"),
      endedAt: new Date("2025-03-12T08:00:00Z"),
      outcome: "early",
      ratedAt: new Date("2025-03-12T09:00:00Z"),
      whollyOnline: true,
      eResult: true,
      payment: { method: "gateway", amountVnd: 50000, paidAt: new Date("2025-03-10T02:05:00Z") },
    });
  });

  it("ends at return when no resolution time is given; on time on the due day; late after the due time", () => {
    const onTime = importedFacts(record({ resolved_at: "", returned_at: "2025-03-13T16:59:00+07:00" }));
    expect(onTime).toMatchObject({ endedAt: new Date("2025-03-13T09:59:00Z"), outcome: "on_time" });
    const late = importedFacts(record({ resolved_at: "", returned_at: "2025-03-13T17:01:00+07:00" }));
    expect(late.outcome).toBe("late");
  });

  it("ends a stopped dossier at the time given in resolved_at, which is not a resolution", () => {
    const f = importedFacts(record({ status: "stopped", returned_at: "", resolved_at: "2025-03-14T09:00:00+07:00" }));
    expect(f).toMatchObject({ resolvedAt: null, endedAt: new Date("2025-03-14T02:00:00Z"), outcome: "late" });
    expect(f.ratedAt).toEqual(f.endedAt);
  });

  it("has no end, outcome or rating while open; a cash or transfer payment keeps its method", () => {
    const f = importedFacts(
      record({
        channel: "counter",
        status: "payment_requested",
        resolved_at: "",
        returned_at: "",
        rating: "",
        payment_method: "transfer",
        full_online: "false",
      }),
    );
    expect(f).toMatchObject({ endedAt: null, outcome: null, ratedAt: null, whollyOnline: false, eResult: false });
    expect(f.payment?.method).toBe("transfer");
  });
});
