/**
 * The store's contract, for the memory store of one process and the Redis store of replicas
 * (a real redis-server on 127.0.0.1, started and stopped here).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memoryStore, type JudgeStore } from "../../src/github/judge-store.js";
import { redisStore } from "../../src/github/redis-store.js";
import { hasRedis, startRedis } from "./helpers/redis-server.js";

const kinds: Array<{ name: string; make: () => JudgeStore | Promise<JudgeStore> }> = [
  { name: "memory", make: () => memoryStore() },
];

let redis: Awaited<ReturnType<typeof startRedis>> | undefined;
const opened: JudgeStore[] = [];
if (hasRedis || process.env.CI) {
  // In CI, .ci/run installs redis-server: a missing one fails here rather than skip.
  kinds.push({
    name: "redis",
    make: () => {
      if (!redis) throw new Error("redis-server did not start");
      const store = redisStore(redis.url);
      opened.push(store);
      return store;
    },
  });
}
beforeAll(async () => {
  if (kinds.some((k) => k.name === "redis")) redis = await startRedis();
});
afterAll(async () => {
  await Promise.all(opened.map((s) => s.close()));
  await redis?.stop();
});

describe.each(kinds)("the $name store", ({ make }) => {
  it("hands out ever larger tickets", async () => {
    const a = await make();
    const tickets = [await a.ticket(), await a.ticket(), await a.ticket()];
    expect(tickets[1]).toBeGreaterThan(tickets[0] as number);
    expect(tickets[2]).toBeGreaterThan(tickets[1] as number);
  });

  it("lets one holder at a time into a key", async () => {
    const store = await make();
    const order: string[] = [];
    const key = `lock-${Math.random()}`;
    const hold = (name: string, ms: number) =>
      store.exclusive(key, 5000, async () => {
        order.push(`${name} in`);
        await new Promise((resolve) => setTimeout(resolve, ms));
        order.push(`${name} out`);
      });
    await Promise.all([hold("a", 50), hold("b", 10)]);
    expect(order).toStrictEqual(["a in", "a out", "b in", "b out"]);
  });

  it("sets a key only when absent", async () => {
    const store = await make();
    const key = `window-${Math.random()}`;
    expect(await store.setIfAbsent(key, "1", 30)).toBe(true);
    expect(await store.setIfAbsent(key, "1", 30)).toBe(false);
    await store.set(`v-${key}`, "text", 30);
    expect(await store.getMany([`v-${key}`, `none-${key}`])).toStrictEqual(["text", null]);
  });

  it("coalesces: a second begin marks one more run, and finish says so once", async () => {
    const store = await make();
    const key = `pull-${Math.random()}`;
    expect(await store.begin(key, 5000)).toBe(true);
    expect(await store.begin(key, 5000)).toBe(false);
    expect(await store.begin(key, 5000)).toBe(false);
    expect(await store.finish(key)).toBe(true); // run once more, for both
    expect(await store.finish(key)).toBe(false);
    expect(await store.begin(key, 5000)).toBe(true); // free again
    expect(await store.finish(key)).toBe(false);
  });
});
