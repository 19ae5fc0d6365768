/**
 * A clock that tests move by hand: time stands still until {@link FakeClock.advanceTo}, which
 * runs every timer due by then in order and waits for what each one started. No test waits for
 * real time.
 */
import type { Clock } from "../../../src/github/recheck-timer.js";

interface Timer {
  at: number;
  fn: () => unknown;
  cancelled: boolean;
}

export interface FakeClock {
  clock: Clock;
  now(): number;
  /** Timers set and not yet run or cancelled: when each would run. */
  pending(): Date[];
  advanceTo(to: Date): Promise<void>;
  /** Moves time without running timers, as for processes that were paused meanwhile. */
  jump(to: Date): void;
}

/** A fake clock at `start`; several apps may share one as replicas share real time. */
export function fakeClock(start: Date): FakeClock {
  let time = start.getTime();
  const timers: Timer[] = [];
  const live = () => timers.filter((t) => !t.cancelled);
  return {
    clock: {
      now: () => time,
      after(ms, fn) {
        const timer = { at: time + ms, fn, cancelled: false };
        timers.push(timer);
        return () => {
          timer.cancelled = true;
        };
      },
    },
    now: () => time,
    pending: () => live().map((t) => new Date(t.at)),
    jump(to) {
      time = Math.max(time, to.getTime());
    },
    async advanceTo(to) {
      for (;;) {
        const next = live()
          .filter((t) => t.at <= to.getTime())
          .sort((a, b) => a.at - b.at)[0];
        if (!next) break;
        next.cancelled = true;
        time = Math.max(time, next.at);
        await next.fn();
      }
      time = Math.max(time, to.getTime());
    },
  };
}
