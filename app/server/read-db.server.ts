/**
 * Where heavy reads go (ADR 022): with REPLICA_DATABASE_URL, statistics, drill-downs, their CSV exports and
 * the open-data API read from a PostgreSQL streaming replica, chosen per request. The replica is used only
 * while its staleness stays within REPLICA_MAX_LAG_MS (default 10 s); otherwise, or when it cannot be reached,
 * the request reads the primary and the page says so.
 *
 * Staleness is measured, not assumed: the replica has replayed everything up to `pg_last_wal_replay_lsn()`.
 * When that is at or past the primary's flushed WAL position, it is caught up (lag 0). Otherwise every
 * change it lacks was committed after its last replayed commit, so `now - pg_last_xact_replay_timestamp()`
 * bounds how old its data can be. The check is made at most once per REPLICA_CHECK_MS (1 s) per instance.
 */
import type { Kysely } from "kysely";
import { sql } from "kysely";
import { createDb, type Database, db } from "./db.server.ts";

export type ReadChoice = {
  db: Kysely<Database>;
  source: "primary" | "replica";
  /** No replica configured: nothing to tell the reader. */
  configured: boolean;
  /** The replica's measured staleness in ms (when it was checked). */
  lagMs: number | null;
  /** The replica's data is at least this recent. */
  asOf: Date | null;
  /** Why the primary was read although a replica is configured. */
  fallback?: "lagging" | "unavailable";
  maxLagMs: number;
};

function nonNegative(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const v = Number(raw);
  if (!Number.isFinite(v) || v < 0)
    throw new Error(`Invalid environment configuration:\n  ${name}: expected a number of milliseconds ≥ 0`);
  return v;
}

export const REPLICA_MAX_LAG_MS = nonNegative("REPLICA_MAX_LAG_MS", 10_000);
const REPLICA_CHECK_MS = nonNegative("REPLICA_CHECK_MS", 1_000);

const globalForReplica = globalThis as unknown as { __portalReplicaDb?: Kysely<Database> };

function replicaDb(): Kysely<Database> | undefined {
  const url = process.env.REPLICA_DATABASE_URL;
  if (!url) return undefined;
  globalForReplica.__portalReplicaDb ??= createDb(url);
  return globalForReplica.__portalReplicaDb;
}

export type ReplicaState = { lagMs: number; asOf: Date };

/** Measures the replica's staleness against the primary's flushed WAL position. */
export async function measureReplica(primary: Kysely<Database>, replica: Kysely<Database>): Promise<ReplicaState> {
  const { rows: p } = await sql<{ lsn: string }>`select pg_current_wal_flush_lsn()::text as lsn`.execute(primary);
  const lsn = p[0]?.lsn ?? "0/0";
  const { rows } = await sql<{ standby: boolean; caught_up: boolean | null; replayed_at: Date | null; now: Date }>`
    select pg_is_in_recovery() as standby,
           pg_last_wal_replay_lsn() >= ${lsn}::pg_lsn as caught_up,
           pg_last_xact_replay_timestamp() as replayed_at,
           clock_timestamp() as now`.execute(replica);
  const r = rows[0];
  const now = r?.now ?? new Date();
  // Not a standby (e.g. the primary's own URL given as the replica): as fresh as the primary.
  if (!r?.standby || r.caught_up) return { lagMs: 0, asOf: now };
  if (!r.replayed_at) return { lagMs: Number.POSITIVE_INFINITY, asOf: new Date(0) };
  return { lagMs: Math.max(0, now.getTime() - r.replayed_at.getTime()), asOf: r.replayed_at };
}

let lastCheck: { at: number; state: Promise<ReplicaState | undefined> } | undefined;

/** The database a read-only statistics request should use now, and what to tell its reader. */
export async function readDb(): Promise<ReadChoice> {
  const replica = replicaDb();
  const base = { lagMs: null, asOf: null, maxLagMs: REPLICA_MAX_LAG_MS };
  if (!replica) return { ...base, db, source: "primary", configured: false };
  if (!lastCheck || Date.now() - lastCheck.at >= REPLICA_CHECK_MS) {
    lastCheck = {
      at: Date.now(),
      state: measureReplica(db, replica).catch((error: unknown) => {
        console.error(
          `Read replica unavailable, reading the primary: ${error instanceof Error ? error.message : error}`,
        );
        return undefined;
      }),
    };
  }
  const state = await lastCheck.state;
  if (!state) return { ...base, db, source: "primary", configured: true, fallback: "unavailable" };
  if (state.lagMs > REPLICA_MAX_LAG_MS)
    return {
      ...base,
      db,
      source: "primary",
      configured: true,
      fallback: "lagging",
      lagMs: state.lagMs,
      asOf: state.asOf,
    };
  return { ...base, db: replica, source: "replica", configured: true, lagMs: state.lagMs, asOf: state.asOf };
}

/**
 * Runs `read` on the database `readDb()` chooses. If the replica fails meanwhile (it went down since its last
 * check), the same read runs once more on the primary, told "unavailable", and the replica is checked again
 * on the next request. An error on the primary is the caller's, as without a replica.
 */
export async function readWith<T>(read: (choice: ReadChoice) => Promise<T>): Promise<T> {
  const choice = await readDb();
  if (choice.source !== "replica") return read(choice);
  try {
    return await read(choice);
  } catch (error) {
    lastCheck = undefined;
    console.error(`Read replica failed, reading the primary: ${error instanceof Error ? error.message : error}`);
    return read({ ...choice, db, source: "primary", fallback: "unavailable", lagMs: null, asOf: null });
  }
}

/** What a page or answer says about where its figures came from (no database handle: it goes to the client). */
export function readNotice(choice: ReadChoice) {
  return {
    configured: choice.configured,
    source: choice.source,
    lagMs: choice.lagMs === null || !Number.isFinite(choice.lagMs) ? null : Math.round(choice.lagMs),
    asOf: choice.asOf?.toISOString() ?? null,
    fallback: choice.fallback ?? null,
    maxLagMs: choice.maxLagMs,
  };
}
export type ReadNotice = ReturnType<typeof readNotice>;

/** Response headers telling API clients (and the operations tests) where an answer was read. */
export function readHeaders(choice: ReadChoice): Record<string, string> {
  if (!choice.configured) return {};
  const n = readNotice(choice);
  return {
    "X-Read-Source": n.fallback ? `primary; replica ${n.fallback}` : n.source,
    ...(n.lagMs !== null ? { "X-Replica-Lag-Ms": String(n.lagMs) } : {}),
  };
}
