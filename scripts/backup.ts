/**
 * `npm run backup [-- --out DIR]`: a backup of the portal's database (pg_dump, custom format), uploads
 * (STORAGE_DIR) and keys (KEYS_DIR) into DIR/portal-backup-<UTC time>/ (default DIR: backups/), with a
 * manifest and checksums (scripts/ops/backup-lib.ts, docs/operations-runbook.md "Backup and restore").
 * The database is the owner role's: DATABASE_OWNER_URL, else DATABASE_URL, else the embedded one.
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { ownerConnectionString, startDatabase, stopDatabase } from "../app/server/db.server.ts";
import { backup } from "./ops/backup-lib.ts";

const { values } = parseArgs({ options: { out: { type: "string", default: "backups" } } });
let exitCode = 0;
try {
  await startDatabase();
  const started = performance.now();
  const { dir, manifest } = await backup({
    databaseUrl: ownerConnectionString(),
    storageDir: path.resolve(process.env.STORAGE_DIR ?? ".data/uploads"),
    keysDir: path.resolve(process.env.KEYS_DIR ?? ".data/keys"),
    outDir: values.out ?? "backups",
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const mb = (manifest.files.reduce((sum, f) => sum + f.bytes, 0) / 1024 / 1024).toFixed(1);
  const rows = Object.values(manifest.tables).reduce((a, b) => a + b, 0);
  console.log(
    `Backup written to ${dir} (${mb} MB, ${rows} rows in ${Object.keys(manifest.tables).length} tables, ${seconds} s).`,
  );
  console.log("It holds the signing keys: keep it as secret as KEYS_DIR.");
} catch (error) {
  console.error(`Backup failed: ${error instanceof Error ? error.message : String(error)}`);
  exitCode = 1;
} finally {
  await stopDatabase().catch(() => {});
}
process.exit(exitCode);
