/**
 * Background jobs: the RUN side (docs/decisions/004-job-queue.md). The one place that wires task names to
 * their code and schedules the cron lines. Services enqueue through queue.server.ts and never import this
 * module, so there is no import cycle between the workflow, the payments and the jobs.
 */
import { EventEmitter } from "node:events";
import os from "node:os";
import { makeWorkerUtils, type Runner, run, type Task, type WorkerEvents } from "graphile-worker";
import type { Kysely } from "kysely";
import pg from "pg";
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
      await reconcilePayments(db, new Date(), { olderThanMinutes: reconcileAfterMinutes() });
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
/**
 * PAYMENT_RECONCILE_AFTER_MINUTES (default 2): a pending order younger than this is left to its IPN; older
 * ones are asked about with querydr. Lower it to book payments whose IPN failed sooner.
 */
export function reconcileAfterMinutes(): number {
  const v = Number(process.env.PAYMENT_RECONCILE_AFTER_MINUTES ?? 2);
  return Number.isFinite(v) && v >= 0 ? v : 2;
}

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

/**
 * This instance's name for the job queue: INSTANCE_ID, else host name and port. It must stay the same across
 * restarts of one instance (a service or container name), and differ between instances.
 */
export function instanceId(): string {
  return process.env.INSTANCE_ID?.trim() || `${os.hostname()}:${process.env.PORT ?? 3000}`;
}

/**
 * Jobs locked by the workers of this instance's previous run are unlocked (that run is over: an instance with
 * this id cannot run twice), then this run's worker ids are recorded. A crash thus delays a job until the
 * instance is back, instead of graphile-worker's 4-hour lock expiry.
 */
async function releaseCrashedWorkers(pgPool: pg.Pool, db: Kysely<Database>, current: string[]) {
  const instance = instanceId();
  const previous = await db
    .selectFrom("job_worker_instances")
    .select("worker_id")
    .where("instance", "=", instance)
    .execute();
  const stale = previous.map((r) => r.worker_id);
  if (stale.length > 0) {
    const utils = await makeWorkerUtils({ pgPool, logger: quietLogger });
    try {
      await utils.forceUnlockWorkers(stale);
    } finally {
      await utils.release();
    }
    await db.deleteFrom("job_worker_instances").where("worker_id", "in", stale).execute();
  }
  if (current.length > 0)
    await db
      .insertInto("job_worker_instances")
      .values(current.map((worker_id) => ({ worker_id, instance, started_at: new Date() })))
      .onConflict((oc) => oc.column("worker_id").doNothing())
      .execute();
  return stale.length;
}

/**
 * The job worker's connections. graphile-worker listens for errors on the clients of a pool it is running on,
 * and takes its listeners off when a runner stops; a client that fails after that (its LISTEN connection during
 * a PostgreSQL restart, say: "Connection terminated unexpectedly" after the FATAL 57P01) had no listener, and an
 * unhandled 'error' event ended the whole process (seen in faults.ops.ts). This pool's listeners are never
 * removed: a failed client is logged and dropped, and the next query reconnects. It outlives the runners that
 * replace each other after a database error, and is closed with the worker.
 */
function jobPool(connectionString: string): pg.Pool {
  const pool = new pg.Pool({ connectionString, max: 10 });
  pool.on("error", (error) => processLogger.warn({ err: error }, "job queue: idle database connection failed"));
  pool.on("connect", (client) => {
    client.on("error", (error) => processLogger.warn({ err: error }, "job queue: database connection failed"));
  });
  return pool;
}

/** The running job worker: graphile-worker's runner, replaced when its pool stops by itself. */
export type JobWorker = { stop(): Promise<void> };

export async function startWorker(
  connectionString: string,
  db: Kysely<Database>,
  log: (message: string) => void = () => {},
): Promise<JobWorker> {
  let stopping = false;
  let current: Runner | undefined;
  const pgPool = jobPool(connectionString);
  const launch = async (): Promise<void> => {
    // The id this run locks jobs with (graphile-worker's worker pool id, the jobs' locked_by).
    const events: WorkerEvents = new EventEmitter() as WorkerEvents;
    const poolIds: string[] = [];
    events.on("pool:create", ({ workerPool }) => poolIds.push(workerPool.id));
    // graphile-worker stops a pool that could not record a job's end (e.g. while PostgreSQL restarts); that
    // job would stay locked for 4 hours. The pool is ours and gone: free its jobs and start a new one.
    events.on("worker:fatalError", () => {
      if (stopping) return;
      setTimeout(() => void recover(poolIds), 2000);
    });
    current = await run({
      pgPool,
      events,
      concurrency: 2,
      noHandleSignals: true,
      pollInterval: 2000,
      taskList: taskList(db),
      crontab: CRONTAB,
      logger: quietLogger,
    });
    // Its promise rejects when the pool gives up: unhandled, that would end the whole process.
    current.promise.catch((error: unknown) => {
      if (stopping) return;
      console.error(`Job queue stopped: ${error instanceof Error ? error.message : String(error)}; restarting it`);
      setTimeout(() => void recover(poolIds), 2000);
    });
    const released = await releaseCrashedWorkers(pgPool, db, poolIds);
    if (released > 0)
      log(
        `Job queue: released the jobs locked by this instance's previous run (${released} worker pool(s) of ${instanceId()})`,
      );
  };
  let recovering = false;
  const recover = async (deadPools: string[]) => {
    if (recovering || stopping) return;
    recovering = true;
    try {
      // The old runner is mostly gone already; do not wait on it for long.
      await Promise.race([current?.stop().catch(() => {}), new Promise((r) => setTimeout(r, 5000))]);
      for (let attempt = 0; attempt < 30 && !stopping; attempt++) {
        try {
          const utils = await makeWorkerUtils({ pgPool, logger: quietLogger });
          try {
            await utils.forceUnlockWorkers(deadPools);
          } finally {
            await utils.release();
          }
          await launch();
          log(`Job queue: a worker pool stopped after a database error; its jobs were released and a new pool started`);
          return;
        } catch {
          await new Promise((r) => setTimeout(r, 2000));
        }
      }
    } finally {
      recovering = false;
    }
  };
  await launch();
  return {
    async stop() {
      stopping = true;
      await current?.stop();
      await pgPool.end();
    },
  };
}
