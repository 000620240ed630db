/**
 * Small in-process caches (docs/performance.md). Each entry lives `ttlMs`; callers asking for the same key
 * while it loads share one load; a failed load is not kept. The number of entries is bounded (the oldest
 * go first), so a cache keyed by user input cannot grow without limit.
 */
export type Memo<V> = {
  get(key: string, load: () => Promise<V>): Promise<V>;
  delete(key: string): void;
  clear(): void;
};

export function memo<V>(ttlMs: number, maxEntries = 1_000, now: () => number = Date.now): Memo<V> {
  const entries = new Map<string, { until: number; value: Promise<V> }>();
  return {
    get(key, load) {
      const t = now();
      const hit = entries.get(key);
      if (hit && hit.until > t) return hit.value;
      if (hit) entries.delete(key);
      const value = load();
      entries.set(key, { until: t + ttlMs, value });
      value.catch(() => {
        if (entries.get(key)?.value === value) entries.delete(key);
      });
      if (entries.size > maxEntries) {
        // Maps iterate in insertion order: drop the oldest tenth.
        let drop = Math.ceil(maxEntries / 10);
        for (const k of entries.keys()) {
          if (drop-- <= 0) break;
          entries.delete(k);
        }
      }
      return value;
    },
    delete(key) {
      entries.delete(key);
    },
    clear() {
      entries.clear();
    },
  };
}
