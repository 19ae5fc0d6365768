/**
 * The rechecks of verdicts that time alone changes, over the judgement store with a clock the
 * tests move by hand: judged once when the instant comes, the earliest instant kept, nothing lost
 * to a restart or judged twice by two replicas, a failed recheck tried again.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memoryStore, type JudgeStore } from "../../src/github/judge-store.js";
import { redisStore } from "../../src/github/redis-store.js";
import {
  CLAIM_SECONDS,
  GIVE_UP_MS,
  MARGIN_MS,
  recheckTimer,
  RETRY_FIRST_MS,
  RETRY_MAX_MS,
  SWEEP_MS,
  type RecheckRef,
  type Rechecks,
} from "../../src/github/recheck-timer.js";
import { fakeClock, type FakeClock } from "./helpers/fake-clock.js";
import { hasRedis, startRedis } from "./helpers/redis-server.js";

const START = new Date("2026-11-26T14:30:00Z");
const CLOSES = new Date("2026-11-26T15:30:00Z");
const PULL: RecheckRef = { installation: 7, owner: "acme", repo: "payments", number: 12 };
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
const plus = (date: Date, ms: number) => new Date(date.getTime() + ms);

function replica(time: FakeClock, store: JudgeStore, fail = () => false) {
  const judged: Array<{ ref: RecheckRef; at: number }> = [];
  const timer = recheckTimer({
    store,
    clock: time.clock,
    log: quiet,
    judge: async (ref) => {
      // A judgement takes a while: another replica's sweep may run meanwhile.
      await new Promise((resolve) => setImmediate(resolve));
      if (fail()) throw new Error("GitHub did not answer");
      judged.push({ ref, at: time.now() });
    },
  });
  return { timer, judged };
}

describe("rechecks", () => {
  it("judge the pull request once, just after its window closes", async () => {
    const time = fakeClock(START);
    const { timer, judged } = replica(time, memoryStore(time.now));
    await timer.note(PULL, CLOSES);
    await time.advanceTo(plus(CLOSES, MARGIN_MS - 1));
    expect(judged).toEqual([]);
    await time.advanceTo(plus(CLOSES, MARGIN_MS));
    expect(judged).toEqual([{ ref: PULL, at: CLOSES.getTime() + MARGIN_MS }]);
    await time.advanceTo(plus(CLOSES, 10 * SWEEP_MS));
    expect(judged).toHaveLength(1);
  });

  it("keep the earliest instant still to come, whatever order judgements end in", async () => {
    const time = fakeClock(START);
    const { timer, judged } = replica(time, memoryStore(time.now));
    const opens = new Date("2026-11-26T15:00:00Z");
    await timer.note(PULL, CLOSES);
    await timer.note(PULL, opens);
    await timer.note(PULL, CLOSES);
    await time.advanceTo(plus(opens, MARGIN_MS));
    expect(judged.map((j) => j.at)).toEqual([opens.getTime() + MARGIN_MS]);
  });

  it("survive a restart: a new process over the same store judges what the old one noted", async () => {
    const time = fakeClock(START);
    const store = memoryStore(time.now);
    const old = replica(time, store);
    await old.timer.note(PULL, CLOSES);
    old.timer.stop();
    // Down over the window's end; the new process judges at once when it starts.
    await time.advanceTo(plus(CLOSES, 3_600_000));
    const fresh = replica(time, store);
    await fresh.timer.start();
    await time.advanceTo(plus(CLOSES, 3_600_000));
    expect(old.judged).toEqual([]);
    expect(fresh.judged).toEqual([{ ref: PULL, at: CLOSES.getTime() + 3_600_000 }]);
  });

  it("let only one of two replicas judge a due recheck, and another learn of one by sweeping", async () => {
    const time = fakeClock(START);
    const store = memoryStore(time.now);
    const a = replica(time, store);
    const b = replica(time, store);
    await a.timer.note(PULL, CLOSES);
    // Both wake at the same moment (a's timer, b's sweep).
    time.jump(plus(CLOSES, SWEEP_MS));
    await Promise.all([a.timer.runDue(), b.timer.runDue()]);
    expect(a.judged.length + b.judged.length).toBe(1);

    // b had not seen the recheck before; its sweep finds the next one a noted.
    await b.timer.start();
    await a.timer.note(PULL, plus(CLOSES, 3_600_000));
    a.timer.stop();
    await time.advanceTo(plus(CLOSES, 3_600_000 + SWEEP_MS + MARGIN_MS));
    expect(b.judged.map((j) => j.ref)).toContainEqual(PULL);
  });

  it("try a failed recheck again after its claim expires, and give up after a day", async () => {
    const time = fakeClock(START);
    let failing = true;
    const { timer, judged } = replica(time, memoryStore(time.now), () => failing);
    await timer.note(PULL, CLOSES);
    await time.advanceTo(plus(CLOSES, MARGIN_MS));
    failing = false;
    await time.advanceTo(plus(CLOSES, CLAIM_SECONDS * 1000 - SWEEP_MS));
    expect(judged).toEqual([]);
    await time.advanceTo(plus(CLOSES, CLAIM_SECONDS * 1000 + SWEEP_MS));
    expect(judged).toHaveLength(1);

    const other = { ...PULL, number: 13 };
    failing = true;
    await timer.note(other, plus(CLOSES, 3_600_000));
    await time.advanceTo(plus(CLOSES, 3_600_000 + GIVE_UP_MS + 2 * CLAIM_SECONDS * 1000));
    failing = false;
    await time.advanceTo(plus(CLOSES, 3_600_000 + GIVE_UP_MS + 4 * CLAIM_SECONDS * 1000));
    expect(judged.map((j) => j.ref.number)).toEqual([12]);
  });

  it("judge a failed judgement again after five minutes, then ten, twenty…, at most an hour apart", async () => {
    const time = fakeClock(START);
    const { timer, attempts } = failingReplica(time, () => true);
    await timer.retry(PULL);
    await time.advanceTo(plus(START, 5 * 3_600_000));

    const gaps = attempts.map((at, k) => at - (k === 0 ? START.getTime() : attempts[k - 1]!));
    const backoff = [1, 2, 4, 8, 12, 12].map((k) => Math.min(k * RETRY_FIRST_MS, RETRY_MAX_MS));
    // Each recheck runs just after its instant, and fails again (the App notes the next).
    expect(gaps.slice(0, 6)).toEqual(backoff.map((ms) => ms + MARGIN_MS));
  });

  it("judge a failed judgement again when GitHub said it takes requests again, and stop a day after the first failure", async () => {
    const time = fakeClock(START);
    let failing = false;
    const { timer, attempts } = failingReplica(time, () => failing);
    await timer.retry(PULL, CLOSES);
    await time.advanceTo(plus(CLOSES, MARGIN_MS - 1));
    expect(attempts).toEqual([]);
    await time.advanceTo(plus(CLOSES, MARGIN_MS));
    expect(attempts).toEqual([CLOSES.getTime() + MARGIN_MS]);

    // Failures in a row keep their first instant: a day after it, no more rechecks.
    failing = true;
    attempts.length = 0;
    await timer.retry(PULL);
    const first = time.now();
    await time.advanceTo(new Date(first + 3 * GIVE_UP_MS));
    const last = attempts.at(-1)!;
    expect(last - first).toBeLessThanOrEqual(GIVE_UP_MS + RETRY_MAX_MS + MARGIN_MS);
    expect(last - first).toBeGreaterThan(GIVE_UP_MS - RETRY_MAX_MS);
    expect(time.pending().length).toBeLessThanOrEqual(1); // the sweep, with nothing to judge
  });

  it("arm no timer beyond the sweep for a window months ahead, which Node could not hold", async () => {
    const time = fakeClock(START);
    const { timer } = replica(time, memoryStore(time.now));
    await timer.note(PULL, plus(START, 90 * 24 * 3_600_000));
    expect(time.pending()).toEqual([plus(START, SWEEP_MS)]);
  });
});

/** A replica whose judgements fail while `failing()`, noting a retry as the App does. */
function failingReplica(time: FakeClock, failing: () => boolean) {
  const attempts: number[] = [];
  const timer: Rechecks = recheckTimer({
    store: memoryStore(time.now),
    clock: time.clock,
    log: quiet,
    judge: async (ref) => {
      attempts.push(time.now());
      if (failing()) await timer.retry(ref);
    },
  });
  return { timer, attempts };
}

// Replicas share Redis: what one noted, another judges after it is gone; a due recheck that two
// replicas find at once is judged by one. (Claims expire in Redis's real time, so no retry here.)
describe.runIf(hasRedis || process.env.CI)("rechecks over Redis", () => {
  let redis: Awaited<ReturnType<typeof startRedis>> | undefined;
  const opened: JudgeStore[] = [];
  const store = () => {
    if (!redis) throw new Error("redis-server did not start");
    const made = redisStore(redis.url);
    opened.push(made);
    return made;
  };
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await Promise.all(opened.map((s) => s.close()));
    await redis?.stop();
  });

  it("are judged by a replica that starts after the one that noted them stopped", async () => {
    const time = fakeClock(START);
    const old = replica(time, store());
    await old.timer.note(PULL, CLOSES);
    old.timer.stop();
    time.jump(plus(CLOSES, 60_000));
    const fresh = replica(time, store());
    await fresh.timer.start();
    await time.advanceTo(plus(CLOSES, 60_000));
    expect(fresh.judged).toEqual([{ ref: PULL, at: CLOSES.getTime() + 60_000 }]);
  });

  it("are judged once when two replicas find one due at the same moment", async () => {
    const time = fakeClock(START);
    const a = replica(time, store());
    const b = replica(time, store());
    const other = { ...PULL, number: 99 };
    await a.timer.note(other, CLOSES);
    time.jump(plus(CLOSES, SWEEP_MS));
    await Promise.all([a.timer.runDue(), b.timer.runDue()]);
    expect(a.judged.length + b.judged.length).toBe(1);
  });
});
