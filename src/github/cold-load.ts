/**
 * One cold load per repository at a time. A pull request of a repository this App has never
 * judged (a fresh replica, nothing in Redis) must read the base's policy texts and then, in a
 * second query, the members of the teams that policy names. When a release bot opens fifty pull
 * requests at once, the first judgement does that; the others wait for it and then ask, like any
 * later judgement, for the policy by id and the teams by name in one query. Waiting costs them
 * the first load's time, not its requests; a first load that fails releases them all the same
 * (each then reads for itself, as before).
 */
import { knowsRepository } from "./judgement-hint.js";
import type { SnapshotCache } from "./snapshot-cache.js";

const inFlight = new Map<string, Promise<unknown>>();

/** Runs `load`; while another load of the repository runs cold, only after it ended. */
export async function oneColdLoad<T>(
  cache: SnapshotCache | undefined,
  repo: { owner: string; repo: string },
  load: () => Promise<T>,
): Promise<T> {
  if (!cache) return load();
  const key = `${repo.owner.toLowerCase()}/${repo.repo.toLowerCase()}`;
  let pending = inFlight.get(key);
  if (!pending && !(await knowsRepository(cache, repo))) {
    pending = inFlight.get(key); // another load went cold while the cache was asked
    if (!pending) {
      const run = load();
      const ended = run.then(
        () => undefined,
        () => undefined,
      );
      inFlight.set(key, ended);
      void ended.then(() => inFlight.delete(key));
      return run;
    }
  }
  if (pending) await pending;
  return load();
}
