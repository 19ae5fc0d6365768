/**
 * Bursts are coalesced per key (a pull request, a merge group): while a judgement of it runs,
 * every further event only marks it for one more run, which then reads GitHub afresh. Ten events
 * in a second cost two judgements, and the last one judges the newest state, because it starts
 * after the last event arrived.
 */
import type { JudgeStore } from "./judge-store.js";

/** How long a run holds its key; a run that dies lets the next event in after this. */
export const COALESCE_HOLD_MS = 120_000;

/**
 * Runs `run` now, or leaves it to the run under way (which then runs once more); returns the
 * outcome of the last run made here, or null when it was left to another.
 */
export async function coalesce<T>(
  store: JudgeStore,
  key: string,
  run: () => Promise<T>,
): Promise<T | null> {
  if (!(await store.begin(key, COALESCE_HOLD_MS))) return null;
  for (;;) {
    let outcome: T;
    try {
      outcome = await run();
    } catch (error) {
      if (await store.finish(key)) continue;
      throw error;
    }
    if (!(await store.finish(key))) return outcome;
  }
}
