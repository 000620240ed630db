/**
 * Server-side sessions: the cookie carries only a signed random id; the data and the link to the
 * user live in the `sessions` table, so signing out (or an admin) can revoke a session for good.
 *
 * Reading who is signed in (`userOf`) is one query (session joined with its user), kept for
 * SESSION_CACHE_MS in this process so that the several loaders of one page, and a user's requests in quick
 * succession, share it. Signing out, or any change to a session through this storage, drops the entry at
 * once in this process; another instance sees a revocation made elsewhere (or directly in the database)
 * within SESSION_CACHE_MS (docs/performance.md).
 */
import crypto from "node:crypto";
import { createCookie, createSessionStorage } from "@remix-run/node";
import type { Kysely } from "kysely";
import { memo } from "./cache.server.ts";
import { type Database, db } from "./db.server.ts";
import { cookieSecure, sessionSecret } from "./env.server.ts";

export const SESSION_TTL_SECONDS = 60 * 60 * 8;

/** How long one process may answer "who is this?" from memory: the bound on a revocation made elsewhere. */
export const SESSION_CACHE_MS = 2_000;

export type SessionUserRow = {
  id: string;
  role: string;
  full_name: string;
  national_id: string | null;
  username: string | null;
  email: string | null;
  agency_code: string | null;
  duties: string[];
};

export type SessionData = { userId: string };

const sessionCookie = createCookie("portal_session", {
  httpOnly: true,
  sameSite: "lax",
  path: "/",
  secure: cookieSecure(),
  secrets: [sessionSecret()],
  maxAge: SESSION_TTL_SECONDS,
});

export function createDbSessionStorage(db: Kysely<Database>) {
  const users = memo<SessionUserRow | null>(SESSION_CACHE_MS, 10_000);
  const storage = createSessionStorage<SessionData>({
    cookie: sessionCookie,
    async createData(data, expires) {
      const id = crypto.randomBytes(32).toString("base64url");
      await db
        .insertInto("sessions")
        .values({
          id,
          user_id: data.userId ?? null,
          data: JSON.stringify(data),
          expires_at: expires ?? new Date(Date.now() + SESSION_TTL_SECONDS * 1000),
        })
        .execute();
      return id;
    },
    async readData(id) {
      const row = await db
        .selectFrom("sessions")
        .select(["data"])
        .where("id", "=", id)
        .where("expires_at", ">", new Date())
        .executeTakeFirst();
      return (row?.data as Partial<SessionData> | undefined) ?? null;
    },
    async updateData(id, data, expires) {
      users.delete(id);
      await db
        .updateTable("sessions")
        .set({
          data: JSON.stringify(data),
          user_id: data.userId ?? null,
          expires_at: expires ?? new Date(Date.now() + SESSION_TTL_SECONDS * 1000),
        })
        .where("id", "=", id)
        .execute();
      users.delete(id);
    },
    async deleteData(id) {
      users.delete(id);
      await db.deleteFrom("sessions").where("id", "=", id).execute();
      // Again: a read that started before the delete may have put the user back meanwhile.
      users.delete(id);
    },
  });
  return Object.assign(storage, {
    /** The user signed in with this Cookie header (an unexpired session of an existing user), or null. */
    async userOf(cookieHeader: string | null): Promise<SessionUserRow | null> {
      if (!cookieHeader?.includes("portal_session=")) return null;
      const id: unknown = await sessionCookie.parse(cookieHeader);
      if (typeof id !== "string" || id === "") return null;
      return users.get(id, async () => {
        const row = await db
          .selectFrom("sessions as s")
          .innerJoin("users as u", "u.id", "s.user_id")
          .select([
            "u.id",
            "u.role",
            "u.full_name",
            "u.national_id",
            "u.username",
            "u.email",
            "u.agency_code",
            "u.duties",
          ])
          .where("s.id", "=", id)
          .where("s.expires_at", ">", new Date())
          .where("u.disabled_at", "is", null)
          .executeTakeFirst();
        return row ?? null;
      });
    },
  });
}

export const sessionStorage = createDbSessionStorage(db);

export function getSession(request: Request) {
  return sessionStorage.getSession(request.headers.get("Cookie"));
}
