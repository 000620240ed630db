/**
 * Rate limits shared by every app instance: fixed-window counters in PostgreSQL (`rate_limit_hits`),
 * behind express-rate-limit's Store interface (docs/decisions/010-rate-limits-in-postgres.md). One
 * upsert per counted request; expired rows are re-used by the same key and swept now and then.
 */
import { type Kysely, sql } from "kysely";
import type { Database } from "./db.server.ts";

export type Hit = { totalHits: number; resetTime: Date };

/** Counts one hit for `key` in a window of `windowMs`, starting a new window when the old one ended. */
export async function hit(db: Kysely<Database>, key: string, windowMs: number): Promise<Hit> {
  const row = await sql<{ hits: number; reset_at: Date }>`
    insert into rate_limit_hits as r (key, hits, reset_at)
    values (${key}, 1, now() + ${windowMs} * interval '1 millisecond')
    on conflict (key) do update set
      hits = case when r.reset_at <= now() then 1 else r.hits + 1 end,
      reset_at = case when r.reset_at <= now() then excluded.reset_at else r.reset_at end
    returning hits, reset_at`.execute(db);
  const first = row.rows[0];
  if (Math.random() < 0.001) {
    // An occasional sweep keeps the table to the keys seen in the last windows.
    void db
      .deleteFrom("rate_limit_hits")
      .where("reset_at", "<", sql<Date>`now() - interval '1 hour'`)
      .execute()
      .catch(() => {});
  }
  return { totalHits: first?.hits ?? 1, resetTime: first?.reset_at ?? new Date(Date.now() + windowMs) };
}

/** The hits counted so far for `key` in its current window (0 when none or expired). */
export async function hitsSoFar(db: Kysely<Database>, key: string): Promise<number> {
  const row = await db
    .selectFrom("rate_limit_hits")
    .select("hits")
    .where("key", "=", key)
    .where("reset_at", ">", sql<Date>`now()`)
    .executeTakeFirst();
  return row?.hits ?? 0;
}

/** express-rate-limit Store over `hit` (structurally typed so this module does not import Express). */
export function postgresRateLimitStore(db: Kysely<Database>, prefix: string) {
  let windowMs = 60_000;
  return {
    prefix,
    localKeys: false,
    init(options: { windowMs: number }) {
      windowMs = options.windowMs;
    },
    increment(key: string): Promise<Hit> {
      return hit(db, `${prefix}:${key}`, windowMs);
    },
    async decrement(key: string): Promise<void> {
      await db
        .updateTable("rate_limit_hits")
        .set({ hits: sql`greatest(hits - 1, 0)` })
        .where("key", "=", `${prefix}:${key}`)
        .execute();
    },
    async resetKey(key: string): Promise<void> {
      await db.deleteFrom("rate_limit_hits").where("key", "=", `${prefix}:${key}`).execute();
    },
  };
}
