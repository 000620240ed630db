/**
 * Importing a CSV on both databases: valid rows become dossiers (and payments) that count in the metrics
 * exactly like native ones (through the same rollup triggers and metric code), bad rows are reported,
 * and importing the same file again changes nothing.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertOneProcedure, TEST_AGENCY } from "../../../tests/fixtures.ts";
import { openTestDb, type TestTarget, testTargets } from "../../../tests/test-database.ts";
import { IMPORT_COLUMNS } from "../../domain/imports/dossier-import.ts";
import type { Database } from "../db.server.ts";
import { metricsFor } from "../stats/stats-service.server.ts";
import { createImportRun, type ImportProgress, runImport } from "./import-service.server.ts";

const NOW = new Date("2025-04-10T03:00:00Z");
const MARCH = { from: "2025-03-01", to: "2025-03-31" };
const ALL = { agencyCodes: null };
const A = TEST_AGENCY;

// code, procedure, agency, channel, submitted, received, due, resolved, returned, status, fee, method, paid, rating, full_online
const ROWS = [
  // 2: online, resolved early, returned, fee paid online, very satisfied, wholly online
  `A-1,1.1,${A},online,2025-03-03T08:30:00+07:00,2025-03-03T09:00:00+07:00,2025-03-10T17:00:00+07:00,2025-03-06T10:00:00+07:00,2025-03-06T11:00:00+07:00,returned,50000,online,2025-03-03T08:40:00+07:00,3,true`,
  // 3: online, resolved late, no fee, not satisfied
  `A-2,1.1,${A},online,2025-03-04T09:00:00+07:00,2025-03-04T10:00:00+07:00,2025-03-07T17:00:00+07:00,2025-03-10T09:00:00+07:00,,resolved,0,none,,1,false`,
  // 4: counter, resolved on the due day (on time), returned, paid in cash, satisfied
  `A-3,1.1,${A},counter,,2025-03-05T09:00:00+07:00,2025-03-12T17:00:00+07:00,2025-03-12T16:00:00+07:00,2025-03-12T16:30:00+07:00,returned,50000,cash,2025-03-05T09:10:00+07:00,2,false`,
  // 5: postal, still processing past its due date (overdue open), paid by transfer
  `A-4,1.1,${A},postal,,2025-03-06T09:00:00+07:00,2025-03-14T17:00:00+07:00,,,processing,30000,transfer,2025-03-06T09:30:00+07:00,,false`,
  // 6: counter, stopped before its due day (early), times in UTC
  `A-5,1.1,${A},counter,,2025-03-07T02:00:00Z,2025-03-21T10:00:00Z,2025-03-11T03:00:00Z,,stopped,0,none,,,false`,
  // 7..11: bad rows
  `A-6,9.999,${A},counter,,2025-03-07T09:00:00+07:00,2025-03-21T17:00:00+07:00,,,processing,0,none,,,false`,
  `A-7,1.1,000.00.99.H99,counter,,2025-03-07T09:00:00+07:00,2025-03-21T17:00:00+07:00,,,processing,0,none,,,false`,
  `=cmd|' /C calc'!A0,1.1,${A},counter,,2025-03-07T09:00:00+07:00,2025-03-21T17:00:00+07:00,,,processing,0,none,,,false`,
  `A-1,1.1,${A},counter,,2025-03-07T09:00:00+07:00,2025-03-21T17:00:00+07:00,,,processing,0,none,,,false`,
  `A-8,1.1,${A},counter,,2025-03-10 10:00,2025-03-21T17:00:00+07:00,,,processing,0,none,,,false`,
];
const CSV = `${IMPORT_COLUMNS.join(",")}\n${ROWS.join("\n")}\n`;

let dir: string;
const previousStorage = process.env.STORAGE_DIR;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "import-service-"));
  process.env.STORAGE_DIR = path.join(dir, "storage");
});
afterAll(() => {
  if (previousStorage === undefined) delete process.env.STORAGE_DIR;
  else process.env.STORAGE_DIR = previousStorage;
  fs.rmSync(dir, { recursive: true, force: true });
});

async function rollup(db: Kysely<Database>) {
  return db
    .selectFrom("stats_rollup")
    .selectAll()
    .orderBy("grain")
    .orderBy("period")
    .orderBy("agency_code")
    .orderBy("procedure_code")
    .execute();
}

function writeFile(name: string, content: string | Buffer): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, content);
  return p;
}

describe.each(testTargets())("dossier import on $label PostgreSQL", (target: TestTarget) => {
  it("imports valid rows that count in every metric like native dossiers, reports the rest, and is idempotent", async () => {
    const { db, close } = await openTestDb(target);
    try {
      await insertOneProcedure(db, { feeVnd: 50000 });
      const admin = await db
        .insertInto("users")
        .values({ username: "qt", full_name: "Quản trị", password_hash: "x", role: "admin" })
        .returning("id")
        .executeTakeFirstOrThrow();
      const file = writeFile("march.csv", CSV);
      const empty = await metricsFor(db, MARCH, ALL, NOW);

      const run = await createImportRun(db, {
        fileName: "march.csv",
        sizeBytes: fs.statSync(file).size,
        sourcePath: file,
        via: "cli",
        locale: "vi",
        startedBy: admin.id,
      });
      const progress: ImportProgress[] = [];
      const summary = await runImport(db, run, { batchSize: 3, onProgress: (p) => progress.push(p) });
      expect(summary).toMatchObject({
        status: "done",
        totalRows: 10,
        processed: 10,
        imported: 5,
        skipped: 0,
        failed: 5,
        fileError: null,
      });
      // Batches of 3 rows: progress after the count, then after rows 3, 6, 9 and 10.
      expect(progress.map((p) => p.processed)).toEqual([0, 3, 6, 9, 10]);

      const { counts, metrics } = await metricsFor(db, MARCH, ALL, NOW);
      expect(metrics).toMatchObject({
        received: 5,
        receivedOnline: 2,
        onlineRate: 0.4,
        resolved: 4,
        resolvedEarly: 2,
        resolvedOnTime: 1,
        resolvedLate: 1,
        onTimeRate: 0.75,
        overdueOpen: 1,
        feePayments: 3,
        cashlessPayments: 2,
        fullProcessRate: 0.2,
        eResultRate: 0.5,
      });
      expect(metrics.cashlessRate).toBeCloseTo(2 / 3, 3);
      expect(metrics.satisfiedRate).toBeCloseTo(2 / 3, 3);
      expect(counts).toMatchObject({
        fullProcedureDossiers: 5,
        handledWhollyOnline: 1,
        returned: 2,
        returnedElectronic: 1,
        feeBearingDossiers: 3,
        dossiersPaidOnline: 1,
        complaintsOrNotSatisfied: 1,
        ratings: { r1: 1, r2: 1, r3: 1 },
      });
      // Nothing leaks into other months.
      const february = await metricsFor(db, { from: "2025-02-01", to: "2025-02-28" }, ALL, NOW);
      expect(february.metrics).toEqual(empty.metrics);

      const dossiers = await db
        .selectFrom("dossiers")
        .select(["code", "source", "outcome", "ended_at", "resolved_at", "applicant_name", "rated_at"])
        .orderBy("code")
        .execute();
      expect(dossiers.map((d) => [d.code, d.source, d.outcome])).toEqual([
        ["A-1", "import", "early"],
        ["A-2", "import", "late"],
        ["A-3", "import", "on_time"],
        ["A-4", "import", null],
        ["A-5", "import", "early"],
      ]);
      const stopped = dossiers.find((d) => d.code === "A-5");
      expect(stopped).toMatchObject({ resolved_at: null, ended_at: new Date("2025-03-11T03:00:00Z") });
      expect(dossiers[0]?.rated_at).toEqual(new Date("2025-03-06T04:00:00Z"));
      const payments = await db
        .selectFrom("payments")
        .select(["order_ref", "method", "status", "amount_vnd"])
        .orderBy("order_ref")
        .execute();
      expect(payments).toEqual([
        { order_ref: "IMP-A-1", method: "gateway", status: "paid", amount_vnd: 50000 },
        { order_ref: "IMP-A-3", method: "cash", status: "paid", amount_vnd: 50000 },
        { order_ref: "IMP-A-4", method: "transfer", status: "paid", amount_vnd: 30000 },
      ]);

      // The error report: translated reasons, the formula kept as inert text.
      const report = fs.readFileSync(summary.errorReportPath ?? "", "utf8");
      const lines = report
        .replace(/^\uFEFF/, "")
        .trim()
        .split("\r\n");
      expect(lines[0]).toBe("Dòng,Cột,Lý do,Giá trị trong tệp");
      expect(lines.slice(1).map((l) => l.split(",").slice(0, 2).join(","))).toEqual([
        "7,procedure_code",
        "8,agency_code",
        "9,code",
        "10,code",
        "11,received_at",
      ]);
      expect(lines[3]).toContain(",'=cmd|' /C calc'!A0");
      expect(lines[4]).toContain("trùng với dòng 2");
      expect(lines[5]).toContain("Thiếu múi giờ");

      // The same file again: nothing changes.
      const rollupBefore = await rollup(db);
      const again = await createImportRun(db, {
        fileName: "march.csv",
        sizeBytes: fs.statSync(file).size,
        sourcePath: file,
        via: "cli",
        locale: "en",
        startedBy: null,
      });
      const second = await runImport(db, again, { batchSize: 4 });
      expect(second).toMatchObject({ status: "done", imported: 0, skipped: 5, failed: 5 });
      expect((await metricsFor(db, MARCH, ALL, NOW)).metrics).toEqual(metrics);
      expect(await rollup(db)).toEqual(rollupBefore);
      expect(await db.selectFrom("payments").select(db.fn.countAll<number>().as("n")).executeTakeFirst()).toEqual({
        n: 3,
      });
      // The second report is in the second run's language.
      expect(fs.readFileSync(second.errorReportPath ?? "", "utf8")).toContain("Row,Column,Reason");

      // One audit event per run.
      const audits = await db
        .selectFrom("audit_events")
        .select(["action", "entity_id", "actor_id"])
        .where("entity", "=", "dossier_import")
        .orderBy("id")
        .execute();
      expect(audits).toEqual([
        { action: "import_dossiers", entity_id: run, actor_id: admin.id },
        { action: "import_dossiers", entity_id: again, actor_id: null },
      ]);
    } finally {
      await close();
    }
  });

  it("fails a file that is not UTF-8 with a file-level message and imports nothing", async () => {
    const { db, close } = await openTestDb(target);
    try {
      const latin1 = Buffer.concat([
        Buffer.from(`${IMPORT_COLUMNS.join(",")}\n`),
        Buffer.from("A-1,1.1,H\xe0 N\xf4i\n", "latin1"),
      ]);
      const file = writeFile("latin1.csv", latin1);
      const run = await createImportRun(db, {
        fileName: "latin1.csv",
        sizeBytes: latin1.length,
        sourcePath: file,
        via: "cli",
        locale: "vi",
        startedBy: null,
      });
      const summary = await runImport(db, run);
      expect(summary).toMatchObject({
        status: "failed",
        totalRows: null,
        imported: 0,
        fileError: { key: "encoding" },
        errorReportPath: null,
      });
      expect(await db.selectFrom("dossiers").select("id").execute()).toEqual([]);
      // A finished run is not run again.
      expect(await runImport(db, run)).toMatchObject({ status: "failed", fileError: { key: "encoding" } });
    } finally {
      await close();
    }
  });
});
