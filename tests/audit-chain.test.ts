/**
 * Tamper-evident history (ADR 009), on both databases: every row of audit_events, dossier_events and
 * dossier_views is hash-chained by the database, audit:verify passes on real workflow activity, and when a
 * superuser tampers (alters a row with the maintenance switch, deletes a middle row, deletes the last row,
 * deletes a whole chain or its head) audit:verify names the first broken row or chain.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { type Kysely, sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrations } from "#db/migrations/index.ts";
import { seedYear } from "#db/seed/year/seed-year.ts";
import { recordAudit, withMaintenance } from "../app/server/audit.server.ts";
import { type VerifyResult, verifyAuditChains } from "../app/server/audit-verify.server.ts";
import { createDb, type Database } from "../app/server/db.server.ts";
import { migrateDown, migrateToLatest } from "../app/server/migrate.server.ts";
import { type Activity, insertCatalogueAndClerk, workflowActivity } from "./audit-fixtures.ts";
import {
  createScratchDatabase,
  openTestDb,
  type ScratchDatabase,
  type TestTarget,
  testTargets,
} from "./test-database.ts";

/** Verifies with the default batch and with tiny batches (chains then span several keyset pages). */
async function verify(db: Kysely<Database>): Promise<VerifyResult> {
  const small = await verifyAuditChains(db, { batchSize: 3 });
  const normal = await verifyAuditChains(db);
  expect(small).toEqual(normal);
  return normal;
}

function problemOf(result: VerifyResult) {
  if (result.ok) throw new Error("expected a broken chain, audit:verify passed");
  return result.problem;
}

describe.each(testTargets())("audit chains on $label PostgreSQL", (target: TestTarget) => {
  let app: Kysely<Database>;
  let owner: Kysely<Database>;
  let superuser: Kysely<Database>;
  let scratch: ScratchDatabase;
  let close: () => Promise<void>;
  let clerkId: string;
  let activity: Activity;

  beforeAll(async () => {
    ({ db: app, scratch, close } = await openTestDb(target, { roles: true }));
    owner = createDb(scratch.ownerUrl, 2);
    superuser = createDb(scratch.superuserUrl, 2);
    ({ clerkId } = await insertCatalogueAndClerk(app));
    activity = await workflowActivity(app, clerkId, { nationalId: "022090000601", dossiers: 3 });
  });
  afterAll(async () => {
    await owner.destroy();
    await superuser.destroy();
    await close();
  });

  /** Removes a chain entirely (rows and head): the repair after each tampering, so the next starts clean. */
  async function dropChain(table: string, where: string, chain: string) {
    await withMaintenance(superuser, async (trx) => {
      await sql.raw(`delete from ${table} where ${where}`).execute(trx);
      await sql`delete from audit_chain_heads where chain = ${chain}`.execute(trx);
    });
    expect((await verify(owner)).ok).toBe(true);
  }

  it("chains the workflow's rows per dossier and per entity, and audit:verify passes", async () => {
    const id = activity.dossierIds[0] ?? "";
    const events = await app
      .selectFrom("dossier_events")
      .select(["action", "chain_seq", "prev_hash", "hash"])
      .where("dossier_id", "=", id)
      .orderBy("chain_seq")
      .execute();
    expect(events.map((e) => e.action)).toEqual(["create_draft", "submit", "receive", "start_processing"]);
    expect(events.map((e) => e.chain_seq)).toEqual([1, 2, 3, 4]);
    expect(events.map((e) => e.prev_hash)).toEqual(["", ...events.slice(0, -1).map((e) => e.hash)]);
    const heads = await sql<{ chain: string; length: number }>`
      select chain, length from audit_chain_heads where chain in (${`dossier_events:${id}`}, ${`dossier_views:${id}`})
      order by chain`.execute(owner);
    expect(heads.rows.map((h) => [h.chain, Number(h.length)])).toEqual([
      [`dossier_events:${id}`, 4],
      [`dossier_views:${id}`, 2],
    ]);

    const result = await verify(owner);
    expect(result).toEqual({
      ok: true,
      tables: [
        // The citizen's registration, and one save_draft per dossier.
        { table: "audit_events", rows: 4, chains: 4 },
        { table: "dossier_events", rows: 12, chains: 3 },
        { table: "dossier_views", rows: 6, chains: 3 },
      ],
    });
  });

  it("keeps one chain consistent under concurrent writers", async () => {
    await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        recordAudit(app, { actorId: null, action: "probe", entity: "test", entityId: "concurrent", data: { i } }),
      ),
    );
    const seqs = await app
      .selectFrom("audit_events")
      .select("chain_seq")
      .where("entity_id", "=", "concurrent")
      .orderBy("chain_seq")
      .execute();
    expect(seqs.map((s) => s.chain_seq)).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
    expect((await verify(owner)).ok).toBe(true);
  });

  it("names a row whose content was altered (superuser with the maintenance switch)", async () => {
    const id = activity.dossierIds[1] ?? "";
    const row = await owner
      .selectFrom("dossier_events")
      .select(["id", "chain_seq", "reason"])
      .where("dossier_id", "=", id)
      .where("chain_seq", "=", 3)
      .executeTakeFirstOrThrow();
    await withMaintenance(superuser, (trx) =>
      sql`update dossier_events set reason = 'nothing happened' where id = ${row.id}`.execute(trx),
    );
    expect(problemOf(await verify(owner))).toEqual({
      table: "dossier_events",
      id: row.id,
      chain: `dossier_events:${id}`,
      seq: 3,
      problem: "the row's hash does not match its content: the row was altered",
    });
    // Put back exactly as it was: the chain verifies again.
    await withMaintenance(superuser, (trx) =>
      sql`update dossier_events set reason = ${row.reason} where id = ${row.id}`.execute(trx),
    );
    expect((await verify(owner)).ok).toBe(true);

    // A forger who also recomputes the row's own hash is caught by the next row's link.
    await withMaintenance(superuser, async (trx) => {
      await sql`update dossier_events set reason = 'forged' where id = ${row.id}`.execute(trx);
      await sql`update dossier_events e set hash = audit_hash(e.prev_hash, dossier_events_payload(e)) where id = ${row.id}`.execute(
        trx,
      );
    });
    const next = await owner
      .selectFrom("dossier_events")
      .select("id")
      .where("dossier_id", "=", id)
      .where("chain_seq", "=", 4)
      .executeTakeFirstOrThrow();
    expect(problemOf(await verify(owner))).toMatchObject({
      table: "dossier_events",
      id: next.id,
      seq: 4,
      problem: "prev_hash differs from the hash of seq 3: that row was altered or replaced",
    });
    await dropChain("dossier_events", `dossier_id = '${id}'`, `dossier_events:${id}`);
  });

  it("names the gap where a middle row was deleted", async () => {
    const id = activity.dossierIds[2] ?? "";
    const rows = await owner
      .selectFrom("dossier_events")
      .select(["id", "chain_seq"])
      .where("dossier_id", "=", id)
      .orderBy("chain_seq")
      .execute();
    await withMaintenance(superuser, (trx) =>
      sql`delete from dossier_events where id = ${rows[1]?.id ?? 0}`.execute(trx),
    );
    expect(problemOf(await verify(owner))).toEqual({
      table: "dossier_events",
      id: rows[2]?.id,
      chain: `dossier_events:${id}`,
      seq: 3,
      problem: "seq 3 follows seq 1: row(s) 2..2 were deleted",
    });
    await dropChain("dossier_events", `dossier_id = '${id}'`, `dossier_events:${id}`);
  });

  it("names a chain whose last row was deleted, and a chain deleted whole or without its head", async () => {
    for (const n of [1, 2, 3]) {
      await recordAudit(app, { actorId: clerkId, action: `step_${n}`, entity: "test", entityId: "tail" });
    }
    const rows = await owner
      .selectFrom("audit_events")
      .select(["id", "chain_seq"])
      .where("entity_id", "=", "tail")
      .orderBy("chain_seq")
      .execute();
    const chain = 'audit_events:["test", "tail"]';
    await withMaintenance(superuser, (trx) =>
      sql`delete from audit_events where id = ${rows[2]?.id ?? 0}`.execute(trx),
    );
    expect(problemOf(await verify(owner))).toEqual({
      table: "audit_events",
      id: rows[1]?.id,
      chain,
      seq: 2,
      problem: "the chain ends at seq 2 but its head records 3 rows: the last 1 row(s) were deleted",
    });

    // All its rows gone, the head left behind.
    await withMaintenance(superuser, (trx) => sql`delete from audit_events where entity_id = 'tail'`.execute(trx));
    expect(problemOf(await verify(owner))).toEqual({
      table: "audit_events",
      id: null,
      chain,
      seq: null,
      problem: "the head records 3 rows but the chain has none: the whole chain was deleted",
    });
    await sql`delete from audit_chain_heads where chain = ${chain}`.execute(superuser);
    expect((await verify(owner)).ok).toBe(true);

    // A head deleted (rows intact).
    const viewChain = `dossier_views:${activity.dossierIds[0]}`;
    const head = await sql<{ length: number; last_hash: string }>`
      delete from audit_chain_heads where chain = ${viewChain} returning length, last_hash`.execute(superuser);
    expect(problemOf(await verify(owner))).toMatchObject({
      table: "dossier_views",
      chain: viewChain,
      seq: 2,
      problem: "the chain has no head in audit_chain_heads (the head was deleted)",
    });
    await sql`insert into audit_chain_heads values (${viewChain}, ${head.rows[0]?.length}, ${head.rows[0]?.last_hash})`.execute(
      superuser,
    );
    expect((await verify(owner)).ok).toBe(true);
  });

  it("npm run audit:verify prints the summary and exits 0, or names the first broken row and exits 1", async () => {
    const cli = async () => {
      try {
        const { stdout } = await promisify(execFile)("npx", ["tsx", "scripts/audit-verify.ts"], {
          env: { ...process.env, DATABASE_URL: scratch.ownerUrl, DATABASE_OWNER_URL: "" },
        });
        return { code: 0, out: stdout };
      } catch (error) {
        const e = error as { code: number; stdout: string; stderr: string };
        return { code: e.code, out: e.stdout + e.stderr };
      }
    };
    const clean = await cli();
    expect(clean.code).toBe(0);
    expect(clean.out).toMatch(/dossier_events\s+\d+ rows\s+\d+ chains/);
    expect(clean.out).toMatch(/^OK: /m);

    const row = await owner
      .selectFrom("dossier_views")
      .select(["id", "chain_seq", "dossier_id"])
      .where("dossier_id", "=", activity.dossierIds[0] ?? "")
      .where("chain_seq", "=", 1)
      .executeTakeFirstOrThrow();
    await withMaintenance(superuser, (trx) =>
      sql`update dossier_views set action = 'download' where id = ${row.id}`.execute(trx),
    );
    const broken = await cli();
    expect(broken.code).toBe(1);
    expect(broken.out).toContain(
      `BROKEN: dossier_views row id ${row.id} (seq 1), chain dossier_views:${row.dossier_id}: the row's hash does not match its content`,
    );
    await withMaintenance(superuser, (trx) =>
      sql`update dossier_views set action = 'open' where id = ${row.id}`.execute(trx),
    );
    expect((await verify(owner)).ok).toBe(true);
  }, 60_000);
});

describe.each(testTargets())("audit chain migration and bulk loads on $label PostgreSQL", (target: TestTarget) => {
  let scratch: ScratchDatabase;
  let db: Kysely<Database>;

  beforeAll(async () => {
    scratch = await createScratchDatabase(target.serverUrl);
    db = createDb(scratch.url, 4);
  });
  afterAll(async () => {
    await db.destroy();
    await scratch.drop();
  });

  it("chains the rows that existed before the migration, in id order, and restores the cascades when rolled back", async () => {
    const { clerkId } = await insertCatalogueAndClerk(db);
    await workflowActivity(db, clerkId, { nationalId: "022090000701", dossiers: 2 });
    // Down to the version before the audit chains (and any migration listed after them).
    const reverted: string[] = [];
    while (!reverted.includes("2026_11_26_1000_audit_chain")) {
      const step = await migrateDown(db);
      expect(step.length).toBeGreaterThan(0);
      reverted.push(...step);
    }
    expect(Object.keys(migrations)).toContain("2026_11_26_1000_audit_chain");
    const fk = async () =>
      (
        await sql<{ confdeltype: string }>`select confdeltype from pg_constraint
          where conname = 'dossier_events_dossier_id_fkey'`.execute(db)
      ).rows[0]?.confdeltype;
    expect(await fk()).toBe("c");
    // Rows written by the previous version, without chain columns (plain SQL: today's services also write
    // columns that later migrations added, e.g. the dossier's contact details).
    await sql`insert into dossier_events (dossier_id, at, actor_id, actor_role, agency_code, action, from_status, to_status)
      select id, now(), ${clerkId}, 'clerk', agency_code, 'process', status, status from dossiers`.execute(db);
    await sql`insert into dossier_views (dossier_id, viewer_id, viewer_role, agency_code, action)
      select id, ${clerkId}, 'clerk', agency_code, 'open' from dossiers`.execute(db);
    await sql`insert into audit_events (action, entity, entity_id) values ('old', 'test', null), ('old', 'test', '')`.execute(
      db,
    );
    expect(await migrateToLatest(db)).toContain("2026_11_26_1000_audit_chain");
    expect(await fk()).toBe("r");
    const result = await verify(db);
    expect(result).toMatchObject({ ok: true });
    expect(result.tables.find((t) => t.table === "dossier_events")).toEqual({
      table: "dossier_events",
      // Two dossiers: four events each from the workflow, one each written by the previous version.
      rows: 10,
      chains: 2,
    });
    // A null entity id and '' share a chain; order within a chain follows the ids.
    const old = await db
      .selectFrom("audit_events")
      .select(["id", "chain_seq"])
      .where("action", "=", "old")
      .orderBy("id")
      .execute();
    expect(old.map((r) => r.chain_seq)).toEqual([1, 2]);
  });

  it("chains the events seed:year COPYs, and --replace leaves every remaining chain complete", async () => {
    const opts = { scale: "small", seed: 3, dossiers: 150, now: new Date("2025-02-01T00:00:00Z") };
    const first = await seedYear(scratch.ownerUrl, opts);
    expect(first.loaded.events).toBeGreaterThan(150);
    let result = await verify(db);
    expect(result.ok).toBe(true);
    const again = await seedYear(scratch.ownerUrl, { ...opts, replace: true });
    expect(again.replaced).toBe(first.loaded.dossiers);
    result = await verify(db);
    expect(result.ok).toBe(true);
    expect(result.tables.find((t) => t.table === "dossier_events")?.rows).toBeGreaterThanOrEqual(first.loaded.events);
  }, 120_000);
});
