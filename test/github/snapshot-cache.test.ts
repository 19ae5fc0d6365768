/**
 * The snapshot cache's bounds: memory held by one process, the size of an entry, and how long
 * a shared Redis keeps what it was given (a real redis-server on 127.0.0.1, started here).
 */
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { redisStore } from "../../src/github/redis-store.js";
import { CACHE_LIMITS, snapshotCache } from "../../src/github/snapshot-cache.js";
import { hasRedis, startRedis } from "./helpers/redis-server.js";

describe("the cache in one process's memory", () => {
  it("stays within its bytes, forgetting what was used least recently", async () => {
    const cache = snapshotCache(null, { limits: { memoryBytes: 10_100 } });
    const value = "x".repeat(1000); // about 2 kB held per entry: five fit
    const keys = Array.from({ length: 21 }, (_, i) => `k${i}`);
    for (const key of keys.slice(0, 20)) {
      await cache.set(key, value, "content");
      expect(cache.memoryBytes).toBeLessThanOrEqual(10_100);
    }
    const kept = async () => (await cache.get(keys)).flatMap((v, i) => (v === null ? [] : [i]));
    expect(await kept()).toEqual([15, 16, 17, 18, 19]);

    await cache.get(["k15"]); // used again: k16 is now the least recently used
    await cache.set("k20", value, "content");
    expect(await kept()).toEqual([15, 17, 18, 19, 20]);
    expect(cache.memoryBytes).toBeGreaterThan(10_000);
  });

  it("keeps nothing larger than an entry may be", async () => {
    const cache = snapshotCache(null, { limits: { entryBytes: 100 } });
    await cache.set("big", "y".repeat(101), "content");
    await cache.set("small", "y".repeat(100), "content");
    expect(await cache.get(["big", "small"])).toEqual([null, "y".repeat(100)]);
  });

  it("has bounds a bank's policy fits in", () => {
    expect(CACHE_LIMITS.memoryBytes).toBe(32 * 1024 * 1024);
    expect(CACHE_LIMITS.entryBytes).toBe(4 * 1024 * 1024);
  });
});

const redisTests = hasRedis || process.env.CI ? describe : describe.skip;

redisTests("the cache in a shared Redis", () => {
  let redis: Awaited<ReturnType<typeof startRedis>>;
  let client: Redis;
  beforeAll(async () => {
    redis = await startRedis();
    client = new Redis(redis.url);
  });
  afterAll(async () => {
    await client.quit();
    await redis.stop();
  });

  it("keeps content a day and hints three days, then Redis forgets them", async () => {
    const store = redisStore(redis.url);
    const cache = snapshotCache(store);
    await cache.set("tree:policy:1:abc:policies", "{}", "content");
    await cache.set("hint:acme/payments#42", "{}", "hint");

    const content = await client.ttl("gatehouse:cache:tree:policy:1:abc:policies");
    const hint = await client.ttl("gatehouse:cache:hint:acme/payments#42");
    expect(content).toBeGreaterThan(24 * 3600 - 60);
    expect(content).toBeLessThanOrEqual(24 * 3600);
    expect(hint).toBeGreaterThan(3 * 24 * 3600 - 60);
    expect(hint).toBeLessThanOrEqual(3 * 24 * 3600);
    await store.close();
  });

  it("writes nothing over the entry limit to Redis, and reads nothing over it back", async () => {
    const store = redisStore(redis.url);
    const cache = snapshotCache(store, { limits: { entryBytes: 1000 } });
    await cache.set("too-big", "z".repeat(1001), "content");
    expect(await client.exists("gatehouse:cache:too-big")).toBe(0);

    // Something else put a huge value there: a replica does not take it.
    await client.set("gatehouse:cache:planted", "z".repeat(5000), "EX", 60);
    expect(await snapshotCache(store, { limits: { entryBytes: 1000 } }).get(["planted"])).toEqual([
      null,
    ]);
    await store.close();
  });

  it("shares an entry between replicas, each with memory of its own", async () => {
    const [a, b] = [redisStore(redis.url), redisStore(redis.url)];
    await snapshotCache(a).set("tree:policy:1:def:policies", '{"v":1}', "content");
    expect(await snapshotCache(b).get(["tree:policy:1:def:policies"])).toEqual(['{"v":1}']);
    await Promise.all([a.close(), b.close()]);
  });
});
