/**
 * Background jobs: the RUN side (docs/decisions/004-job-queue.md). The one place that wires task names to
 * their code and schedules the cron lines. Services enqueue through queue.server.ts and never import this
 * module, so there is no import cycle between the workflow, the payments and the jobs.
 */
import { type Runner, run, type Task } from "graphile-worker";
import type { Kysely } from "kysely";
import { isUuid } from "../../domain/ids/uuid.ts";
import type { Database } from "../db.server.ts";
import { runImport } from "../imports/import-service.server.ts";
import { reconcilePayments, refundPayment } from "../payments/payment-service.server.ts";
import { SETTLEMENT_CRON, SETTLEMENT_TASK, settlementTask } from "../payments/settlement.server.ts";
import { invalidateStats } from "../stats/stats-cache.server.ts";
import { deliverNotification } from "./notify.server.ts";
import { quietLogger } from "./queue.server.ts";
import { sendReminders } from "./reminders.server.ts";

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
  };
}

/**
 * 01:00 UTC = 08:00 in Vietnam, every day: reminders; reconciliation every 2 minutes; 01:30 UTC = 08:30 in
 * Vietnam: yesterday's settlement file from the gateway (back-filled up to 3 days if the worker was down).
 */
export const CRONTAB = crontab(process.env.RECONCILE_CRON);

/**
 * The crontab, with reconciliation's schedule from RECONCILE_CRON (five cron fields; default every 2 minutes).
 * graphile-worker schedules each line once per tick for the whole database, however many instances run a
 * worker (its known_crontabs row is advanced in one statement; tests/ops/cluster.ops.ts checks it).
 */
export function crontab(reconcile: string | undefined): string {
  const schedule = reconcile?.trim() || "*/2 * * * *";
  if (!/^(\S+\s+){4}\S+$/.test(schedule))
    throw new Error(`RECONCILE_CRON: expected five cron fields, got "${schedule}"`);
  return `0 1 * * * send_reminders\n${schedule} reconcile_payments\n${SETTLEMENT_CRON}`;
}

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
