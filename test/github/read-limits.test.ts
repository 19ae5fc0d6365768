/**
 * The reads limiter (READ_LIMITS in github-client.ts) keeps an installation's GraphQL queries
 * within 1,800 in any minute, as GitHub counts its 2,000 points: a sliding minute, not a clock
 * minute. Driven on fake timers with the limiter's own options; what is asserted is when each
 * query was let through, in fake time.
 */
import Bottleneck from "bottleneck";
import { afterEach, describe, expect, it, vi } from "vitest";
import { READ_LIMITER, READ_LIMITS } from "../../src/github/github-client.js";

afterEach(() => {
  vi.useRealTimers();
});

/** The most of `starts` within any `ms` (a sliding window). */
function busiest(starts: number[], ms: number): number {
  let most = 0;
  for (let i = 0, j = 0; i < starts.length; i++) {
    while (starts[i]! - starts[j]! >= ms) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

describe("the reads limiter", () => {
  it("lets a burst through at once, then 25 a second, and never 1,800 in any minute", async () => {
    vi.useFakeTimers({
      toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date"],
    });
    const limiter = new Bottleneck(READ_LIMITER);
    const t0 = Date.now();
    const starts: number[] = [];
    const asked = 4000;
    const done = Promise.all(
      Array.from({ length: asked }, () =>
        limiter.schedule(async () => void starts.push(Date.now() - t0)),
      ),
    );
    await vi.advanceTimersByTimeAsync(200_000);
    await done;

    expect(starts).toHaveLength(asked);
    expect(starts.filter((at) => at < 1000)).toHaveLength(READ_LIMITS.burst);
    expect(busiest(starts, 60_000)).toBeLessThanOrEqual(READ_LIMITS.perMinute);
    // Sustained, it still answers 25 a second: 1,500 a minute once the burst is spent.
    const later = starts.filter((at) => at >= 60_000 && at < 120_000);
    expect(later.length).toBeGreaterThanOrEqual(60 * READ_LIMITS.perSecond - READ_LIMITS.perSecond);
    await limiter.stop({ dropWaitingJobs: true });
  });
});
