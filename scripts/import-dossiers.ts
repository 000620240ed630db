/**
 * `npm run import:dossiers -- FILE.csv [--lang vi|en]`: imports dossier records exported by another
 * one-stop system, with the same service as the web page (/admin/imports) but without its upload limit.
 * Prints progress and a summary; exits 1 with the error report's path when any row failed, or with the
 * reason when the file itself cannot be imported. Uses the owner role (DATABASE_OWNER_URL, else
 * DATABASE_URL), or the embedded database.
 */
import fs from "node:fs";
import path from "node:path";
import { ownerDb, startDatabase, stopDatabase } from "../app/server/db.server.ts";
import { importsTranslator } from "../app/server/imports/error-report.server.ts";
import { createImportRun, type ImportProgress, runImport } from "../app/server/imports/import-service.server.ts";
import { migrateToLatest } from "../app/server/migrate.server.ts";

const args = process.argv.slice(2);
const langIndex = args.indexOf("--lang");
const lang = langIndex >= 0 && args[langIndex + 1] === "en" ? "en" : "vi";
const files = args.filter((a, i) => !a.startsWith("--") && (langIndex < 0 || i !== langIndex + 1));
const t = await importsTranslator(lang);

const file = files[0];
if (!file || files.length > 1) {
  console.error(t("cli.usage"));
  process.exit(2);
}
let size: number;
try {
  const stat = fs.statSync(file);
  if (!stat.isFile()) throw new Error("not a file");
  size = stat.size;
} catch {
  console.error(t("cli.notFound", { file }));
  process.exit(2);
}

const number = new Intl.NumberFormat(lang === "en" ? "en-US" : "vi-VN");
const interactive = process.stdout.isTTY;
let lastPrinted = 0;
let lastProcessed = -1;
function printProgress(p: ImportProgress, final = false) {
  if (p.totalRows === null || (!interactive && p.processed === lastProcessed)) return;
  const percent = p.totalRows === 0 ? 100 : Math.floor((p.processed / p.totalRows) * 100);
  // Interactive: one line rewritten in place. Logs: a line at most every 5%.
  if (!interactive && !final && p.processed > 0 && percent < lastPrinted + 5) return;
  lastPrinted = percent;
  lastProcessed = p.processed;
  const line = t("cli.progress", {
    processed: number.format(p.processed),
    total: number.format(p.totalRows),
    percent,
    imported: number.format(p.imported),
    skipped: number.format(p.skipped),
    failed: number.format(p.failed),
  });
  if (interactive) process.stdout.write(`\r${line}${final ? "\n" : ""}`);
  else console.log(line);
}

await startDatabase();
const db = ownerDb();
let exitCode = 0;
try {
  await migrateToLatest(db);
  console.log(t("cli.checking", { file }));
  const runId = await createImportRun(db, {
    fileName: path.basename(file),
    sizeBytes: size,
    sourcePath: path.resolve(file),
    via: "cli",
    locale: lang,
    startedBy: null,
  });
  const started = Date.now();
  const summary = await runImport(db, runId, { onProgress: (p) => printProgress(p) });
  printProgress(summary, true);
  if (summary.fileError) {
    console.error(t(`fileErrors.${summary.fileError.key}`, summary.fileError.data));
    exitCode = 1;
  } else {
    console.log(
      t("cli.summary", {
        total: number.format(summary.totalRows ?? 0),
        imported: number.format(summary.imported),
        skipped: number.format(summary.skipped),
        failed: number.format(summary.failed),
        seconds: ((Date.now() - started) / 1000).toFixed(1),
      }),
    );
    if (summary.failed > 0) {
      console.error(t("cli.report", { path: summary.errorReportPath ?? "" }));
      exitCode = 1;
    }
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  exitCode = 1;
} finally {
  await stopDatabase();
}
process.exit(exitCode);
