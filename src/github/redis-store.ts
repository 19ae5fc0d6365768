/**
 * The {@link JudgeStore} of replicas that share `REDIS_URL`: tickets, write locks, coalescing
 * marks, command windows and cached texts live in Redis, so that the ordering and coalescing of
 * judgements hold across processes. Every operation that must not interleave is one command or
 * one Lua script, which Redis runs atomically.
 */
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import type { JudgeStore } from "./judge-store.js";

const PREFIX = "gatehouse:";

/** Takes the run of a key, or marks it for one more run when another holds it. */
const BEGIN = `
if redis.call("SET", KEYS[1], ARGV[1], "PX", ARGV[1], "NX") then
  redis.call("DEL", KEYS[2])
  return 1
end
redis.call("SET", KEYS[2], "1", "PX", ARGV[1])
return 0`;

/** Ends a run: keeps it (and says so) when it was marked meanwhile, frees it otherwise. */
const FINISH = `
if redis.call("DEL", KEYS[2]) == 1 then
  local hold = redis.call("GET", KEYS[1])
  if hold then redis.call("PEXPIRE", KEYS[1], hold) end
  return 1
end
redis.call("DEL", KEYS[1])
return 0`;

/** Frees a lock only if this holder still holds it. */
const RELEASE = `
if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("DEL", KEYS[1]) end
return 0`;

/** A store over the Redis at `url`; connection errors surface in the judgement that met them. */
export function redisStore(url: string): JudgeStore {
  const redis = new Redis(url, { maxRetriesPerRequest: 2, enableOfflineQueue: true });
  const k = (key: string) => PREFIX + key;
  return {
    shared: true,
    ticket: () => redis.incr(k("ticket")),
    async exclusive(key, ttlMs, fn) {
      const lock = k(`lock:${key}`);
      const token = randomUUID();
      const until = Date.now() + ttlMs;
      // Wait for the holder; a holder that died frees the lock when it expires.
      while ((await redis.set(lock, token, "PX", ttlMs, "NX")) !== "OK") {
        if (Date.now() > until) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      try {
        return await fn();
      } finally {
        await redis.eval(RELEASE, 1, lock, token);
      }
    },
    get: (key) => redis.get(k(key)),
    getMany: async (keys) => (keys.length === 0 ? [] : redis.mget(keys.map(k))),
    async set(key, value, ttlSeconds) {
      await redis.set(k(key), value, "EX", ttlSeconds);
    },
    async setIfAbsent(key, value, ttlSeconds) {
      return (await redis.set(k(key), value, "EX", ttlSeconds, "NX")) === "OK";
    },
    async begin(key, ttlMs) {
      return (await redis.eval(BEGIN, 2, k(`run:${key}`), k(`again:${key}`), ttlMs)) === 1;
    },
    async finish(key) {
      return (await redis.eval(FINISH, 2, k(`run:${key}`), k(`again:${key}`))) === 1;
    },
    async close() {
      await redis.quit();
    },
  };
}
