/** Rate-limit counters live in PostgreSQL: two app instances (two pools) share one limit. */
import type { Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDb, type TestTarget, testTargets } from "../../tests/test-database.ts";
import { createDb, type Database } from "./db.server.ts";
import { hit, hitsSoFar, postgresRateLimitStore } from "./rate-limit.server.ts";

describe.each(testTargets())("rate limits on $label PostgreSQL", (target: TestTarget) => {
  let db: Kysely<Database>;
  let second: Kysely<Database>;
  let close: () => Promise<void>;

  beforeAll(async () => {
    const opened = await openTestDb(target);
    ({ db, close } = opened);
    second = createDb(opened.scratch.url, 2);
  });
  afterAll(async () => {
    await second.destroy();
    await close();
  });

  it("counts hits from every instance against one limit", async () => {
    const a = postgresRateLimitStore(db, "auth");
    const b = postgresRateLimitStore(second, "auth");
    a.init({ windowMs: 60_000 });
    b.init({ windowMs: 60_000 });
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).increment("203.0.113.7")));
    expect(results.map((r) => r.totalHits).sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(await hitsSoFar(second, "auth:203.0.113.7")).toBe(20);
    await a.decrement("203.0.113.7");
    expect(await hitsSoFar(db, "auth:203.0.113.7")).toBe(19);
    await b.resetKey("203.0.113.7");
    expect(await hitsSoFar(db, "auth:203.0.113.7")).toBe(0);
  });

  it("starts a new window once the old one has ended, and keeps limiters apart", async () => {
    expect((await hit(db, "short:k", 50)).totalHits).toBe(1);
    expect((await hit(db, "short:k", 50)).totalHits).toBe(2);
    expect((await hit(db, "other:k", 50)).totalHits).toBe(1);
    await new Promise((r) => setTimeout(r, 120));
    expect(await hitsSoFar(db, "short:k")).toBe(0);
    expect((await hit(db, "short:k", 50)).totalHits).toBe(1);
  });
});
