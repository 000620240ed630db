/** /readyz: ready on a migrated database; 503 with a reason when a migration is pending or the database is down. */

import type { Kysely } from "kysely";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDb, type ScratchDatabase, type TestTarget, testTargets } from "../../../tests/test-database.ts";
import { createDb, type Database } from "../db.server.ts";
import { readiness, readyzResponse } from "./readiness.server.ts";

describe.each(testTargets())("readiness on $label PostgreSQL", (target: TestTarget) => {
  let db: Kysely<Database>;
  let owner: Kysely<Database>;
  let scratch: ScratchDatabase;
  let close: () => Promise<void>;

  beforeAll(async () => {
    // As the least-privileged app role, like the running portal (it has no right on kysely_migration).
    ({ db, scratch, close } = await openTestDb(target, { roles: true }));
    owner = createDb(scratch.ownerUrl, 2);
  });
  afterAll(async () => {
    await owner.destroy();
    await close();
  });

  it("is ready when every migration is applied, and the app role cannot read kysely_migration itself", async () => {
    expect(await readiness(db)).toEqual({ ready: true });
    const response = readyzResponse(await readiness(db));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ready" });
    await expect(sql`select name from kysely_migration`.execute(db)).rejects.toThrow(/permission denied/);
  });

  it("answers 503 migrations_pending when this build knows a migration the database lacks", async () => {
    const [latest] = await sql<{ name: string }>`select name from kysely_migration order by name desc limit 1`
      .execute(owner)
      .then((r) => r.rows);
    if (!latest) throw new Error("no migration applied");
    await sql`delete from kysely_migration where name = ${latest.name}`.execute(owner);
    try {
      const result = await readiness(db);
      expect(result).toMatchObject({ ready: false, reason: "migrations_pending" });
      const response = readyzResponse(result);
      expect(response.status).toBe(503);
      const body = await response.json();
      expect(body).toMatchObject({ status: "not_ready", reason: "migrations_pending" });
      expect(body.detail).toContain(latest.name);
    } finally {
      await sql`insert into kysely_migration (name, timestamp) values (${latest.name}, ${new Date().toISOString()})`.execute(
        owner,
      );
    }
    expect(await readiness(db)).toEqual({ ready: true });
  });

  it("answers migrations_pending on a database that was never migrated", async () => {
    await sql`alter function portal_applied_migrations() rename to portal_applied_migrations_hidden`.execute(owner);
    try {
      expect(await readiness(db)).toMatchObject({ ready: false, reason: "migrations_pending" });
    } finally {
      await sql`alter function portal_applied_migrations_hidden() rename to portal_applied_migrations`.execute(owner);
    }
  });
});

describe("readiness without a database", () => {
  it("answers 503 database_unreachable", async () => {
    const nowhere = createDb("postgresql://nobody@127.0.0.1:1/none", 1);
    try {
      const result = await readiness(nowhere);
      expect(result).toMatchObject({ ready: false, reason: "database_unreachable" });
      expect(readyzResponse(result).status).toBe(503);
    } finally {
      await nowhere.destroy();
    }
  });
});
