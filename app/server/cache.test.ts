/** The in-process memo behind the catalogue and session caches (docs/performance.md). */
import { describe, expect, it } from "vitest";
import { memo } from "./cache.server.ts";

describe("memo", () => {
  it("answers from memory until the entry is ttl old, then loads again", async () => {
    let now = 1_000;
    let loads = 0;
    const m = memo<number>(100, 10, () => now);
    const load = async () => ++loads;
    expect(await m.get("k", load)).toBe(1);
    now += 99;
    expect(await m.get("k", load)).toBe(1);
    now += 1;
    expect(await m.get("k", load)).toBe(2);
  });

  it("shares one load between callers that ask while it runs, and does not keep a failure", async () => {
    let loads = 0;
    const m = memo<string>(1_000);
    let release: (v: string) => void = () => {};
    const slow = () => {
      loads++;
      return new Promise<string>((resolve) => {
        release = resolve;
      });
    };
    const both = Promise.all([m.get("k", slow), m.get("k", slow)]);
    release("v");
    expect(await both).toEqual(["v", "v"]);
    expect(loads).toBe(1);

    await expect(m.get("bad", () => Promise.reject(new Error("down")))).rejects.toThrow("down");
    expect(await m.get("bad", async () => "up")).toBe("up");
  });

  it("forgets an entry on delete, and stays within its size by dropping the oldest", async () => {
    const m = memo<number>(60_000, 10);
    let loads = 0;
    const load = async () => ++loads;
    await m.get("a", load);
    m.delete("a");
    expect(await m.get("a", load)).toBe(2);
    for (let i = 0; i < 20; i++) await m.get(`k${i}`, load);
    // "a" was among the oldest: loaded again.
    const before = loads;
    await m.get("a", load);
    expect(loads).toBe(before + 1);
  });
});
