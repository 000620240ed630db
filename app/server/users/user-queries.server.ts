/** Account listings for the admin page. */
import type { Kysely } from "kysely";
import type { Database } from "../db.server.ts";

export async function usersByRole(db: Kysely<Database>) {
  const rows = await db
    .selectFrom("users")
    .select((eb) => ["role", eb.fn.countAll<number>().as("n")])
    .groupBy("role")
    .orderBy("role")
    .execute();
  return rows.map((r) => ({ role: r.role, count: Number(r.n) }));
}

export async function staffAccounts(db: Kysely<Database>) {
  return db
    .selectFrom("users as u")
    .leftJoin("agencies as a", "a.code", "u.agency_code")
    .select(["u.username", "u.full_name", "u.role", "u.agency_code", "a.name_vi", "a.name_en"])
    .where("u.role", "<>", "citizen")
    .orderBy("u.role")
    .orderBy("u.username")
    .execute();
}

export async function recentSignIns(db: Kysely<Database>, userId: string, limit = 5) {
  return db
    .selectFrom("audit_events")
    .select(["at", "action"])
    .where("actor_id", "=", userId)
    .where("action", "in", ["sign_in", "sign_out", "register"])
    .orderBy("at", "desc")
    .limit(limit)
    .execute();
}

/** A citizen's latest notifications (the same ones the job queue delivers by e-mail or to the outbox). */
export async function citizenNotifications(db: Kysely<Database>, userId: string, limit = 100) {
  const rows = await db
    .selectFrom("notifications")
    .select(["id", "dossier_id", "data", "created_at", "read_at"])
    .where("user_id", "=", userId)
    .orderBy("created_at", "desc")
    .limit(limit)
    .execute();
  return rows.map((r) => {
    const d = r.data as { code?: string; status?: string };
    return {
      id: r.id,
      dossierId: r.dossier_id,
      code: d.code ?? "",
      status: d.status ?? "",
      at: r.created_at.toISOString(),
      unread: !r.read_at,
    };
  });
}
