/**
 * Prometheus metrics (prom-client), served at /metrics (app/routes/metrics.ts). One registry per process,
 * kept on globalThis because server.ts (which times requests) and the Remix build (payments, the /metrics
 * route) are separate bundles. Names and labels are listed in docs/operations-runbook.md, "Signals".
 *
 * Labels stay few: the HTTP histogram is labelled by ROUTE PATTERN (the Remix route id, e.g.
 * `routes/dossiers.$code`), never by the raw URL, so a crawler cannot grow the series without bound.
 */
import { type Kysely, sql } from "kysely";
import type pg from "pg";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

export type PortalMetrics = {
  registry: Registry;
  httpDuration: Histogram<"method" | "route" | "status">;
  paymentOutcomes: Counter<"outcome" | "event">;
  jobQueue: Gauge<"state">;
  pools: Map<string, pg.Pool>;
};

function create(): PortalMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "portal_" });
  const pools = new Map<string, pg.Pool>();
  const poolGauge = (name: string, help: string, read: (p: pg.Pool) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ["pool"],
      registers: [registry],
      collect() {
        this.reset();
        for (const [pool, p] of pools) this.set({ pool }, read(p));
      },
    });
  poolGauge(
    "portal_db_pool_connections",
    "Connections held by the database pool (pg Pool totalCount).",
    (p) => p.totalCount,
  );
  poolGauge("portal_db_pool_idle", "Idle connections in the database pool (pg Pool idleCount).", (p) => p.idleCount);
  poolGauge(
    "portal_db_pool_waiting",
    "Queries waiting for a free connection of the database pool (pg Pool waitingCount).",
    (p) => p.waitingCount,
  );
  return {
    registry,
    pools,
    httpDuration: new Histogram({
      name: "portal_http_request_duration_seconds",
      help: "Time to answer an HTTP request, by method, route pattern (Remix route id) and status.",
      labelNames: ["method", "route", "status"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    paymentOutcomes: new Counter({
      name: "portal_payment_outcomes_total",
      help: "Payment state changes recorded by this process, by resulting status and the event that caused it.",
      labelNames: ["outcome", "event"],
      registers: [registry],
    }),
    jobQueue: new Gauge({
      name: "portal_job_queue_jobs",
      help: "Jobs in graphile-worker's queue, by state (ready, scheduled, running, failed), read at each scrape.",
      labelNames: ["state"],
      registers: [registry],
    }),
  };
}

const holder = globalThis as unknown as { __portalMetrics?: PortalMetrics };
holder.__portalMetrics ??= create();
export const metrics: PortalMetrics = holder.__portalMetrics;

/** Makes a pg Pool's usage visible as portal_db_pool_* (label `pool`). */
export function watchPool(name: string, pool: pg.Pool): void {
  metrics.pools.set(name, pool);
}

/** Reads the job queue's depth from graphile-worker's table into portal_job_queue_jobs. */
export async function readJobQueue(db: Kysely<any>): Promise<void> {
  const row = await sql<{ ready: number; scheduled: number; running: number; failed: number }>`
    select
      count(*) filter (where locked_at is null and attempts < max_attempts and run_at <= now())::int as ready,
      count(*) filter (where locked_at is null and attempts < max_attempts and run_at > now())::int as scheduled,
      count(*) filter (where locked_at is not null)::int as running,
      count(*) filter (where attempts >= max_attempts)::int as failed
    from graphile_worker._private_jobs`.execute(db);
  const counts = row.rows[0] ?? { ready: 0, scheduled: 0, running: 0, failed: 0 };
  for (const state of ["ready", "scheduled", "running", "failed"] as const)
    metrics.jobQueue.set({ state }, counts[state]);
}

/** The exposition text, the job queue read first (a failed read leaves the gauge out, not the scrape). */
export async function metricsText(db: Kysely<any>): Promise<string> {
  try {
    await readJobQueue(db);
  } catch {
    metrics.jobQueue.reset();
  }
  return metrics.registry.metrics();
}

export const metricsContentType = Registry.PROMETHEUS_CONTENT_TYPE;
