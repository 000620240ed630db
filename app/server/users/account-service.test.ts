/** Registration, sign-in and sessions against real databases (embedded, and real PostgreSQL when configured). */

import type { Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDb, type TestTarget, testTargets } from "../../../tests/test-database.ts";
import type { Database } from "../db.server.ts";
import { createDbSessionStorage } from "../session.server.ts";
import { DuplicateAccountError, registerCitizen, verifyLogin } from "./account-service.server.ts";

describe.each(testTargets())("accounts on $label PostgreSQL", (target: TestTarget) => {
  let db: Kysely<Database>;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ db, close } = await openTestDb(target));
  });
  afterAll(async () => {
    await close();
  });

  it("registers a citizen with an argon2id hash and an audit event", async () => {
    const { id } = await registerCitizen(db, {
      nationalId: "022090000101",
      fullName: "Ngô Văn Test",
      password: "MatKhau2026x",
    });
    const row = await db.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    expect(row.role).toBe("citizen");
    expect(row.password_hash.startsWith("$argon2id$")).toBe(true);
    const events = await db.selectFrom("audit_events").select("action").where("entity_id", "=", id).execute();
    expect(events.map((e) => e.action)).toEqual(["register"]);
  });

  it("refuses a second account for the same national id, also under concurrency", async () => {
    const attempts = await Promise.allSettled(
      Array.from({ length: 4 }, () =>
        registerCitizen(db, { nationalId: "022090000102", fullName: "Trùng Lặp", password: "MatKhau2026x" }),
      ),
    );
    expect(attempts.filter((a) => a.status === "fulfilled")).toHaveLength(1);
    for (const a of attempts.filter((x) => x.status === "rejected")) {
      expect((a as PromiseRejectedResult).reason).toBeInstanceOf(DuplicateAccountError);
    }
    const n = await db
      .selectFrom("users")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("national_id", "=", "022090000102")
      .executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(1);
  });

  it("signs in with the right password only, by national id with or without spaces", async () => {
    await registerCitizen(db, { nationalId: "022090000103", fullName: "Đăng Nhập", password: "MatKhau2026x" });
    expect(await verifyLogin(db, "022090000103", "MatKhau2026x")).toMatchObject({ role: "citizen" });
    expect(await verifyLogin(db, "022 090 000 103", "MatKhau2026x")).toMatchObject({ role: "citizen" });
    expect(await verifyLogin(db, "022090000103", "wrong-password-1")).toBeNull();
    expect(await verifyLogin(db, "022090009999", "MatKhau2026x")).toBeNull();
    expect(await verifyLogin(db, "nobody.here", "MatKhau2026x")).toBeNull();
  });

  it("stores sessions server-side and revokes them on destroy", async () => {
    const { id } = await registerCitizen(db, {
      nationalId: "022090000104",
      fullName: "Phiên",
      password: "MatKhau2026x",
    });
    const storage = createDbSessionStorage(db);
    const session = await storage.getSession();
    session.set("userId", id);
    const cookie = await storage.commitSession(session);
    const again = await storage.getSession(cookie);
    expect(again.get("userId")).toBe(id);
    await storage.destroySession(again);
    const after = await storage.getSession(cookie);
    expect(after.get("userId")).toBeUndefined();
    const rows = await db.selectFrom("sessions").select("id").where("user_id", "=", id).execute();
    expect(rows).toHaveLength(0);
  });
});
