/**
 * Background jobs on PostgreSQL with graphile-worker (docs/decisions/004-job-queue.md): the ENQUEUE side.
 * A job is added with `graphile_worker.add_job` inside the same transaction as the change that needs it, so
 * a notification or a refund is queued exactly when its change commits; running it happens afterwards, in
 * the worker (worker.server.ts), with retries and exponential backoff, and a failed job never rolls the
 * change back.
 *
 * This module imports no task code: services (workflow, payments, imports) depend on it, and the worker
 * depends on them, so the imports run one way only.
 */
import { Logger, runMigrations } from "graphile-worker";
import { sql, type Transaction } from "kysely";
import type { Database } from "../db.server.ts";
import { currentRequestId } from "../observability/request-context.server.ts";

export const MAX_ATTEMPTS = 5;

/** graphile-worker's info lines are noise in tests and demos; warnings and errors still show. */
export const quietLogger = new Logger(() => (level: string, message: string) => {
  if (level === "error" || level === "warning") console.warn(`[jobs] ${message}`);
});

/** Creates or updates graphile-worker's own schema; part of migrating a database. */
export async function migrateJobQueue(connectionString: string): Promise<void> {
  await runMigrations({ connectionString, logger: quietLogger });
}

export async function enqueueNotification(trx: Transaction<Database>, notificationId: number): Promise<void> {
  await enqueueJob(trx, "send_notification", { id: notificationId });
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

/**
 * Queues a job in the caller's transaction. A job queued while serving a request carries that request's id
 * (`requestId` in its payload), which the worker puts on the job's log lines (worker.server.ts).
 */
export async function enqueueJob(
  trx: Transaction<Database>,
  task: string,
  payload: Record<string, unknown>,
  opts: { jobKey?: string } = {},
): Promise<void> {
  const requestId = currentRequestId();
  const body = requestId && payload.requestId === undefined ? { ...payload, requestId } : payload;
  await sql`select graphile_worker.add_job(${task}, ${JSON.stringify(body)}::json, max_attempts := ${MAX_ATTEMPTS}, job_key := ${opts.jobKey ?? null}::text)`.execute(
    trx,
  );
}
