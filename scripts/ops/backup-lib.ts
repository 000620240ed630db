/**
 * Backup and restore of a portal (docs/decisions/021-backup-and-restore.md, docs/operations-runbook.md):
 *
 * A backup is one folder, `portal-backup-<UTC time>/`:
 *   database.dump   pg_dump custom format of the whole database (our tables, graphile-worker's queue)
 *   uploads.tar.gz  STORAGE_DIR: uploaded documents and decision attachments (named by their SHA-256)
 *   keys.tar.gz     KEYS_DIR: the result-signing key and the demo CA — secret, so the folder is 0700
 *   manifest.json   when, from which server, migrations applied, row counts per table, files with SHA-256
 *   SHA256SUMS      the same checksums, for `sha256sum -c SHA256SUMS`
 *
 * Restore checks every checksum first, refuses a target database that already has tables (and a KEYS_DIR
 * that already holds keys) unless `force`, restores the dump in ONE transaction (all or nothing), compares
 * the row counts with the manifest, then unpacks the uploads and keys.
 *
 * pg_dump/pg_restore must be at least the server's major version: the tools of the PostgreSQL packages
 * (/usr/lib/postgresql/<major>/bin), PG_BIN_DIR, or those on PATH; the embedded PostgreSQL (npm) ships no
 * pg_dump, so a missing tool is named with the package to install.
 */
import { execFile } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";

const run = promisify(execFile);

export const BACKUP_FORMAT = "portal-backup/1";

export type ManifestFile = { name: string; bytes: number; sha256: string };
export type Manifest = {
  format: typeof BACKUP_FORMAT;
  createdAt: string;
  database: { name: string; serverVersion: string; dumpTool: string };
  migrations: string[];
  tables: Record<string, number>;
  files: ManifestFile[];
};

export class BackupError extends Error {
  override name = "BackupError";
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function toolMajor(file: string): Promise<number | undefined> {
  try {
    const { stdout } = await run(file, ["--version"]);
    const match = /\(PostgreSQL\)\s+(\d+)/.exec(stdout);
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** A pg_dump or pg_restore at least as new as the server (the same major preferred). */
export async function findPgTool(tool: "pg_dump" | "pg_restore", serverMajor: number): Promise<string> {
  const candidates: string[] = [];
  if (process.env.PG_BIN_DIR) candidates.push(path.join(process.env.PG_BIN_DIR, tool));
  const packaged = "/usr/lib/postgresql";
  if (fs.existsSync(packaged)) {
    const majors = fs
      .readdirSync(packaged)
      .map(Number)
      .filter((m) => Number.isInteger(m) && m >= serverMajor)
      .sort((a, b) => a - b);
    for (const m of majors) candidates.push(path.join(packaged, String(m), "bin", tool));
  }
  candidates.push(tool);
  const found: string[] = [];
  for (const file of candidates) {
    const major = await toolMajor(file);
    if (major === undefined) continue;
    if (major >= serverMajor) return file;
    found.push(`${file} is version ${major}`);
  }
  throw new BackupError(
    `${tool} for PostgreSQL ${serverMajor} or newer is needed (the database server runs ${serverMajor}${found.length ? `; ${found.join(", ")}` : `; no ${tool} was found`}): install postgresql-client-${serverMajor} (Debian/Ubuntu, from apt.postgresql.org if your release lacks it) or set PG_BIN_DIR to the folder holding ${tool}.`,
  );
}

export async function sha256File(file: string): Promise<string> {
  const hash = crypto.createHash("sha256");
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** Row counts of every table of the portal's schemas (public and graphile_worker). */
export async function tableCounts(client: pg.Client): Promise<Record<string, number>> {
  const tables = await client.query<{ name: string }>(
    `select format('%I.%I', schemaname, tablename) as name from pg_tables
      where schemaname in ('public', 'graphile_worker') order by 1`,
  );
  const counts: Record<string, number> = {};
  for (const { name } of tables.rows) {
    const r = await client.query<{ n: string }>(`select count(*) as n from ${name}`);
    counts[name] = Number(r.rows[0]?.n ?? 0);
  }
  return counts;
}

async function serverInfo(client: pg.Client): Promise<{ major: number; version: string; database: string }> {
  const r = await client.query<{ num: string; version: string; db: string }>(
    "select current_setting('server_version_num') as num, current_setting('server_version') as version, current_database() as db",
  );
  const row = r.rows[0];
  if (!row) throw new BackupError("The database did not say its version.");
  return { major: Math.floor(Number(row.num) / 10000), version: row.version, database: row.db };
}

async function tarFolder(folder: string, archive: string): Promise<void> {
  // A missing folder is backed up as an empty archive (nothing uploaded yet).
  const source = fs.existsSync(folder) ? folder : fs.mkdtempSync(`${archive}.empty-`);
  try {
    await run("tar", ["-czf", archive, "-C", source, "."]);
  } finally {
    if (source !== folder) fs.rmSync(source, { recursive: true, force: true });
  }
}

export type BackupOptions = { databaseUrl: string; storageDir: string; keysDir: string; outDir: string; now?: Date };

export async function backup(opts: BackupOptions): Promise<{ dir: string; manifest: Manifest }> {
  const now = opts.now ?? new Date();
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
  const dir = path.resolve(opts.outDir, `portal-backup-${stamp}`);
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  fs.mkdirSync(dir, { mode: 0o700 });

  // The counts and the dump read the same snapshot (pg_dump --snapshot), so a running portal changing rows
  // meanwhile cannot make the restore's count check fail.
  const { info, migrations, tables, pgDump } = await withClient(opts.databaseUrl, async (client) => {
    const info = await serverInfo(client);
    const pgDump = await findPgTool("pg_dump", info.major);
    await client.query("begin transaction isolation level repeatable read read only");
    try {
      const snapshot = (await client.query<{ id: string }>("select pg_export_snapshot() as id")).rows[0]?.id ?? "";
      const applied = await client
        .query<{ name: string }>("select name from kysely_migration order by name")
        .then((r) => r.rows.map((row) => row.name));
      const tables = await tableCounts(client);
      try {
        await run(
          pgDump,
          [
            "--format=custom",
            "--compress=6",
            `--snapshot=${snapshot}`,
            `--file=${path.join(dir, "database.dump")}`,
            `--dbname=${opts.databaseUrl}`,
          ],
          { maxBuffer: 16 * 1024 * 1024 },
        );
      } catch (error) {
        throw new BackupError(`pg_dump failed: ${(error as { stderr?: string }).stderr?.trim() || String(error)}`);
      }
      return { info, migrations: applied, tables, pgDump };
    } finally {
      await client.query("rollback");
    }
  });
  await tarFolder(opts.storageDir, path.join(dir, "uploads.tar.gz"));
  await tarFolder(opts.keysDir, path.join(dir, "keys.tar.gz"));

  const files: ManifestFile[] = [];
  for (const name of ["database.dump", "uploads.tar.gz", "keys.tar.gz"]) {
    const file = path.join(dir, name);
    fs.chmodSync(file, 0o600);
    files.push({ name, bytes: fs.statSync(file).size, sha256: await sha256File(file) });
  }
  const manifest: Manifest = {
    format: BACKUP_FORMAT,
    createdAt: now.toISOString(),
    database: { name: info.database, serverVersion: info.version, dumpTool: pgDump },
    migrations,
    tables,
    files,
  };
  fs.writeFileSync(path.join(dir, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
  fs.writeFileSync(path.join(dir, "SHA256SUMS"), files.map((f) => `${f.sha256}  ${f.name}\n`).join(""), {
    mode: 0o600,
  });
  return { dir, manifest };
}

/** Reads the manifest and checks every file against its checksum. */
export async function readVerifiedManifest(dir: string): Promise<Manifest> {
  const file = path.join(dir, "manifest.json");
  if (!fs.existsSync(file)) throw new BackupError(`${dir} is not a portal backup (no manifest.json).`);
  const manifest = JSON.parse(fs.readFileSync(file, "utf8")) as Manifest;
  if (manifest.format !== BACKUP_FORMAT)
    throw new BackupError(`${dir}: unknown backup format ${String(manifest.format)}.`);
  for (const f of manifest.files) {
    const target = path.join(dir, path.basename(f.name));
    if (!fs.existsSync(target)) throw new BackupError(`${f.name} is missing from the backup ${dir}.`);
    const actual = await sha256File(target);
    if (actual !== f.sha256)
      throw new BackupError(
        `${f.name} does not match its checksum (the backup is damaged): expected ${f.sha256}, found ${actual}.`,
      );
  }
  return manifest;
}

function databaseOf(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, "")) || "postgres";
}

/** Creates the target database when it does not exist (through the server's `postgres` database). */
async function ensureDatabase(url: string): Promise<boolean> {
  const name = databaseOf(url);
  const admin = new URL(url);
  admin.pathname = "/postgres";
  return withClient(admin.toString(), async (client) => {
    const found = await client.query("select 1 from pg_database where datname = $1", [name]);
    if (found.rowCount) return false;
    await client.query(`create database "${name.replace(/"/g, '""')}"`);
    return true;
  });
}

export type RestoreOptions = { dir: string; targetUrl: string; storageDir: string; keysDir: string; force?: boolean };

export type RestoreResult = { createdDatabase: boolean; tables: Record<string, number>; manifest: Manifest };

export async function restore(opts: RestoreOptions): Promise<RestoreResult> {
  const dir = path.resolve(opts.dir);
  const manifest = await readVerifiedManifest(dir);
  const keysHeld = fs.existsSync(opts.keysDir) && fs.readdirSync(opts.keysDir).length > 0;
  if (keysHeld && !opts.force)
    throw new BackupError(
      `KEYS_DIR (${path.resolve(opts.keysDir)}) already holds keys; restoring would replace them. Move them away, or add --force.`,
    );
  const createdDatabase = await ensureDatabase(opts.targetUrl);
  const { major, userTables } = await withClient(opts.targetUrl, async (client) => {
    const info = await serverInfo(client);
    const r = await client.query<{ n: string }>(
      "select count(*) as n from pg_tables where schemaname not in ('pg_catalog', 'information_schema')",
    );
    return { major: info.major, userTables: Number(r.rows[0]?.n ?? 0) };
  });
  if (userTables > 0 && !opts.force)
    throw new BackupError(
      `The database ${databaseOf(opts.targetUrl)} is not empty (${userTables} tables): restore into a new, empty database, or add --force to replace its contents.`,
    );
  const pgRestore = await findPgTool("pg_restore", major);
  const args = [
    "--no-owner",
    "--no-privileges",
    "--exit-on-error",
    "--single-transaction",
    `--dbname=${opts.targetUrl}`,
  ];
  if (userTables > 0) args.push("--clean", "--if-exists");
  try {
    await run(pgRestore, [...args, path.join(dir, "database.dump")], { maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    throw new BackupError(
      `pg_restore failed (nothing was restored): ${(error as { stderr?: string }).stderr?.trim() || String(error)}`,
    );
  }
  const tables = await withClient(opts.targetUrl, tableCounts);
  const differing = Object.entries(manifest.tables).filter(([name, n]) => tables[name] !== n);
  if (differing.length > 0)
    throw new BackupError(
      `The restored row counts differ from the backup's: ${differing.map(([name, n]) => `${name} ${tables[name]} ≠ ${n}`).join(", ")}.`,
    );
  for (const [archive, folder] of [
    ["uploads.tar.gz", opts.storageDir],
    ["keys.tar.gz", opts.keysDir],
  ] as const) {
    fs.mkdirSync(folder, { recursive: true, mode: archive === "keys.tar.gz" ? 0o700 : 0o755 });
    await run("tar", ["-xzf", path.join(dir, archive), "-C", folder]);
  }
  return { createdDatabase, tables, manifest };
}
