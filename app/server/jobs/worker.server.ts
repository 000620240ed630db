/**
 * Background jobs: the RUN side (docs/decisions/004-job-queue.md). The one place that wires task names to
 * their code and schedules the cron lines. Services enqueue through queue.server.ts and never import this
 * module, so there is no import cycle between the workflow, the payments and the jobs.
 */
import { type Runner, run, type Task } from "graphile-worker";
import type { Kysely } from "kysely";
import type { Logger } from "pino";
import { isUuid } from "../../domain/ids/uuid.ts";
import type { Database } from "../db.server.ts";
import { runImport } from "../imports/import-service.server.ts";
import { logger as processLogger } from "../observability/logger.server.ts";
import { reconcilePayments, refundPayment } from "../payments/payment-service.server.ts";
import { SETTLEMENT_CRON, SETTLEMENT_TASK, settlementTask } from "../payments/settlement.server.ts";
import { invalidateStats } from "../stats/stats-cache.server.ts";
import { deliverNotification } from "./notify.server.ts";
import { quietLogger } from "./queue.server.ts";
import { sendReminders } from "./reminders.server.ts";

/**
 * Each task logs one JSON line when it ends (job id, task, attempt, duration, and `requestId` when the job was
 * queued while serving a request: the request's log line has the same id), or an error line when it fails.
 */
export function withJobLogs(tasks: Record<string, Task>, log: Logger = processLogger): Record<string, Task> {
  return Object.fromEntries(
    Object.entries(tasks).map(([name, task]): [string, Task] => [
      name,
      async (payload, helpers) => {
        const requestId = (payload as { requestId?: unknown } | null)?.requestId;
        const jobLog = log.child({
          jobId: String(helpers.job.id),
          task: name,
          attempt: helpers.job.attempts,
          ...(typeof requestId === "string" ? { requestId } : {}),
        });
        const started = performance.now();
        try {
          await task(payload, helpers);
          jobLog.info({ durationMs: Math.round(performance.now() - started) }, "job done");
        } catch (error) {
          jobLog.error({ durationMs: Math.round(performance.now() - started), err: error }, "job failed");
          throw error;
        }
      },
    ]),
  );
}

export function taskList(db: Kysely<Database>): Record<string, Task> {
  return withJobLogs({
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
      if (isUuid(id)) {
        await runImport(db, id);
        // Imported dossiers change the counts: dashboards recompute at once rather than after their cache time.
        invalidateStats(db);
      }
    },
    [SETTLEMENT_TASK]: settlementTask(db),
    send_notification: async (payload) => {
      const id = Number((payload as { id?: unknown })?.id);
      if (!Number.isInteger(id)) return; // malformed job: nothing to retry
      await deliverNotification(db, id);
    },
  });
}

/**
 * 01:00 UTC = 08:00 in Vietnam, every day: reminders; reconciliation every 2 minutes; 01:30 UTC = 08:30 in
 * Vietnam: yesterday's settlement file from the gateway (back-filled up to 3 days if the worker was down).
 */
export const CRONTAB = `0 1 * * * send_reminders\n*/2 * * * * reconcile_payments\n${SETTLEMENT_CRON}`;

export async function startWorker(connectionString: string, db: Kysely<Database>): Promise<Runner> {
  return run({
    connectionString,
    concurrency: 2,
    noHandleSignals: true,
    pollInterval: 2000,
    taskList: taskList(db),
    crontab: CRONTAB,
    logger: quietLogger,
  });
}
