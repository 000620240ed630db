/**
 * Start-up failures as one sentence an operator can act on, instead of a stack trace (server.ts prints it
 * and exits non-zero). Also the checks made before anything is started: the data folders are writable, and,
 * as root, the embedded PostgreSQL (which then runs as the system user `postgres`) can reach its folder.
 */
import fs from "node:fs";
import path from "node:path";

type EnvVars = Record<string, string | undefined>;

export class StartupError extends Error {
  override name = "StartupError";
}

type Folder = { variable: string; dir: string };

/** The folders the portal writes to, from the environment (the same defaults as the code that uses them). */
export function dataFolders(env: EnvVars = process.env): Folder[] {
  const folders: Folder[] = [
    { variable: "STORAGE_DIR", dir: env.STORAGE_DIR ?? ".data/uploads" },
    { variable: "KEYS_DIR", dir: env.KEYS_DIR ?? ".data/keys" },
    { variable: "OUTBOX_DIR", dir: env.OUTBOX_DIR ?? ".data/outbox" },
  ];
  if (!env.DATABASE_URL) folders.push({ variable: "EMBEDDED_PG_DIR", dir: env.EMBEDDED_PG_DIR ?? ".data/pg" });
  return folders.map((f) => ({ ...f, dir: path.resolve(f.dir) }));
}

function variableFor(file: string | undefined, env: EnvVars): string | undefined {
  if (!file) return undefined;
  const target = path.resolve(file);
  return dataFolders(env).find((f) => target === f.dir || target.startsWith(`${f.dir}${path.sep}`))?.variable;
}

/** Makes each data folder (if missing) and checks it is writable; the first failure is a StartupError. */
export function checkDataFolders(env: EnvVars = process.env): void {
  for (const { variable, dir } of dataFolders(env)) {
    try {
      fs.mkdirSync(dir, { recursive: true });
      fs.accessSync(dir, fs.constants.W_OK);
    } catch (error) {
      throw new StartupError(
        `The portal cannot write to ${dir} (${(error as NodeJS.ErrnoException).code ?? "error"}): run it as a user who owns that folder, or set ${variable} to a folder that user may write to.`,
      );
    }
  }
}

type StatLike = { mode: number; uid: number };

/**
 * As root, the embedded PostgreSQL runs as the system user `postgres`; every folder above its data folder must
 * let other users pass (x bit), or PostgreSQL cannot open its own files. Returns the first folder that does not.
 */
export function closedAncestor(
  dataDir: string,
  stat: (p: string) => StatLike | undefined = (p) => {
    try {
      return fs.statSync(p);
    } catch {
      return undefined;
    }
  },
  postgresUid?: number,
): string | undefined {
  let dir = path.dirname(path.resolve(dataDir));
  for (;;) {
    const s = stat(dir);
    if (s && (s.mode & 0o001) === 0 && s.uid !== postgresUid) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

export function rootEmbeddedProblem(dataDir: string): string | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const closed = closedAncestor(dataDir);
  if (!closed) return undefined;
  return `The embedded PostgreSQL refuses to run as root, so it runs as the system user "postgres", which cannot open ${closed}: run the portal as an ordinary user, or set EMBEDDED_PG_DIR to a folder outside ${closed} (e.g. /var/lib/portal/pg), or set DATABASE_URL to a PostgreSQL server.`;
}

/** One sentence for an error that stopped start-up. */
export function describeStartupError(error: unknown, env: EnvVars = process.env): string {
  const e = error as NodeJS.ErrnoException & { address?: string; port?: number };
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof StartupError) return message;
  if (e?.code === "EACCES" || e?.code === "EPERM") {
    if (e.syscall === "listen")
      return `The portal may not listen on port ${e.port ?? env.PORT}: ports below 1024 need extra rights; set PORT to 1024 or above (e.g. 3000) and put a reverse proxy in front.`;
    const variable = variableFor(e.path, env);
    return `The portal cannot write to ${e.path ?? "a data folder"} (permission denied): run it as a user who owns that folder${variable ? `, or set ${variable} to a folder that user may write to` : ""}.`;
  }
  if (e?.code === "EADDRINUSE")
    return `Port ${e.port ?? "?"} is already in use by another program: stop it, or choose another port (PORT for the portal, GATEWAY_PORT for the demo gateway, EMBEDDED_PG_PORT for the embedded database).`;
  // Refused connections also arrive wrapped (a migration that could not connect): the address is in the text.
  const refused =
    e?.code === "ECONNREFUSED"
      ? `${e.address ?? "?"}:${e.port ?? "?"}`
      : /connect ECONNREFUSED (\S+)/.exec(message)?.[1];
  if (refused)
    return `No PostgreSQL answers at ${refused}: start it, or correct DATABASE_URL (unset it to use the embedded database).`;
  if (
    /cannot run as a root user|could not find a postgres user|Failed to create and initialize a new user|running this script as root/i.test(
      message,
    )
  )
    return 'The embedded PostgreSQL refuses to run as root and no "postgres" system user could be used: run the portal as an ordinary user, or set DATABASE_URL to a PostgreSQL server.';
  return message;
}
