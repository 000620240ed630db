/** Append-only audit trail of everything that changes state (who, when, what, data). */
import type { Kysely, Transaction } from "kysely";
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
