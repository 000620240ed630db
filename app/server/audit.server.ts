/**
 * Append-only audit trail of everything that changes state (who, when, what, data). The database chains
 * every row (hash of the previous one in its chain) and refuses UPDATE, DELETE and TRUNCATE of history
 * (migration 2026_11_26_1000_audit_chain; `npm run audit:verify` checks the chains).
 */
import { type Kysely, sql, type Transaction } from "kysely";
import type { Database } from "./db.server.ts";

export type AuditInput = {
  actorId: string | null;
  action: string;
  entity: string;
  entityId?: string | null;
  data?: Record<string, unknown>;
};

export async function recordAudit(trx: Transaction<Database> | Kysely<Database>, input: AuditInput): Promise<void> {
  await trx
    .insertInto("audit_events")
    .values({
      actor_id: input.actorId,
      action: input.action,
      entity: input.entity,
      entity_id: input.entityId ?? null,
      data: JSON.stringify(input.data ?? {}),
    })
    .execute();
}

/**
 * Runs `fn` in one transaction with the maintenance switch on (SET LOCAL portal.maintenance = 'on'), so the
 * owner role or a superuser may UPDATE, DELETE or TRUNCATE audit_events, dossier_events and dossier_views
 * (the app role has no such grant anyway). For maintenance scripts and tests only: a changed or deleted row
 * breaks its chain, and audit:verify reports it unless the chain heads are repaired too.
 */
export async function withMaintenance<T>(
  db: Kysely<Database>,
  fn: (trx: Transaction<Database>) => Promise<T>,
): Promise<T> {
  return db.transaction().execute(async (trx) => {
    await sql`select set_config('portal.maintenance', 'on', true)`.execute(trx);
    return fn(trx);
  });
}
