/**
 * `npm run restore -- BACKUP_DIR [--target URL] [--force]`: restores a backup made by `npm run backup`
 * (scripts/ops/backup-lib.ts) into the database at URL (created when missing), default the owner role's
 * database (DATABASE_OWNER_URL, DATABASE_URL, or the embedded one), and its uploads and keys into STORAGE_DIR
 * and KEYS_DIR. Checksums are checked first; a database with tables, or a KEYS_DIR with keys, is refused
 * unless --force. Start the portal afterwards: start-up re-applies the app role's grants.
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { ownerConnectionString, startDatabase, stopDatabase } from "../app/server/db.server.ts";
import { restore } from "./ops/backup-lib.ts";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { target: { type: "string" }, force: { type: "boolean", default: false } },
});
const [dir] = positionals;
if (!dir || positionals.length > 1) {
  console.error("Usage: npm run restore -- BACKUP_DIR [--target postgresql://…/database] [--force]");
  process.exit(2);
}
let exitCode = 0;
try {
  if (!values.target) await startDatabase();
  const started = performance.now();
  const result = await restore({
    dir,
    targetUrl: values.target ?? ownerConnectionString(),
    storageDir: path.resolve(process.env.STORAGE_DIR ?? ".data/uploads"),
    keysDir: path.resolve(process.env.KEYS_DIR ?? ".data/keys"),
    force: values.force,
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const rows = Object.values(result.tables).reduce((a, b) => a + b, 0);
  console.log(
    `Restored ${rows} rows in ${Object.keys(result.tables).length} tables (counts match the backup of ${result.manifest.createdAt}), uploads and keys, in ${seconds} s.`,
  );
  console.log("Start the portal now: start-up applies any newer migrations and the app role's grants.");
} catch (error) {
  console.error(`Restore failed: ${error instanceof Error ? error.message : String(error)}`);
  exitCode = 1;
} finally {
  await stopDatabase().catch(() => {});
}
process.exit(exitCode);
