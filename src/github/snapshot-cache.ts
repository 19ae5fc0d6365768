/**
 * What the snapshot loader keeps between judgements: texts of the base commit keyed by git
 * object ids (the policy directory, CODEOWNERS, the change records, the head's record
 * listing), and a hint per pull request of what its last judgement read. Two tiers: this
 * process's memory, bounded in bytes (least recently used goes first), and, when the store is
 * shared (Redis, `REDIS_URL`), the store, so that replicas read a base once between them.
 *
 * Nothing here is trusted: a cached tree is used only when it proves to be the one GitHub now
 * names (src/github/verify-tree.ts), and a hint only decides what the first query asks for.
 * So every failure of the cache (an entry evicted, corrupted, too large, Redis down) costs a
 * request to GitHub, never a wrong verdict.
 */
import type { JudgeStore } from "./judge-store.js";

export interface CacheLimits {
  /** Bytes of entries this process keeps in memory. */
  memoryBytes: number;
  /** An entry larger than this is not cached (nor read back from the store). */
  entryBytes: number;
  /** How long the store keeps a content entry; content never changes, so this only bounds growth. */
  contentTtlSeconds: number;
  /** How long the store keeps a pull request's hint. */
  hintTtlSeconds: number;
}

export const CACHE_LIMITS: CacheLimits = {
  memoryBytes: 32 * 1024 * 1024,
  entryBytes: 4 * 1024 * 1024,
  contentTtlSeconds: 24 * 3600,
  hintTtlSeconds: 3 * 24 * 3600,
};

export type CacheKind = "content" | "hint";

export interface SnapshotCache {
  /** The entries under `keys` (null where none); never throws: a failing store is a miss. */
  get(keys: readonly string[]): Promise<Array<string | null>>;
  /** Keeps `value` under `key`; never throws, and keeps nothing larger than the entry limit. */
  set(key: string, value: string, kind: CacheKind): Promise<void>;
  /** Bytes held in this process's memory, for tests and the benchmark. */
  readonly memoryBytes: number;
}

interface Warn {
  warn(details: Record<string, unknown>, message: string): void;
}

/**
 * A cache over this process's memory and, when given, a store that replicas share. `warn` hears
 * of a store that failed, so that an operator sees why judgements cost more requests.
 */
export function snapshotCache(
  shared: JudgeStore | null,
  options: { limits?: Partial<CacheLimits>; log?: Warn } = {},
): SnapshotCache {
  const limits = { ...CACHE_LIMITS, ...options.limits };
  const memory = new Map<string, string>();
  let bytes = 0;
  // JavaScript strings take two bytes a character; keys count too.
  const size = (key: string, value: string) => 2 * (key.length + value.length);
  const forget = (key: string) => {
    const old = memory.get(key);
    if (old === undefined) return;
    memory.delete(key);
    bytes -= size(key, old);
  };
  const remember = (key: string, value: string) => {
    forget(key);
    if (size(key, value) > limits.memoryBytes) return;
    memory.set(key, value);
    bytes += size(key, value);
    for (const [oldest, text] of memory) {
      if (bytes <= limits.memoryBytes) break;
      memory.delete(oldest);
      bytes -= size(oldest, text);
    }
  };
  const fits = (value: string) => Buffer.byteLength(value, "utf8") <= limits.entryBytes;
  const storeKey = (key: string) => `cache:${key}`;
  const failed = (error: unknown, what: string) =>
    options.log?.warn(
      { reason: error instanceof Error ? error.message : String(error) },
      `the shared cache could not ${what}; reading from GitHub instead`,
    );

  return {
    get memoryBytes() {
      return bytes;
    },
    async get(keys) {
      const found: Array<string | null> = keys.map((key) => {
        const value = memory.get(key);
        if (value === undefined) return null;
        // Read again: it becomes the most recently used.
        memory.delete(key);
        memory.set(key, value);
        return value;
      });
      const missing = found.flatMap((value, i) => (value === null ? [i] : []));
      if (!shared || missing.length === 0) return found;
      try {
        const values = await shared.getMany(missing.map((i) => storeKey(keys[i] as string)));
        missing.forEach((i, n) => {
          const value = values[n];
          if (typeof value !== "string" || !fits(value)) return;
          found[i] = value;
          remember(keys[i] as string, value);
        });
      } catch (error) {
        failed(error, "be read");
      }
      return found;
    },
    async set(key, value, kind) {
      if (!fits(value)) return;
      remember(key, value);
      if (!shared) return;
      const ttl = kind === "content" ? limits.contentTtlSeconds : limits.hintTtlSeconds;
      try {
        await shared.set(storeKey(key), value, ttl);
      } catch (error) {
        failed(error, "be written");
      }
    },
  };
}
