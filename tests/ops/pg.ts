/**
 * PostgreSQL servers of the operations tests, from Debian's PostgreSQL binaries (PG_BIN, default
 * /usr/lib/postgresql/15/bin): a primary in a /tmp folder of its own (wal_level=replica, replication allowed
 * from 127.0.0.1) and streaming replicas made with pg_basebackup -R. The machine's own cluster is never
 * touched. As root, the servers run as the `postgres` system user.
 */
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";

export const PG_BIN = process.env.PG_BIN ?? "/usr/lib/postgresql/15/bin";
const asRoot = process.getuid?.() === 0;

/** Ports and names of this run: OPS_PORT_BASE (PostgreSQL), OPS_APP_PORT (instances), OPS_PROXY_PORT, OPS_GATEWAY_PORT. */
export const OPS = {
  pgPort: Number(process.env.OPS_PORT_BASE ?? 54460),
  appPort: Number(process.env.OPS_APP_PORT ?? 3160),
  proxyPort: Number(process.env.OPS_PROXY_PORT ?? 3170),
  gatewayPort: Number(process.env.OPS_GATEWAY_PORT ?? 8159),
  dirPrefix: process.env.OPS_DIR_PREFIX ?? "/tmp/ops-wt17b-",
};

function run(bin: string, args: string[], opts: { input?: string } = {}): string {
  const cmd = asRoot ? "runuser" : path.join(PG_BIN, bin);
  const full = asRoot ? ["-u", "postgres", "--", path.join(PG_BIN, bin), ...args] : args;
  return execFileSync(cmd, full, { encoding: "utf8", input: opts.input, stdio: ["pipe", "pipe", "pipe"] });
}

export function pgAvailable(): string | undefined {
  if (!fs.existsSync(path.join(PG_BIN, "initdb")))
    return `PostgreSQL binaries not found in ${PG_BIN} (apt-get install -y postgresql-15, or set PG_BIN)`;
  return undefined;
}

export type PgServer = {
  port: number;
  dir: string;
  url(database?: string): string;
  start(): void;
  stop(mode?: "fast" | "immediate"): void;
  /** Stops the server (if running) and deletes its folder. */
  destroy(): void;
};

function server(dir: string, port: number): PgServer {
  // Outside the data folder, so a base backup does not copy the primary's log into the replica.
  const logFile = `${dir}.log`;
  return {
    port,
    dir,
    url: (database = "postgres") => `postgresql://postgres@127.0.0.1:${port}/${database}`,
    start() {
      run("pg_ctl", ["-D", dir, "-l", logFile, "-w", "-t", "60", "-o", `-p ${port} -k /tmp`, "start"]);
    },
    stop(mode = "fast") {
      if (fs.existsSync(path.join(dir, "postmaster.pid"))) run("pg_ctl", ["-D", dir, "-m", mode, "-w", "stop"]);
    },
    destroy() {
      try {
        this.stop("immediate");
      } catch {}
      fs.rmSync(dir, { recursive: true, force: true });
      fs.rmSync(logFile, { force: true });
    },
  };
}

function freshDir(dir: string) {
  if (fs.existsSync(path.join(dir, "postmaster.pid"))) {
    try {
      server(dir, 0).stop("immediate");
    } catch {}
  }
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(`${dir}.log`, { force: true });
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dir, 0o700);
  if (asRoot) spawnSync("chown", ["postgres:postgres", dir]);
}

/** A primary ready for streaming replicas, started. */
export function startPrimary(name: string, port: number): PgServer {
  const dir = `${OPS.dirPrefix}${name}`;
  freshDir(dir);
  run("initdb", ["-D", dir, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8"]);
  fs.appendFileSync(
    path.join(dir, "postgresql.conf"),
    [
      "",
      "listen_addresses = '127.0.0.1'",
      "wal_level = replica",
      "max_wal_senders = 5",
      "hot_standby = on",
      "max_connections = 200",
      "shared_buffers = 32MB",
      "fsync = on",
      "",
    ].join("\n"),
  );
  fs.appendFileSync(path.join(dir, "pg_hba.conf"), "\nhost replication all 127.0.0.1/32 trust\n");
  const s = server(dir, port);
  s.start();
  return s;
}

/** A streaming replica of `primary` (pg_basebackup -R: standby.signal and primary_conninfo written), started. */
export function startReplica(primary: PgServer, name: string, port: number): PgServer {
  const dir = `${OPS.dirPrefix}${name}`;
  freshDir(dir);
  run("pg_basebackup", [
    "-h",
    "127.0.0.1",
    "-p",
    String(primary.port),
    "-U",
    "postgres",
    "-D",
    dir,
    "-R",
    "-X",
    "stream",
    // A fast checkpoint: the default spreads it over minutes.
    "-c",
    "fast",
  ]);
  const s = server(dir, port);
  s.start();
  return s;
}

export async function query<T extends pg.QueryResultRow = pg.QueryResultRow>(
  url: string,
  text: string,
  values: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}
