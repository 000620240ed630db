/**
 * Importing dossiers from another one-stop system's CSV export (issue 6 point 4; ADR 006). The web page
 * and `npm run import:dossiers` both end up in `runImport`:
 *
 * 1. first pass over the file: encoding, header and CSV syntax, and the number of rows (for progress);
 *    a problem here fails the run with a file-level message and imports nothing;
 * 2. second pass: each row is validated by the pure domain rules (app/domain/imports), its procedure and
 *    agency looked up, and valid rows are inserted 1,000 at a time, one transaction per batch, together
 *    with the run's counters. `on conflict (code) do nothing` makes a re-import change nothing: rows
 *    whose code is already present are counted as skipped.
 *
 * The statistics rollup follows by itself: triggers on `dossiers` and `payments` roll every inserted row
 * up in the same transaction, so imported dossiers count in every metric exactly as native ones.
 */
import crypto from "node:crypto";
import path from "node:path";
import { type Kysely, sql, type Transaction } from "kysely";
import { isUuid } from "../../domain/ids/uuid.ts";
import {
  ImportFileError,
  type ImportRecord,
  ImportValidator,
  importedFacts,
  type RowProblem,
} from "../../domain/imports/dossier-import.ts";
import { recordAudit } from "../audit.server.ts";
import type { Database } from "../db.server.ts";
import { storageDir } from "../files/file-store.server.ts";
import { currentRequestId } from "../observability/request-context.server.ts";
import { readImportFile, scanImportFile } from "./csv-reader.server.ts";
import { ErrorReport, importsTranslator } from "./error-report.server.ts";

export const BATCH_SIZE = 1000;

/**
 * Applicant fields the CSV does not carry. A neutral dash for the name and payer (shown as such to
 * staff), and an empty national ID, which never matches the public look-up (it requires a valid CCCD).
 */
export const PLACEHOLDER_NAME = "—";
export const PLACEHOLDER_NATIONAL_ID = "";

/** The web upload limit (bytes); the command has none. `IMPORT_MAX_BYTES` overrides the 50 MiB default. */
export function importMaxBytes(): number {
  const v = Number(process.env.IMPORT_MAX_BYTES);
  return Number.isSafeInteger(v) && v > 0 ? v : 50 * 1024 * 1024;
}

export function importsDir(): string {
  return path.join(storageDir(), "imports");
}

export type ImportRunStatus = "queued" | "running" | "done" | "failed";

export type ImportProgress = {
  status: ImportRunStatus;
  totalRows: number | null;
  processed: number;
  imported: number;
  skipped: number;
  failed: number;
};

export type ImportSummary = ImportProgress & {
  id: string;
  errorReportPath: string | null;
  fileError: { key: string; data: Record<string, string | number> } | null;
};

/** Records a run. Web runs are queued for the job worker in the same transaction. */
export async function createImportRun(
  db: Kysely<Database>,
  input: {
    id?: string;
    fileName: string;
    sizeBytes: number;
    sourcePath: string;
    via: "web" | "cli";
    locale: string;
    startedBy: string | null;
  },
): Promise<string> {
  const id = input.id ?? crypto.randomUUID();
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto("dossier_imports")
      .values({
        id,
        file_name: input.fileName,
        size_bytes: input.sizeBytes,
        source_path: input.sourcePath,
        via: input.via,
        locale: input.locale === "en" ? "en" : "vi",
        status: "queued",
        started_by: input.startedBy,
      })
      .execute();
    if (input.via === "web") {
      // Not retried on failure: a file that failed once fails again; re-uploading is always safe.
      await sql`select graphile_worker.add_job('import_dossiers', json_strip_nulls(json_build_object('id', ${id}::text, 'requestId', ${currentRequestId() ?? null}::text)),
                  max_attempts := 1, job_key := ${`import:${id}`})`.execute(trx);
    }
  });
  return id;
}

type Lookups = { procedures: Set<string>; agencies: Set<string> };

async function loadLookups(db: Kysely<Database>): Promise<Lookups> {
  const [procedures, agencies] = await Promise.all([
    db.selectFrom("procedures").select("code").execute(),
    db.selectFrom("agencies").select("code").execute(),
  ]);
  return { procedures: new Set(procedures.map((p) => p.code)), agencies: new Set(agencies.map((a) => a.code)) };
}

/** Procedure and agency codes must exist here: checked against the database, not the file. */
function catalogueProblems(r: ImportRecord, lookups: Lookups): RowProblem[] {
  const problems: RowProblem[] = [];
  if (!lookups.procedures.has(r.procedureCode)) {
    problems.push({ row: r.row, column: "procedure_code", reason: "procedureUnknown", value: r.procedureCode });
  }
  if (!lookups.agencies.has(r.agencyCode)) {
    problems.push({ row: r.row, column: "agency_code", reason: "agencyUnknown", value: r.agencyCode });
  }
  return problems;
}

/** Inserts one batch; returns how many dossiers were new. Rows whose code exists are left alone. */
async function insertBatch(trx: Transaction<Database>, batch: readonly ImportRecord[], now: Date): Promise<number> {
  if (batch.length === 0) return 0;
  const facts = new Map(batch.map((r) => [r.code, importedFacts(r)]));
  const inserted = await trx
    .insertInto("dossiers")
    .values(
      batch.map((r) => {
        const f = facts.get(r.code) ?? importedFacts(r);
        return {
          code: r.code,
          procedure_code: r.procedureCode,
          agency_code: r.agencyCode,
          receiving_agency_code: r.agencyCode,
          applicant_national_id: PLACEHOLDER_NATIONAL_ID,
          applicant_name: PLACEHOLDER_NAME,
          channel: r.channel,
          status: r.status,
          fee_vnd: r.feeVnd,
          submitted_at: r.submittedAt,
          received_at: r.receivedAt,
          due_at: r.dueAt,
          original_due_at: r.dueAt,
          resolved_at: f.resolvedAt,
          returned_at: r.returnedAt,
          ended_at: f.endedAt,
          outcome: f.outcome,
          wholly_online: f.whollyOnline,
          e_result: f.eResult,
          // What the payments trigger would set once the payment below is inserted; set here so the
          // trigger finds nothing to change and the new rows are rolled up once, not inserted then updated.
          paid_online: f.payment?.method === "gateway",
          rating: r.rating,
          rated_at: f.ratedAt,
          source: "import",
          created_at: r.submittedAt ?? r.receivedAt ?? now,
          updated_at: now,
        };
      }),
    )
    .onConflict((oc) => oc.column("code").doNothing())
    .returning(["id", "code"])
    .execute();
  const payments = inserted.flatMap((d) => {
    const p = d.code ? facts.get(d.code)?.payment : undefined;
    return p && d.code
      ? [
          {
            dossier_id: d.id,
            order_ref: `IMP-${d.code}`,
            amount_vnd: p.amountVnd,
            method: p.method,
            status: "paid",
            provider: "import",
            paid_at: p.paidAt,
            payer_name: PLACEHOLDER_NAME,
            created_at: p.paidAt,
            updated_at: now,
          },
        ]
      : [];
  });
  if (payments.length > 0) {
    await trx
      .insertInto("payments")
      .values(payments)
      .onConflict((oc) => oc.column("order_ref").doNothing())
      .execute();
  }
  return inserted.length;
}

function toSummary(row: {
  id: string;
  status: string;
  total_rows: number | null;
  processed_rows: number;
  imported_rows: number;
  skipped_rows: number;
  failed_rows: number;
  error_report_path: string | null;
  error_key: string | null;
  error_data: unknown;
}): ImportSummary {
  return {
    id: row.id,
    status: row.status as ImportRunStatus,
    totalRows: row.total_rows,
    processed: row.processed_rows,
    imported: row.imported_rows,
    skipped: row.skipped_rows,
    failed: row.failed_rows,
    errorReportPath: row.error_report_path,
    fileError: row.error_key
      ? { key: row.error_key, data: (row.error_data ?? {}) as Record<string, string | number> }
      : null,
  };
}

/**
 * Runs an import recorded by `createImportRun`. Never throws for a bad file or bad rows: the run ends
 * `done` (with failed rows in the report) or `failed` (a file-level problem, or an unexpected error,
 * whose message is kept for the admin). Returns the final summary.
 */
export async function runImport(
  db: Kysely<Database>,
  runId: string,
  opts: { onProgress?: (p: ImportProgress) => void; batchSize?: number; now?: () => Date } = {},
): Promise<ImportSummary> {
  const now = opts.now ?? (() => new Date());
  const run = await claimRun(db, runId, now());
  if (!run) {
    const existing = await db.selectFrom("dossier_imports").selectAll().where("id", "=", runId).executeTakeFirst();
    if (!existing) throw new Error(`no import run ${runId}`);
    return toSummary(existing);
  }
  const t = await importsTranslator(run.locale);
  const report = new ErrorReport(path.join(importsDir(), `${runId}-errors.csv`), t);
  let failure: RunFailure | null = null;
  try {
    await importRows(db, run, report, { onProgress: opts.onProgress, batchSize: opts.batchSize ?? BATCH_SIZE, now });
  } catch (error) {
    failure = runFailure(runId, error);
  }
  const reportPath = await report.close().catch(() => null);
  return toSummary(await finishRun(db, runId, failure, reportPath, now()));
}

type RunFailure = { key: string; data: Record<string, string | number> };

/** Marks a queued (or interrupted) run as running from the start; undefined when it is not runnable. */
async function claimRun(db: Kysely<Database>, runId: string, at: Date) {
  return db
    .updateTable("dossier_imports")
    .set({
      status: "running",
      started_at: at,
      updated_at: at,
      total_rows: null,
      processed_rows: 0,
      imported_rows: 0,
      skipped_rows: 0,
      failed_rows: 0,
      error_key: null,
      error_data: "{}",
      error_report_path: null,
    })
    .where("id", "=", runId)
    .where("status", "in", ["queued", "running"])
    .returningAll()
    .executeTakeFirst();
}

type ImportRun = NonNullable<Awaited<ReturnType<typeof claimRun>>>;

/** A problem with the whole file is the file's reason; anything else is "unexpected", with its message. */
function runFailure(runId: string, error: unknown): RunFailure {
  if (error instanceof ImportFileError) return { key: error.reason, data: error.data };
  console.error(`Import ${runId} failed:`, error);
  const message = error instanceof Error ? error.message : String(error);
  return { key: "unexpected", data: { message: message.slice(0, 500) } };
}

/**
 * The rows read since the last write: good records to insert, and how many rows were read and failed.
 * Each flush writes them and the run's counters in one transaction.
 */
class PendingBatch {
  records: ImportRecord[] = [];
  read = 0;
  failed = 0;

  get size(): number {
    return this.read;
  }

  take(): { records: ImportRecord[]; read: number; failed: number } {
    const taken = { records: this.records, read: this.read, failed: this.failed };
    this.records = [];
    this.read = 0;
    this.failed = 0;
    return taken;
  }
}

/** Reads the file, checks each row, inserts the good ones in batches and reports the others. */
async function importRows(
  db: Kysely<Database>,
  run: ImportRun,
  report: ErrorReport,
  opts: { onProgress?: (p: ImportProgress) => void; batchSize: number; now: () => Date },
): Promise<void> {
  const progress: ImportProgress = {
    status: "running",
    totalRows: null,
    processed: 0,
    imported: 0,
    skipped: 0,
    failed: 0,
  };
  const { totalRows } = await scanImportFile(run.source_path);
  progress.totalRows = totalRows;
  await db
    .updateTable("dossier_imports")
    .set({ total_rows: totalRows, updated_at: opts.now() })
    .where("id", "=", run.id)
    .execute();
  opts.onProgress?.({ ...progress });

  const lookups = await loadLookups(db);
  const pending = new PendingBatch();
  let validator: ImportValidator | undefined;
  for await (const raw of readImportFile(run.source_path, (header) => {
    validator = new ImportValidator(header);
  })) {
    if (!validator) throw new Error("header not read");
    pending.read++;
    const result = validator.check(raw);
    const problems = result.ok ? catalogueProblems(result.record, lookups) : result.problems;
    if (result.ok && problems.length === 0) pending.records.push(result.record);
    else {
      pending.failed++;
      await report.add(problems);
    }
    if (pending.size >= opts.batchSize) await flushBatch(db, run.id, pending.take(), progress, opts);
  }
  await flushBatch(db, run.id, pending.take(), progress, opts);
}

/** Inserts one batch and adds it to the run's counters, in one transaction; then reports progress. */
async function flushBatch(
  db: Kysely<Database>,
  runId: string,
  batch: { records: ImportRecord[]; read: number; failed: number },
  progress: ImportProgress,
  opts: { onProgress?: (p: ImportProgress) => void; now: () => Date },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const imported = await insertBatch(trx, batch.records, opts.now());
    progress.processed += batch.read;
    progress.failed += batch.failed;
    progress.imported += imported;
    progress.skipped += batch.records.length - imported;
    await trx
      .updateTable("dossier_imports")
      .set({
        processed_rows: progress.processed,
        imported_rows: progress.imported,
        skipped_rows: progress.skipped,
        failed_rows: progress.failed,
        updated_at: opts.now(),
      })
      .where("id", "=", runId)
      .execute();
  });
  opts.onProgress?.({ ...progress });
}

/** Closes the run (done, or failed with its reason) and audits it, in one transaction. */
async function finishRun(
  db: Kysely<Database>,
  runId: string,
  failure: RunFailure | null,
  reportPath: string | null,
  at: Date,
): Promise<ImportRun> {
  const status: ImportRunStatus = failure ? "failed" : "done";
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable("dossier_imports")
      .set({
        status,
        finished_at: at,
        updated_at: at,
        error_report_path: reportPath,
        error_key: failure?.key ?? null,
        error_data: JSON.stringify(failure?.data ?? {}),
      })
      .where("id", "=", runId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      actorId: row.started_by,
      action: "import_dossiers",
      entity: "dossier_import",
      entityId: runId,
      data: {
        fileName: row.file_name,
        sizeBytes: row.size_bytes,
        via: row.via,
        status,
        totalRows: row.total_rows,
        imported: row.imported_rows,
        skipped: row.skipped_rows,
        failed: row.failed_rows,
        ...(row.error_key ? { error: row.error_key } : {}),
      },
    });
    return row;
  });
}

export type ImportRunView = ImportSummary & {
  fileName: string;
  sizeBytes: number;
  via: string;
  startedByName: string | null;
  createdAt: Date;
  finishedAt: Date | null;
};

export async function listImportRuns(db: Kysely<Database>, limit = 20): Promise<ImportRunView[]> {
  const rows = await db
    .selectFrom("dossier_imports as i")
    .leftJoin("users as u", "u.id", "i.started_by")
    .selectAll("i")
    .select(["u.full_name as started_by_name"])
    .orderBy("i.created_at", "desc")
    .orderBy("i.id")
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    ...toSummary(r),
    fileName: r.file_name,
    sizeBytes: r.size_bytes,
    via: r.via,
    startedByName: r.started_by_name,
    createdAt: r.created_at,
    finishedAt: r.finished_at,
  }));
}

export async function importRunById(db: Kysely<Database>, id: string) {
  if (!isUuid(id)) return undefined;
  return db.selectFrom("dossier_imports").selectAll().where("id", "=", id).executeTakeFirst();
}
