/** Statistics answers kept for a short while (stats-cache.server.ts, docs/performance.md). */
import type { Kysely } from "kysely";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Database } from "../db.server.ts";
import { cachedStats, invalidateStats, STATS_CACHE_CURRENT_MS, STATS_CACHE_PAST_MS } from "./stats-cache.server.ts";

// The cache is keyed by database handle only: no query runs here.
const db = {} as Kysely<Database>;
const otherDb = {} as Kysely<Database>;
const NOW = new Date("2026-11-26T03:00:00Z"); // 10:00 in Vietnam
const current = { from: "2026-11-01", to: "2026-11-30" };
const past = { from: "2023-01-01", to: "2023-12-31" };

describe("cachedStats", () => {
  afterEach(() => {
    vi.useRealTimers();
    invalidateStats(db);
    invalidateStats(otherDb);
  });

  it("reuses an answer for a running period for 30 s and says when it was computed", async () => {
    vi.useFakeTimers({ now: NOW });
    let loads = 0;
    const load = async () => ++loads;
    const first = await cachedStats(db, "k", current, NOW, load);
    expect(first).toEqual({ value: 1, computedAt: NOW });
    vi.advanceTimersByTime(STATS_CACHE_CURRENT_MS - 1);
    expect((await cachedStats(db, "k", current, new Date(), load)).value).toBe(1);
    vi.advanceTimersByTime(1);
    const later = await cachedStats(db, "k", current, new Date(), load);
    expect(later.value).toBe(2);
    expect(later.computedAt.getTime()).toBe(NOW.getTime() + STATS_CACHE_CURRENT_MS);
  });

  it("keeps an ended period's answer longer (10 min), and keys by period, question and database", async () => {
    vi.useFakeTimers({ now: NOW });
    let loads = 0;
    const load = async () => ++loads;
    expect((await cachedStats(db, "k", past, NOW, load)).value).toBe(1);
    vi.advanceTimersByTime(STATS_CACHE_CURRENT_MS + 1);
    expect((await cachedStats(db, "k", past, new Date(), load)).value).toBe(1);
    expect((await cachedStats(db, "other question", past, new Date(), load)).value).toBe(2);
    expect((await cachedStats(db, "k", { ...past, to: "2023-12-30" }, new Date(), load)).value).toBe(3);
    expect((await cachedStats(otherDb, "k", past, new Date(), load)).value).toBe(4);
    vi.advanceTimersByTime(STATS_CACHE_PAST_MS);
    expect((await cachedStats(db, "k", past, new Date(), load)).value).toBe(5);
  });

  it("forgets everything for a database when told (after an import)", async () => {
    let loads = 0;
    const load = async () => ++loads;
    await cachedStats(db, "k", past, NOW, load);
    invalidateStats(db);
    expect((await cachedStats(db, "k", past, NOW, load)).value).toBe(2);
  });

  it("does not keep a failed computation", async () => {
    let loads = 0;
    const failing = async () => {
      loads++;
      throw new Error("database gone");
    };
    await expect(cachedStats(db, "k", current, NOW, failing)).rejects.toThrow("database gone");
    expect((await cachedStats(db, "k", current, NOW, async () => 42)).value).toBe(42);
    expect(loads).toBe(1);
  });
});
