/**
 * Server-side sessions: the cookie carries only a signed random id; the data and the link to the
 * user live in the `sessions` table, so signing out (or an admin) can revoke a session for good.
 */
import crypto from "node:crypto";
import { createCookie, createSessionStorage } from "@remix-run/node";
import type { Kysely } from "kysely";
import { type Database, db } from "./db.server.ts";
import { cookieSecure, sessionSecret } from "./env.server.ts";

export const SESSION_TTL_SECONDS = 60 * 60 * 8;

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
  return createSessionStorage<SessionData>({
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
      await db
        .updateTable("sessions")
        .set({
          data: JSON.stringify(data),
          user_id: data.userId ?? null,
          expires_at: expires ?? new Date(Date.now() + SESSION_TTL_SECONDS * 1000),
        })
        .where("id", "=", id)
        .execute();
    },
    async deleteData(id) {
      await db.deleteFrom("sessions").where("id", "=", id).execute();
    },
  });
}

export const sessionStorage = createDbSessionStorage(db);

export function getSession(request: Request) {
  return sessionStorage.getSession(request.headers.get("Cookie"));
}
