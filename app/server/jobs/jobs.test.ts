/** Notifications are queued in the dossier's transaction and delivered by graphile-worker, on both databases. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { runOnce } from "graphile-worker";
import type { Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertOneProcedure } from "../../../tests/fixtures.ts";
import { openTestDb, type ScratchDatabase, type TestTarget, testTargets } from "../../../tests/test-database.ts";
import type { Database } from "../db.server.ts";
import { enqueueNotification } from "./queue.server.ts";
import { taskList } from "./worker.server.ts";

describe.each(testTargets())("notification jobs on $label PostgreSQL", (target: TestTarget) => {
  let db: Kysely<Database>;
  let scratch: ScratchDatabase;
  let close: () => Promise<void>;
  let userId: string;
  const outbox = fs.mkdtempSync(path.join(os.tmpdir(), "portal-outbox-"));

  beforeAll(async () => {
    ({ db, scratch, close } = await openTestDb(target));
    process.env.OUTBOX_DIR = outbox;
    delete process.env.SMTP_URL;
    userId = (
      await db
        .insertInto("users")
        .values({
          role: "citizen",
          national_id: "022090000401",
          full_name: "Người Nhận",
          email: "nguoinhan@example.vn",
          password_hash: "x",
        })
        .returning("id")
        .executeTakeFirstOrThrow()
    ).id;
  });
  afterAll(async () => {
    await close();
  });

  it("queues nothing when the transaction rolls back, and delivers once to the outbox when it commits", async () => {
    await expect(
      db.transaction().execute(async (trx) => {
        const n = await trx
          .insertInto("notifications")
          .values({
            user_id: userId,
            kind: "status_changed",
            data: JSON.stringify({ code: "X-1", status: "received" }),
          })
          .returning("id")
          .executeTakeFirstOrThrow();
        await enqueueNotification(trx, n.id);
        throw new Error("the dossier change failed");
      }),
    ).rejects.toThrow("the dossier change failed");

    const committed = await db.transaction().execute(async (trx) => {
      const n = await trx
        .insertInto("notifications")
        .values({ user_id: userId, kind: "status_changed", data: JSON.stringify({ code: "X-2", status: "received" }) })
        .returning("id")
        .executeTakeFirstOrThrow();
      await enqueueNotification(trx, n.id);
      return n.id;
    });
    await runOnce({ connectionString: scratch.url, taskList: taskList(db) });

    const rows = await db.selectFrom("notifications").select(["id", "sent_at", "sent_via", "attempts"]).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: committed, sent_via: "outbox", attempts: 1 });
    const text = fs.readFileSync(path.join(outbox, `notification-${committed}.txt`), "utf8");
    expect(text).toContain("Subject: Hồ sơ X-2 có cập nhật mới");
    expect(text).toContain("Được tiếp nhận");
  });

  it("records a failed send and leaves it for a retry", async () => {
    process.env.SMTP_URL = "smtp://127.0.0.1:1"; // nothing listens there
    const id = await db.transaction().execute(async (trx) => {
      const n = await trx
        .insertInto("notifications")
        .values({
          user_id: userId,
          kind: "status_changed",
          data: JSON.stringify({ code: "X-3", status: "processing" }),
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await enqueueNotification(trx, n.id);
      return n.id;
    });
    await runOnce({ connectionString: scratch.url, taskList: taskList(db) });
    delete process.env.SMTP_URL;
    const row = await db
      .selectFrom("notifications")
      .select(["sent_at", "attempts", "last_error"])
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    expect(row.sent_at).toBeNull();
    expect(row.attempts).toBe(1);
    expect(row.last_error).toBeTruthy();
    const job = await db
      .selectFrom("graphile_worker.jobs" as never)
      .selectAll()
      .execute();
    expect(job.length).toBeGreaterThanOrEqual(1);
  });
});

describe.each(testTargets())("reminders on $label PostgreSQL", (target: TestTarget) => {
  it("reminds a citizen whose supplement has waited two working days, once a day", async () => {
    const { db, close } = await openTestDb(target);
    try {
      const { sendReminders } = await import("./reminders.server.ts");
      await insertOneProcedure(db);
      const user = await db
        .insertInto("users")
        .values({ role: "citizen", national_id: "022090000501", full_name: "A", password_hash: "x" })
        .returning("id")
        .executeTakeFirstOrThrow();
      const base = {
        procedure_code: "1.1",
        agency_code: "000.00.31.H99",
        receiving_agency_code: "000.00.31.H99",
        applicant_id: user.id,
        applicant_national_id: "022090000501",
        applicant_name: "A",
        channel: "online",
      };
      // Monday 10 March 2025 10:00 (Vietnam) the supplement was requested.
      await db
        .insertInto("dossiers")
        .values([
          {
            ...base,
            code: "000.00.31.H99-250310-0001",
            status: "supplement_requested",
            paused_at: new Date("2025-03-10T03:00:00Z"),
            received_at: new Date("2025-03-07T03:00:00Z"),
          },
          { ...base, code: "000.00.31.H99-250310-0002", status: "processing" },
        ])
        .execute();
      expect(await sendReminders(db, new Date("2025-03-11T03:00:00Z"))).toBe(0); // one working day later: too soon
      expect(await sendReminders(db, new Date("2025-03-12T03:30:00Z"))).toBe(1); // two working days later
      expect(await sendReminders(db, new Date("2025-03-12T09:00:00Z"))).toBe(0); // not twice the same day
      const notes = await db.selectFrom("notifications").select("kind").execute();
      expect(notes.map((n) => n.kind)).toEqual(["reminder"]);
    } finally {
      await close();
    }
  });
});
