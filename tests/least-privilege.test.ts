/**
 * Least privilege (README "Database roles", ADR 009), on both databases: on a database provisioned like
 * production, the app role runs the portal's writes but cannot alter history, run DDL or TRUNCATE, nor
 * delete a dossier's history through a cascade; the owner role cannot alter history either unless the
 * maintenance switch is on; graphile-worker runs as the app role once the owner has migrated it.
 */
import { run, runOnce } from "graphile-worker";
import { type Kysely, sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordAudit, withMaintenance } from "../app/server/audit.server.ts";
import { createDb, type Database } from "../app/server/db.server.ts";
import { appRoleProblems, currentRole, grantAppPrivileges } from "../app/server/db-roles.server.ts";
import { enqueueJob } from "../app/server/jobs/queue.server.ts";
import { type Activity, insertCatalogueAndClerk, workflowActivity } from "./audit-fixtures.ts";
import { openTestDb, type ScratchDatabase, TEST_ROLES, type TestTarget, testTargets } from "./test-database.ts";

const HISTORY = ["audit_events", "dossier_events", "dossier_views"] as const;

/** The PostgreSQL error code of a failed statement (undefined when it succeeded). */
async function sqlState(db: Kysely<Database>, statement: string): Promise<string | undefined> {
  try {
    await sql.raw(statement).execute(db);
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
}

describe.each(testTargets())("least privilege on $label PostgreSQL", (target: TestTarget) => {
  let app: Kysely<Database>;
  let owner: Kysely<Database>;
  let superuser: Kysely<Database>;
  let scratch: ScratchDatabase;
  let close: () => Promise<void>;
  let activity: Activity;

  beforeAll(async () => {
    ({ db: app, scratch, close } = await openTestDb(target, { roles: true }));
    owner = createDb(scratch.ownerUrl, 2);
    superuser = createDb(scratch.superuserUrl, 2);
    // The whole set-up runs as the app role: catalogue rows, accounts, dossiers, workflow, views.
    const { clerkId } = await insertCatalogueAndClerk(app);
    activity = await workflowActivity(app, clerkId, { nationalId: "022090000501", dossiers: 2 });
  });
  afterAll(async () => {
    await owner.destroy();
    await superuser.destroy();
    await close();
  });

  it("connects as the app role, which is not the owner and has nothing more than its grants", async () => {
    expect(await currentRole(app)).toBe(TEST_ROLES.app.name);
    expect(await currentRole(owner)).toBe(TEST_ROLES.owner.name);
    expect(await appRoleProblems(app)).toEqual([]);
    expect((await appRoleProblems(superuser)).join()).toMatch(/superuser/);
  });

  it("lets the app append to history, chained by the database even when it supplies the chain columns", async () => {
    await recordAudit(app, { actorId: activity.clerkId, action: "probe", entity: "test", entityId: "lp-1" });
    await app
      .insertInto("audit_events")
      .values({ action: "probe", entity: "test", entity_id: "lp-1", chain_seq: 99, prev_hash: "x", hash: "forged" })
      .execute();
    const rows = await app
      .selectFrom("audit_events")
      .select(["chain_seq", "prev_hash", "hash"])
      .where("entity_id", "=", "lp-1")
      .orderBy("chain_seq")
      .execute();
    expect(rows.map((r) => r.chain_seq)).toEqual([1, 2]);
    expect(rows[0]?.prev_hash).toBe("");
    expect(rows[1]?.prev_hash).toBe(rows[0]?.hash);
    expect(rows[1]?.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("refuses the app role UPDATE, DELETE and TRUNCATE on every history table, and any access to the chain heads", async () => {
    for (const table of HISTORY) {
      expect(await sqlState(app, `update ${table} set action = 'x'`), table).toBe("42501");
      expect(await sqlState(app, `delete from ${table}`), table).toBe("42501");
      expect(await sqlState(app, `truncate ${table}`), table).toBe("42501");
    }
    expect(await sqlState(app, "select * from audit_chain_heads")).toBe("42501");
    expect(await sqlState(app, "update audit_chain_heads set length = 1")).toBe("42501");
    expect(await sqlState(app, "delete from kysely_migration")).toBe("42501");
    const events = await app.selectFrom("dossier_events").select(sql<number>`count(*)`.as("n")).executeTakeFirst();
    expect(Number(events?.n)).toBeGreaterThan(0);
  });

  it("refuses the app role DDL and TRUNCATE", async () => {
    for (const statement of [
      "create table intruder (id int)",
      "create temporary table intruder (id int)",
      "create schema intruder",
      "create view intruder as select 1",
      "create function intruder() returns int language sql as 'select 1'",
      "alter table dossiers add column intruder text",
      "alter table audit_events disable trigger audit_append_only",
      "alter table audit_events drop constraint audit_events_actor_id_fkey",
      "create index intruder on dossiers (applicant_name)",
      "drop table dossiers",
      "drop trigger audit_append_only on audit_events",
      "truncate dossiers",
      "truncate stats_rollup",
      "truncate payments",
    ]) {
      expect(await sqlState(app, statement), statement).toBe("42501");
    }
    // Nor can it hand rights on: without grant options, PostgreSQL grants nothing (with a warning).
    await sqlState(app, "grant update, delete on audit_events to public");
    const granted = await sql<{ update: boolean }>`
      select has_table_privilege('public', 'audit_events', 'UPDATE') as update`.execute(app);
    expect(granted.rows[0]?.update).toBe(false);
  });

  it("never deletes history by a cascade: deleting a dossier with events is refused, even for the owner", async () => {
    const id = activity.dossierIds[0] ?? "";
    for (const db of [app, owner]) {
      // foreign_key_violation (PostgreSQL 15) or restrict_violation (PostgreSQL 18).
      expect(["23503", "23001"]).toContain(await sqlState(db, `delete from dossiers where id = '${id}'`));
    }
    const left = await app.selectFrom("dossier_events").select("id").where("dossier_id", "=", id).execute();
    expect(left.length).toBeGreaterThan(0);
  });

  it("refuses UPDATE, DELETE and TRUNCATE of history to the owner and the superuser without the maintenance switch", async () => {
    for (const db of [owner, superuser]) {
      for (const table of HISTORY) {
        expect(await sqlState(db, `update ${table} set action = action`), table).toBe("42501");
        expect(await sqlState(db, `delete from ${table}`), table).toBe("42501");
        expect(await sqlState(db, `truncate ${table}`), table).toBe("42501");
      }
    }
    await expect(sql`delete from dossier_events`.execute(owner)).rejects.toThrow(
      /DELETE on dossier_events refused: audit history is append-only/,
    );
  });

  it("lets the owner change history with the maintenance switch, inside that transaction only", async () => {
    const rolledBack = new Error("roll back");
    await expect(
      withMaintenance(owner, async (trx) => {
        const changed =
          await sql`update dossier_events set reason = 'maintenance' where dossier_id = ${activity.dossierIds[1]}`.execute(
            trx,
          );
        expect(Number(changed.numAffectedRows)).toBeGreaterThan(0);
        await sql`delete from dossier_views where dossier_id = ${activity.dossierIds[1]}`.execute(trx);
        throw rolledBack;
      }),
    ).rejects.toBe(rolledBack);
    // The switch is SET LOCAL: the next transaction on the same pool is refused again.
    expect(await sqlState(owner, "update dossier_events set reason = 'x'")).toBe("42501");
    // The app role has no UPDATE grant, switch or not.
    await expect(
      withMaintenance(app, (trx) => sql`update dossier_events set reason = 'x'`.execute(trx)),
    ).rejects.toMatchObject({ code: "42501" });
  });

  it("grants the app role tables added by later migrations, without TRUNCATE", async () => {
    await sql`create table later_things (id int primary key)`.execute(owner);
    expect(await sqlState(app, "insert into later_things values (1)")).toBe("42501");
    await grantAppPrivileges(owner, TEST_ROLES.app.name);
    expect(await sqlState(app, "insert into later_things values (1)")).toBeUndefined();
    expect(await sqlState(app, "update later_things set id = 2")).toBeUndefined();
    expect(await sqlState(app, "delete from later_things")).toBeUndefined();
    expect(await sqlState(app, "truncate later_things")).toBe("42501");
    // Re-applying changes nothing.
    await grantAppPrivileges(owner, TEST_ROLES.app.name);
    expect(await sqlState(app, "update audit_events set action = 'x'")).toBe("42501");
  });

  it("runs graphile-worker as the app role on a queue the owner migrated: jobs and cron", async () => {
    let ran = 0;
    await app.transaction().execute((trx) => enqueueJob(trx, "probe", { n: 1 }));
    await runOnce({ connectionString: scratch.url, taskList: { probe: async () => void ran++ } });
    expect(ran).toBe(1);
    const runner = await run({
      connectionString: scratch.url,
      concurrency: 1,
      noHandleSignals: true,
      pollInterval: 200,
      taskList: { probe: async () => void ran++ },
      crontab: "0 1 * * * probe",
    });
    await app.transaction().execute((trx) => enqueueJob(trx, "probe", { n: 2 }));
    for (let i = 0; i < 50 && ran < 2; i++) await new Promise((r) => setTimeout(r, 100));
    await runner.stop();
    expect(ran).toBe(2);
    // The worker never migrated anything itself.
    const known = await sql<{
      n: number;
    }>`select count(*)::int as n from graphile_worker._private_known_crontabs`.execute(app);
    expect(known.rows[0]?.n).toBe(1);
  });
});
