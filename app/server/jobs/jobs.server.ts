/**
 * Background jobs on PostgreSQL with graphile-worker (docs/decisions/004-job-queue.md). A job is
 * added with `graphile_worker.add_job` inside the same transaction as the change that needs it, so
 * a notification is queued exactly when its dossier change commits; sending happens afterwards, with
 * retries and exponential backoff, and a failed send never rolls the dossier back.
 */
import { Logger, type Runner, run, runMigrations, type Task } from "graphile-worker";
import { type Kysely, sql, type Transaction } from "kysely";
import { isUuid } from "../../domain/ids/uuid.ts";
import type { Database } from "../db.server.ts";
import { runImport } from "../imports/import-service.server.ts";
import { reconcilePayments, refundPayment } from "../payments/payment-service.server.ts";
import { deliverNotification } from "./notify.server.ts";
import { sendReminders } from "./reminders.server.ts";

export const MAX_ATTEMPTS = 5;

/** Creates or updates graphile-worker's own schema; part of migrating a database. */
export async function migrateJobQueue(connectionString: string): Promise<void> {
  await runMigrations({ connectionString, logger: quietLogger });
}

export async function enqueueNotification(trx: Transaction<Database>, notificationId: number): Promise<void> {
  await sql`select graphile_worker.add_job('send_notification', json_build_object('id', ${notificationId}::bigint), max_attempts := ${MAX_ATTEMPTS})`.execute(
    trx,
  );
}

/**
 * Stores a notification for the citizen and queues its delivery, inside the caller's transaction:
 * both happen exactly when the change they report commits.
 */
export async function notifyApplicant(
  trx: Transaction<Database>,
  input: {
    userId: string;
    dossierId: string;
    kind: "status_changed" | "apology" | "reminder";
    data: Record<string, unknown>;
    now: Date;
  },
): Promise<void> {
  const note = await trx
    .insertInto("notifications")
    .values({
      user_id: input.userId,
      dossier_id: input.dossierId,
      kind: input.kind,
      data: JSON.stringify(input.data),
      created_at: input.now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await enqueueNotification(trx, note.id);
}

export async function enqueueJob(
  trx: Transaction<Database>,
  task: string,
  payload: Record<string, unknown>,
): Promise<void> {
  await sql`select graphile_worker.add_job(${task}, ${JSON.stringify(payload)}::json, max_attempts := ${MAX_ATTEMPTS})`.execute(
    trx,
  );
}

export function taskList(db: Kysely<Database>): Record<string, Task> {
  return {
    send_reminders: async () => {
      await sendReminders(db, new Date());
    },
    refund_payment: async (payload) => {
      const id = String((payload as { id?: unknown })?.id ?? "");
      if (isUuid(id)) await refundPayment(db, id, new Date());
    },
    reconcile_payments: async () => {
      await reconcilePayments(db, new Date());
    },
    import_dossiers: async (payload) => {
      const id = String((payload as { id?: unknown })?.id ?? "");
      if (isUuid(id)) await runImport(db, id);
    },
    send_notification: async (payload) => {
      const id = Number((payload as { id?: unknown })?.id);
      if (!Number.isInteger(id)) return; // malformed job: nothing to retry
      await deliverNotification(db, id);
    },
  };
}

export async function startWorker(connectionString: string, db: Kysely<Database>): Promise<Runner> {
  return run({
    connectionString,
    concurrency: 2,
    noHandleSignals: true,
    pollInterval: 2000,
    taskList: taskList(db),
    // 01:00 UTC = 08:00 in Vietnam, every day.
    crontab: "0 1 * * * send_reminders\n*/2 * * * * reconcile_payments",
    logger: quietLogger,
  });
}

/** graphile-worker's info lines are noise in tests and demos; warnings and errors still show. */
const quietLogger = new Logger(() => (level: string, message: string) => {
  if (level === "error" || level === "warning") console.warn(`[jobs] ${message}`);
});
