/** Reading stored results and checking their signatures. */
import type { Kysely } from "kysely";
import type { Database } from "../db.server.ts";
import { type ResultPayload, verifyPayload } from "./result-signing.server.ts";

export async function verifyResult(db: Kysely<Database>, verificationCode: string) {
  const row = await db
    .selectFrom("dossier_results")
    .select(["payload", "signature", "key_id", "issued_at", "verification_code"])
    .where("verification_code", "=", verificationCode)
    .executeTakeFirst();
  if (!row) return null;
  const payload = row.payload as ResultPayload;
  return {
    payload,
    keyId: row.key_id,
    verificationCode: row.verification_code,
    valid: verifyPayload(payload, row.signature),
  };
}

export async function resultOfDossier(db: Kysely<Database>, dossierId: string) {
  const row = await db
    .selectFrom("dossier_results")
    .select(["verification_code"])
    .where("dossier_id", "=", dossierId)
    .executeTakeFirst();
  return row ? verifyResult(db, row.verification_code) : null;
}
