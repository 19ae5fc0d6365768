/**
 * The little shared state of the App: GitHub and git stay the database, but ordering writes,
 * coalescing bursts, rate-limiting commands and caching what never changes (blob texts by their
 * ids) need a place that every judgement of an installation sees. {@link memoryStore} serves
 * one process; `redisStore` serves every replica that shares `REDIS_URL`.
 */

export interface JudgeStore {
  /** True when other processes see the same state (Redis): caches worth sharing go here too. */
  readonly shared?: boolean;
  /** A number larger than every one handed out before (across replicas for Redis). */
  ticket(): Promise<number>;
  /** Runs `fn` while holding `key`; others wait. The hold ends after `ttlMs` even if `fn` hangs. */
  exclusive<T>(key: string, ttlMs: number, fn: () => Promise<T>): Promise<T>;
  get(key: string): Promise<string | null>;
  getMany(keys: string[]): Promise<Array<string | null>>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  /** Sets `key` only when absent; true when this call set it (a window, a claim). */
  setIfAbsent(key: string, value: string, ttlSeconds: number): Promise<boolean>;
  /**
   * Coalescing: true when the caller may run the work of `key` now; false when another run of
   * it is under way, which then runs once more ({@link finish} says so) for this caller.
   */
  begin(key: string, ttlMs: number): Promise<boolean>;
  /** Ends a run begun with {@link begin}; true when the caller must run once more. */
  finish(key: string): Promise<boolean>;
  /** Closes connections; nothing is lost that GitHub does not also hold. */
  close(): Promise<void>;
}

interface Entry {
  value: string;
  expires: number;
}

/** The store of one process. Entries expire as in Redis; the map is pruned as it is used. */
export function memoryStore(now: () => number = Date.now): JudgeStore {
  const entries = new Map<string, Entry>();
  const locks = new Map<string, Promise<void>>();
  const runs = new Map<string, { again: boolean; expires: number; ttlMs: number }>();
  let counter = 0;
  let writesSincePrune = 0;
  const live = (key: string): string | null => {
    const entry = entries.get(key);
    if (!entry) return null;
    if (entry.expires <= now()) {
      entries.delete(key);
      return null;
    }
    return entry.value;
  };
  const put = (key: string, value: string, ttlSeconds: number) => {
    entries.set(key, { value, expires: now() + ttlSeconds * 1000 });
    // Expired entries are dropped every so often, so a long-lived process does not grow.
    if (++writesSincePrune >= 1000) {
      writesSincePrune = 0;
      const t = now();
      for (const [k, e] of entries) if (e.expires <= t) entries.delete(k);
    }
  };
  return {
    ticket: () => Promise.resolve(++counter),
    async exclusive(key, ttlMs, fn) {
      const before = locks.get(key) ?? Promise.resolve();
      let release = () => undefined as void;
      const mine = new Promise<void>((resolve) => (release = resolve));
      const chained = before.then(() => mine);
      locks.set(key, chained);
      // A holder that hangs past its time lets the next one in, as a Redis lock would expire.
      await Promise.race([before, new Promise((r) => setTimeout(r, ttlMs).unref())]);
      try {
        return await fn();
      } finally {
        release();
        if (locks.get(key) === chained) locks.delete(key);
      }
    },
    get: (key) => Promise.resolve(live(key)),
    getMany: (keys) => Promise.resolve(keys.map(live)),
    set(key, value, ttlSeconds) {
      put(key, value, ttlSeconds);
      return Promise.resolve();
    },
    setIfAbsent(key, value, ttlSeconds) {
      if (live(key) !== null) return Promise.resolve(false);
      put(key, value, ttlSeconds);
      return Promise.resolve(true);
    },
    begin(key, ttlMs) {
      const run = runs.get(key);
      if (run && run.expires > now()) {
        run.again = true;
        return Promise.resolve(false);
      }
      runs.set(key, { again: false, expires: now() + ttlMs, ttlMs });
      return Promise.resolve(true);
    },
    finish(key) {
      const run = runs.get(key);
      if (run?.again) {
        run.again = false;
        run.expires = now() + run.ttlMs;
        return Promise.resolve(true);
      }
      runs.delete(key);
      return Promise.resolve(false);
    },
    close: () => Promise.resolve(),
  };
}
