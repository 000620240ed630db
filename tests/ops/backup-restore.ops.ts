/**
 * The backup-and-restore drill (docs/operations-runbook.md, "Backup and restore"): seed a database with the
 * demo data (dossiers with signed result PDFs) plus uploaded files, run `npm run backup`, restore with
 * `npm run restore` into a fresh database and fresh folders, then check what an operator would:
 *  - every table has the same number of rows;
 *  - the statistics rollups equal a recount from the rows;
 *  - every audit chain verifies (the `npm run audit:verify` logic);
 *  - every stored file opens: uploads and decision attachments hash to their recorded SHA-256, result PDFs
 *    to their pdf_sha256, and the signing keys come back byte for byte.
 * And the refusals: a non-empty database without --force, a damaged backup.
 *
 * Runs against a real PostgreSQL server: TEST_DATABASE_URL, else DATABASE_URL, else the local one on 5432
 * (as a superuser, like `npm run db:provision`). Scratch databases are named OPS_DB_PREFIX_backup_* (default
 * prefix `ops`) and dropped afterwards.
 */
import { execFile } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { type Kysely, sql } from "kysely";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemoDossiers } from "#db/seed/demo-dossiers.ts";
import { applyDemoReform, seedDemoData } from "#db/seed/seed.ts";
import { toVnDateString } from "../../app/domain/calendar/working-calendar.ts";
import { verifyAuditChains } from "../../app/server/audit-verify.server.ts";
import { createDb, type Database } from "../../app/server/db.server.ts";
import { storeBytes } from "../../app/server/files/file-store.server.ts";
import { migrateJobQueue } from "../../app/server/jobs/queue.server.ts";
import { migrateToLatest } from "../../app/server/migrate.server.ts";
import { countMetrics, recountMetrics } from "../../app/server/stats/stats-queries.server.ts";
import type { Manifest } from "../../scripts/ops/backup-lib.ts";

const run = promisify(execFile);
const SERVER =
  process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const PREFIX = (process.env.OPS_DB_PREFIX ?? "ops").replace(/[^a-z0-9_]/g, "");
const tag = crypto.randomBytes(4).toString("hex");
const SOURCE = `${PREFIX}_backup_src_${tag}`;
const TARGET = `${PREFIX}_backup_dst_${tag}`;
const work = fs.mkdtempSync(path.join(os.tmpdir(), "portal-backup-drill-"));
const folders = {
  source: { storage: path.join(work, "src-uploads"), keys: path.join(work, "src-keys") },
  target: { storage: path.join(work, "dst-uploads"), keys: path.join(work, "dst-keys") },
};

function urlOf(database: string): string {
  const u = new URL(SERVER);
  u.pathname = `/${database}`;
  return u.toString();
}

async function admin(query: string): Promise<void> {
  const client = new pg.Client({ connectionString: urlOf("postgres") });
  await client.connect();
  try {
    await client.query(query);
  } finally {
    await client.end();
  }
}

/** Runs an npm script the way an operator does (tsx, a separate process), with its own environment. */
async function npmScript(script: "backup" | "restore", args: string[], env: Record<string, string>) {
  const childEnv: Record<string, string | undefined> = { ...process.env, ...env };
  delete childEnv.DATABASE_OWNER_URL;
  delete childEnv.NODE_ENV;
  childEnv.JOBS = "off";
  try {
    const { stdout, stderr } = await run("npx", ["tsx", `scripts/${script}.ts`, ...args], {
      env: childEnv as NodeJS.ProcessEnv,
      maxBuffer: 16 * 1024 * 1024,
    });
    return { code: 0, out: stdout + stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? 1, out: `${e.stdout ?? ""}${e.stderr ?? ""}` };
  }
}

const sha256 = (bytes: Uint8Array) => crypto.createHash("sha256").update(bytes).digest("hex");

function filesUnder(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  if (!fs.existsSync(dir)) return out;
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    out.set(path.relative(dir, full), sha256(fs.readFileSync(full)));
  }
  return out;
}

describe("backup and restore drill", () => {
  let source: Kysely<Database>;
  let target: Kysely<Database>;
  let backupDir = "";
  let manifest: Manifest;
  const timings: Record<string, number> = {};

  beforeAll(async () => {
    await admin(`create database ${SOURCE}`);
    source = createDb(urlOf(SOURCE), 4);
    process.env.STORAGE_DIR = folders.source.storage;
    process.env.KEYS_DIR = folders.source.keys;
    await migrateToLatest(source);
    await migrateJobQueue(urlOf(SOURCE));
    // The demo seed: procedures, accounts, dossiers in every state, finished ones with signed result PDFs.
    await seedDemoData(source);
    await applyDemoReform(source);
    await seedDemoDossiers(source);
    // Uploaded documents: a PDF and a PNG on two dossiers, stored as the portal stores them.
    const dossiers = await source.selectFrom("dossiers").select("id").orderBy("code").limit(2).execute();
    const uploads = [
      new TextEncoder().encode(`%PDF-1.4\n% drill ${tag}\n%%EOF\n`),
      Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...crypto.randomBytes(64)]),
    ];
    for (const [i, bytes] of uploads.entries()) {
      const dossier = dossiers[i];
      if (!dossier) throw new Error("the demo seed made no dossiers");
      await source
        .insertInto("dossier_attachments")
        .values({
          dossier_id: dossier.id,
          document_index: 0,
          file_name: i === 0 ? "giay-to.pdf" : "anh.png",
          mime_type: i === 0 ? "application/pdf" : "image/png",
          size_bytes: bytes.byteLength,
          sha256: await storeBytes(bytes),
        })
        .execute();
    }
  });

  afterAll(async () => {
    await source?.destroy();
    await target?.destroy();
    await admin(`drop database if exists ${SOURCE} with (force)`);
    await admin(`drop database if exists ${TARGET} with (force)`);
    fs.rmSync(work, { recursive: true, force: true });
    if (Object.keys(timings).length) console.log(`backup drill: seconds and sizes ${JSON.stringify(timings)}`);
  });

  it("the seeded source has what the drill checks: results with PDFs, uploads, audit rows", async () => {
    const pdfs = await sql<{ n: number }>`select count(*)::int as n from dossier_results where pdf is not null`.execute(
      source,
    );
    expect(pdfs.rows[0]?.n).toBeGreaterThan(0);
    expect(filesUnder(folders.source.storage).size).toBe(2);
    expect(filesUnder(folders.source.keys).size).toBeGreaterThan(0);
    const audit = await sql<{ n: number }>`select count(*)::int as n from dossier_events`.execute(source);
    expect(audit.rows[0]?.n).toBeGreaterThan(0);
  });

  it("npm run backup writes the dump, the uploads, the keys, a manifest and checksums", async () => {
    const started = performance.now();
    const result = await npmScript("backup", ["--out", path.join(work, "backups")], {
      DATABASE_URL: urlOf(SOURCE),
      STORAGE_DIR: folders.source.storage,
      KEYS_DIR: folders.source.keys,
    });
    timings.backup = Math.round(performance.now() - started) / 1000;
    expect(result.out).toMatch(/Backup written to /);
    expect(result.code).toBe(0);
    const [name] = fs.readdirSync(path.join(work, "backups"));
    backupDir = path.join(work, "backups", name ?? "");
    expect(fs.readdirSync(backupDir).sort()).toEqual([
      "SHA256SUMS",
      "database.dump",
      "keys.tar.gz",
      "manifest.json",
      "uploads.tar.gz",
    ]);
    expect(fs.statSync(backupDir).mode & 0o777).toBe(0o700);
    manifest = JSON.parse(fs.readFileSync(path.join(backupDir, "manifest.json"), "utf8"));
    timings.rows = Object.values(manifest.tables).reduce((a, b) => a + b, 0);
    timings.tables = Object.keys(manifest.tables).length;
    for (const f of manifest.files) timings[`${f.name} MB`] = Math.round(f.bytes / 10_485.76) / 100;
    expect(manifest.tables["public.dossiers"]).toBeGreaterThan(0);
    expect(manifest.migrations.length).toBeGreaterThan(10);
    const sums = await run("sha256sum", ["-c", "SHA256SUMS"], { cwd: backupDir });
    expect(sums.stdout).toMatch(/database\.dump: OK/);
  });

  it("npm run restore brings everything back into a fresh database and fresh folders", async () => {
    const started = performance.now();
    const result = await npmScript("restore", [backupDir, "--target", urlOf(TARGET)], {
      STORAGE_DIR: folders.target.storage,
      KEYS_DIR: folders.target.keys,
    });
    timings.restore = Math.round(performance.now() - started) / 1000;
    expect(result.out).toMatch(/Restored \d+ rows/);
    expect(result.code).toBe(0);
    target = createDb(urlOf(TARGET), 4);
  });

  it("every table has the same number of rows", async () => {
    const counts = async (db: Kysely<Database>) => {
      const tables = await sql<{ name: string }>`
        select format('%I.%I', schemaname, tablename) as name from pg_tables
         where schemaname in ('public', 'graphile_worker') order by 1`.execute(db);
      const out: Record<string, number> = {};
      for (const { name } of tables.rows)
        out[name] =
          (await sql<{ n: number }>`select count(*)::int as n from ${sql.raw(name)}`.execute(db)).rows[0]?.n ?? -1;
      return out;
    };
    const [before, after] = await Promise.all([counts(source), counts(target)]);
    expect(Object.keys(after).length).toBeGreaterThan(20);
    expect(after).toEqual(before);
    expect(after).toEqual(manifest.tables);
  });

  it("the statistics rollups equal a recount from the restored rows", async () => {
    const now = new Date();
    const period = { from: "2020-01-01", to: toVnDateString(now) };
    for (const scope of [{ agencyCodes: null }, { agencyCodes: null, level: "commune" as const }]) {
      const fromRollup = await countMetrics(target, period, scope, now);
      expect(fromRollup).toEqual(await recountMetrics(target, period, scope, now));
      expect(fromRollup).toEqual(await countMetrics(source, period, scope, now));
    }
    expect((await countMetrics(target, period, { agencyCodes: null }, now)).received).toBeGreaterThan(0);
  });

  it("every audit chain verifies in the restored database", async () => {
    const result = await verifyAuditChains(target);
    expect(result.ok).toBe(true);
    const rows = Object.fromEntries(result.tables.map((t) => [t.table, t.rows]));
    expect(rows.dossier_events).toBe(manifest.tables["public.dossier_events"]);
  });

  it("every stored file opens and matches its recorded hash", async () => {
    const attachments = await target.selectFrom("dossier_attachments").select(["sha256", "size_bytes"]).execute();
    expect(attachments.length).toBe(2);
    for (const a of attachments) {
      const bytes = fs.readFileSync(path.join(folders.target.storage, a.sha256.slice(0, 2), a.sha256));
      expect(bytes.byteLength).toBe(a.size_bytes);
      expect(sha256(bytes)).toBe(a.sha256);
    }
    const decisions = await target
      .selectFrom("result_decisions")
      .select("attachment_sha256")
      .where("attachment_sha256", "is not", null)
      .execute();
    for (const d of decisions) {
      const file = path.join(
        folders.target.storage,
        String(d.attachment_sha256).slice(0, 2),
        String(d.attachment_sha256),
      );
      expect(sha256(fs.readFileSync(file))).toBe(d.attachment_sha256);
    }
    const pdfs = await target
      .selectFrom("dossier_results")
      .select(["pdf", "pdf_sha256"])
      .where("pdf", "is not", null)
      .execute();
    expect(pdfs.length).toBeGreaterThan(0);
    for (const r of pdfs) {
      const bytes = r.pdf as Uint8Array;
      expect(Buffer.from(bytes.subarray(0, 5)).toString("latin1")).toBe("%PDF-");
      expect(sha256(bytes)).toBe(r.pdf_sha256);
    }
    expect(filesUnder(folders.target.storage)).toEqual(filesUnder(folders.source.storage));
    expect(filesUnder(folders.target.keys)).toEqual(filesUnder(folders.source.keys));
  });

  it("refuses to restore over a database that has tables, and over existing keys, without --force", async () => {
    const again = await npmScript("restore", [backupDir, "--target", urlOf(TARGET)], {
      STORAGE_DIR: folders.target.storage,
      KEYS_DIR: path.join(work, "empty-keys"),
    });
    expect(again.code).toBe(1);
    expect(again.out).toMatch(/is not empty \(\d+ tables\).*--force/);
    const keys = await npmScript("restore", [backupDir, "--target", urlOf(TARGET)], {
      STORAGE_DIR: folders.target.storage,
      KEYS_DIR: folders.target.keys,
    });
    expect(keys.code).toBe(1);
    expect(keys.out).toMatch(/already holds keys/);
  });

  it("refuses a damaged backup before touching anything", async () => {
    const damaged = path.join(work, "damaged");
    fs.cpSync(backupDir, damaged, { recursive: true });
    const dump = path.join(damaged, "database.dump");
    const bytes = fs.readFileSync(dump);
    bytes[bytes.length - 10] = (bytes[bytes.length - 10] ?? 0) ^ 0xff;
    fs.writeFileSync(dump, bytes);
    const result = await npmScript("restore", [damaged, "--target", urlOf(`${TARGET}_x`)], {
      STORAGE_DIR: path.join(work, "x-uploads"),
      KEYS_DIR: path.join(work, "x-keys"),
    });
    expect(result.code).toBe(1);
    expect(result.out).toMatch(/database\.dump does not match its checksum/);
    expect(fs.existsSync(path.join(work, "x-uploads"))).toBe(false);
  });
});
