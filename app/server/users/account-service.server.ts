/** Accounts: citizen registration and credential checks. Takes `db` so tests run it on any database. */
import type { Kysely } from "kysely";
import { isRole, type Role } from "../../domain/access/permissions.ts";
import { recordAudit } from "../audit.server.ts";
import type { Database } from "../db.server.ts";
import { dummyPasswordHash, hashPassword, verifyPassword } from "../password.server.ts";

/** Citizens sign in with their 12-digit ID number, staff with their account name. */
export async function verifyLogin(
  db: Kysely<Database>,
  identifier: string,
  password: string,
): Promise<{ id: string; role: Role } | null> {
  const normalised = identifier.replace(/[\s.-]/g, "");
  const isNationalId = /^\d{12}$/.test(normalised);
  const row = await db
    .selectFrom("users")
    .select(["id", "role", "password_hash", "disabled_at"])
    .$if(isNationalId, (q) => q.where("national_id", "=", normalised))
    .$if(!isNationalId, (q) => q.where("username", "=", identifier.trim().toLowerCase()))
    .executeTakeFirst();
  if (!row) {
    await verifyPassword(await dummyPasswordHash(), password);
    return null;
  }
  if (!(await verifyPassword(row.password_hash, password)) || !isRole(row.role)) return null;
  // An account disabled by a reorganisation (its unit was abolished) cannot sign in.
  if (row.disabled_at) return null;
  return { id: row.id, role: row.role };
}

export class DuplicateAccountError extends Error {
  override name = "DuplicateAccountError";
}

export async function registerCitizen(
  db: Kysely<Database>,
  input: {
    nationalId: string;
    fullName: string;
    email?: string;
    password: string;
  },
): Promise<{ id: string }> {
  const passwordHash = await hashPassword(input.password);
  return db.transaction().execute(async (trx) => {
    const created = await trx
      .insertInto("users")
      .values({
        role: "citizen",
        national_id: input.nationalId,
        full_name: input.fullName,
        email: input.email ?? null,
        password_hash: passwordHash,
      })
      .onConflict((oc) => oc.column("national_id").doNothing())
      .returning("id")
      .executeTakeFirst();
    if (!created) throw new DuplicateAccountError();
    await recordAudit(trx, { actorId: created.id, action: "register", entity: "user", entityId: created.id });
    return created;
  });
}
