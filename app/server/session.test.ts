/**
 * Who is signed in, read through the session cache (session.server.ts): a sign-out in this process takes
 * effect at once; a session deleted elsewhere (another instance, an admin in the database) stops working
 * within SESSION_CACHE_MS.
 */
import type { Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDb, type TestTarget, testTargets } from "../../tests/test-database.ts";
import type { Database } from "./db.server.ts";
import { createDbSessionStorage, SESSION_CACHE_MS } from "./session.server.ts";
import { registerCitizen } from "./users/account-service.server.ts";

describe.each(testTargets())("session users on $label PostgreSQL", (target: TestTarget) => {
  let db: Kysely<Database>;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ db, close } = await openTestDb(target));
  });
  afterAll(async () => {
    await close();
  });

  async function signedIn(nationalId: string) {
    const { id } = await registerCitizen(db, { nationalId, fullName: "Phiên Thử", password: "MatKhau2026x" });
    const storage = createDbSessionStorage(db);
    const session = await storage.getSession();
    session.set("userId", id);
    const cookie = (await storage.commitSession(session)).split(";")[0] ?? "";
    return { id, storage, cookie };
  }

  it("finds the user of a session cookie, and nobody for a missing, forged or signed-out one", async () => {
    const { id, storage, cookie } = await signedIn("022090000201");
    expect(await storage.userOf(cookie)).toMatchObject({ id, role: "citizen", full_name: "Phiên Thử" });
    expect(await storage.userOf(null)).toBeNull();
    expect(await storage.userOf(`${cookie.slice(0, -3)}xyz`)).toBeNull();

    await storage.destroySession(await storage.getSession(cookie));
    expect(await storage.userOf(cookie)).toBeNull();
  });

  it("stops answering for a session deleted behind its back within SESSION_CACHE_MS", async () => {
    const { id, storage, cookie } = await signedIn("022090000202");
    expect(await storage.userOf(cookie)).toMatchObject({ id });
    await db.deleteFrom("sessions").where("user_id", "=", id).execute();
    await new Promise((r) => setTimeout(r, SESSION_CACHE_MS + 50));
    expect(await storage.userOf(cookie)).toBeNull();
  });
});
