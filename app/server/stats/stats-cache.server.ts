/**
 * Statistics answers kept in memory for a short while (docs/performance.md, 12). Every figure is computed
 * from the rollups of all dossiers in scope; a dashboard for a province-year reads hundreds of thousands of
 * counted dossiers through a dozen queries, and a manager's page, its CSV export and the open-data API ask
 * the same questions again and again. An answer is reused for STATS_CACHE_CURRENT_MS (30 s) while its
 * period includes today, and for STATS_CACHE_PAST_MS (10 min) once the period has ended (it changes only
 * when an old dossier is finished late or corrected). Pages say when their figures were computed.
 *
 * Concurrent requests for the same answer share one computation. Keys are bounded (the oldest go first),
 * since they come from users' filters. Values are shared: callers must not modify them.
 */
import type { Kysely } from "kysely";
import { toVnDateString } from "../../domain/calendar/working-calendar.ts";
import { type Memo, memo } from "../cache.server.ts";
import type { Database } from "../db.server.ts";
import type { Period } from "./stats-queries.server.ts";

function ms(name: string, fallback: number): number {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v >= 0 ? v : fallback;
}

export const STATS_CACHE_CURRENT_MS = ms("STATS_CACHE_CURRENT_MS", 30_000);
export const STATS_CACHE_PAST_MS = ms("STATS_CACHE_PAST_MS", 600_000);

export type StatsAnswer<V> = { value: V; computedAt: Date };
type Caches = { current: Memo<StatsAnswer<unknown>>; past: Memo<StatsAnswer<unknown>> };
const caches = new WeakMap<Kysely<Database>, Caches>();

/** The answer for `key` (period and scope, and what is asked), computed by `load` unless a fresh one is kept. */
export function cachedStats<V>(
  db: Kysely<Database>,
  key: string,
  period: Period,
  now: Date,
  load: () => Promise<V>,
): Promise<StatsAnswer<V>> {
  let c = caches.get(db);
  if (!c) {
    c = { current: memo(STATS_CACHE_CURRENT_MS, 500), past: memo(STATS_CACHE_PAST_MS, 500) };
    caches.set(db, c);
  }
  const ended = period.to < toVnDateString(now);
  const cache = ended ? c.past : c.current;
  if ((ended ? STATS_CACHE_PAST_MS : STATS_CACHE_CURRENT_MS) === 0) {
    return load().then((value) => ({ value, computedAt: now }));
  }
  return cache.get(`${period.from}:${period.to}:${key}`, async () => ({
    value: await load(),
    computedAt: new Date(),
  })) as Promise<StatsAnswer<V>>;
}

/** Forget every kept answer for this database (after a bulk load or a reorganisation). */
export function invalidateStats(db: Kysely<Database>): void {
  caches.delete(db);
}
