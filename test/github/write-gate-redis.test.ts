/**
 * The write gate across two App replicas sharing one real Redis (redis-server on 127.0.0.1,
 * started here), as Probot shares its throttling when `REDIS_URL` is set: each replica has its
 * own Redis connection and its own copy of the App's modules, so what they share is what Redis
 * holds, as between two processes.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- Probot's Octokit options are untyped here */
import Bottleneck from "bottleneck";
import { Redis } from "ioredis";
import { pino } from "pino";
import { Probot, ProbotOctokit } from "probot";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { APP_ID, TOKEN } from "./helpers/app.js";
import { noNetwork } from "./helpers/no-network.js";
import { hasRedis, startRedis } from "./helpers/redis-server.js";
import {
  aThenB,
  checkRuns,
  created,
  GAP,
  until,
  write,
  expectThirdRefused,
} from "./helpers/timed-writes.js";
import { redisLog, type WriteWindow } from "../../src/github/write-window.js";

const unmatched = noNetwork();
const redisTests = hasRedis || process.env.CI ? describe : describe.skip;

/**
 * A replica: Probot with throttling over Redis, as Probot sets it up for `REDIS_URL`, and the
 * write gate's windows when given (GitHub's minute and hour otherwise).
 */
function replica(connection: Bottleneck.IORedisConnection, writeWindows?: WriteWindow[]): Probot {
  return new Probot({
    appId: APP_ID,
    githubToken: TOKEN,
    log: pino({ level: "silent" }),
    Octokit: ProbotOctokit.defaults((instance: Record<string, any>) => ({
      ...instance,
      retry: { enabled: false },
      throttle: {
        ...instance.throttle,
        enabled: true,
        Bottleneck,
        connection,
        ...(writeWindows ? { writeWindows } : {}),
      },
    })),
  });
}

/** `judgingClient` from a copy of the App's modules of its own, as another process has. */
async function judgingClientOfAnotherProcess() {
  vi.resetModules();
  return (await import("../../src/github/github-client.js")).judgingClient;
}

redisTests("the write gate of two replicas sharing a real Redis", () => {
  let redis: Awaited<ReturnType<typeof startRedis>>;
  const connections: Bottleneck.IORedisConnection[] = [];
  const connect = () => {
    const connection = new Bottleneck.IORedisConnection({ client: new Redis(redis.url) });
    connections.push(connection);
    return connection;
  };
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await Promise.all(connections.map((c) => c.disconnect()));
    await redis.stop();
  });

  /** A from one replica, B from another (each with its modules), for these installations. */
  async function fromTwoReplicas(installations: [number, number]) {
    const { judgingClient } = await import("../../src/github/github-client.js");
    const one = await judgingClient(replica(connect()), installations[0]);
    const two = await (await judgingClientOfAnotherProcess())(replica(connect()), installations[1]);
    // GitHub answers A when B arrives (or after 2 s, when the gate kept B back).
    const seen = checkRuns(async (name) => {
      if (name === "A") await until(() => "B" in seen.arrived, 2000);
      return created;
    });
    await aThenB(one, two, seen);
    expect(unmatched()).toEqual([]);
    return seen;
  }

  it("starts a write on one replica a second after the other replica's write finished", async () => {
    const seen = await fromTwoReplicas([301, 301]);

    expect(seen.order).toEqual(["A arrived", "A answered", "B arrived", "B answered"]);
    expect(seen.arrived.B! - seen.answeredBy.A!).toBeGreaterThanOrEqual(GAP);
  });

  it("lets the replicas write for another installation meanwhile", async () => {
    const seen = await fromTwoReplicas([302, 303]);

    expect(seen.order.slice(0, 2)).toEqual(["A arrived", "B arrived"]);
  });

  it("counts the writes of an installation in one window for every replica", async () => {
    const windows = [{ ms: 3_600_000, max: 2, name: "an hour" }];
    const { judgingClient } = await import("../../src/github/github-client.js");
    const one = await judgingClient(replica(connect(), windows), 304);
    const judgingClient2 = await judgingClientOfAnotherProcess();
    const two = replica(connect(), windows);
    const [sameInstallation, otherInstallation] = await Promise.all([
      judgingClient2(two, 304),
      judgingClient2(two, 305),
    ]);
    const seen = checkRuns(async () => created);

    // Two writes on one replica fill the installation's hour; the other replica knows it.
    await write(one, "A", seen);
    await write(one, "B", seen);
    await Promise.all([write(sameInstallation, "C", seen), write(otherInstallation, "D", seen)]);

    expectThirdRefused(seen);
    expect(unmatched()).toEqual([]);
  });

  it("waits, by Redis's clock, until the oldest write of a full window leaves it", async () => {
    const windows = [
      { ms: 600_000, max: 2, name: "ten minutes" },
      { ms: 60_000, max: 5, name: "a minute" },
    ];
    const log = redisLog(connect(), "306", windows);
    expect(await log.wait()).toEqual({ ms: 0, window: null });

    await log.record(2);
    const { ms, window } = await log.wait();

    expect(window).toEqual(windows[0]);
    // Ten minutes from the writes just recorded, less the moments since (a minute is plenty).
    expect(ms).toBeGreaterThan(600_000 - 60_000);
    expect(ms).toBeLessThanOrEqual(600_000);
  });
});
