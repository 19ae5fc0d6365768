/**
 * Judging a pull request again when time alone changes its verdict: a deployment's window opens
 * or closes (the core's `verdict.recheckAt`). No webhook comes at that instant, so the App keeps
 * the instants itself and judges again when one is reached; a check that passed inside a window
 * turns red after it, with no event. A judgement that failed is tried again the same way
 * ({@link Rechecks.retry}), so that a head whose check could not be written does not keep what
 * it showed before until someone happens to push.
 *
 * The pending rechecks live in the judgement store under one key (in Redis when `REDIS_URL` is
 * set), so that every replica sees them and a restart loses none: each replica arms one timer
 * for the earliest and reads the store again at least every {@link SWEEP_MS}. A due recheck is
 * claimed before it is judged (one replica judges it), and stays pending until a judgement of it
 * ends, so a replica that dies meanwhile leaves it to another after {@link CLAIM_SECONDS}.
 * Without Redis the instants are the process's own: a restart forgets them (docs/github-app.md
 * says what guarantees hold then).
 */
import type { JudgeStore } from "./judge-store.js";

/** Time for the rechecks; tests inject one and move it by hand. */
export interface Clock {
  now(): number;
  /** Calls `fn` after `ms` (a fake clock may wait for what it returns); returns what cancels it. */
  after(ms: number, fn: () => unknown): () => void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  after(ms, fn) {
    // The timer never keeps the process alive: a stopping App stops, the store keeps the rest.
    const timer = setTimeout(fn, ms);
    timer.unref();
    return () => clearTimeout(timer);
  },
};

/** A pull request to judge again, and the installation whose token reads it. */
export interface RecheckRef {
  installation: number;
  owner: string;
  repo: string;
  number: number;
}

interface Pending extends RecheckRef {
  /** When to judge again, in milliseconds since the epoch. */
  at: number;
  /** For a judgement that failed: when the first of its failures in a row was, and how many. */
  since?: number;
  attempts?: number;
}

export interface RecheckLog {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface Rechecks {
  /** After a judgement whose verdict changes by itself at `at`: judge `ref` again then. */
  note(ref: RecheckRef, at: Date): Promise<void>;
  /**
   * After a judgement that failed: judge `ref` again at `at` (when GitHub takes requests again),
   * or, when the error names no instant, after {@link RETRY_FIRST_MS}, doubling with each
   * failure in a row up to {@link RETRY_MAX_MS}; given up a day after the first.
   */
  retry(ref: RecheckRef, at?: Date): Promise<void>;
  /** Reads what is pending (left by a replica, or before a restart) and arms the timer. */
  start(): Promise<void>;
  /** Judges every pending recheck whose instant has come; the timer calls it. */
  runDue(): Promise<void>;
  stop(): void;
}

const KEY = "rechecks";
const LOCK_MS = 10_000;
/** The pending list lives this long after its last write: windows are scheduled months ahead. */
const KEEP_SECONDS = 400 * 24 * 3600;
/** How often the store is read again: rechecks another replica noted, and retries. */
export const SWEEP_MS = 60_000;
/** A recheck runs this long after its instant, so that the judgement sees the window past. */
export const MARGIN_MS = 1_000;
/** A claimed recheck whose judgement never ended is taken again after this. */
export const CLAIM_SECONDS = 300;
/** A recheck that keeps failing is given up this long after its instant (the check stays as it was). */
export const GIVE_UP_MS = 24 * 3600 * 1000;
/** A failed judgement is tried again after this, then after twice as long, up to an hour. */
export const RETRY_FIRST_MS = 5 * 60_000;
export const RETRY_MAX_MS = 3600_000;
/** The most pull requests waiting for a recheck; the earliest are kept. */
export const MAX_PENDING = 10_000;
const MAX_TIMER_MS = 2 ** 31 - 1;
const PARALLEL = 4;

const keyOf = (ref: RecheckRef) => `${ref.owner}/${ref.repo}#${ref.number}`.toLowerCase();

/** The rechecks of one App process over the shared store. */
export function recheckTimer(deps: {
  store: JudgeStore;
  clock: Clock;
  log: RecheckLog;
  /** Judges the pull request again (through the same path as an event); may throw. */
  judge(ref: RecheckRef): Promise<void>;
}): Rechecks {
  const { store, clock, log } = deps;
  let cancel: (() => void) | null = null;
  let armedAt = Infinity;
  let running: Promise<void> | null = null;
  let stopped = false;

  const read = async (): Promise<Record<string, Pending>> => {
    const text = await store.get(KEY);
    if (text === null) return {};
    try {
      const parsed: unknown = JSON.parse(text);
      return parsed && typeof parsed === "object" ? (parsed as Record<string, Pending>) : {};
    } catch {
      log.error({ key: KEY }, "the pending rechecks could not be read; they start afresh");
      return {};
    }
  };
  const update = (change: (pending: Record<string, Pending>) => void) =>
    store.exclusive(KEY, LOCK_MS, async () => {
      const pending = await read();
      change(pending);
      const kept = Object.entries(pending)
        .sort(([, a], [, b]) => a.at - b.at)
        .slice(0, MAX_PENDING);
      if (kept.length < Object.keys(pending).length) {
        log.error(
          { limit: MAX_PENDING },
          "too many pull requests wait for a recheck; the latest were dropped",
        );
      }
      await store.set(KEY, JSON.stringify(Object.fromEntries(kept)), KEEP_SECONDS);
      return kept.length > 0 ? kept[0]![1].at : Infinity;
    });

  const arm = (earliest: number) => {
    if (stopped) return;
    const now = clock.now();
    const at = Math.min(earliest + MARGIN_MS, now + SWEEP_MS);
    if (cancel && armedAt <= at) return;
    cancel?.();
    armedAt = at;
    cancel = clock.after(Math.min(Math.max(0, at - now), MAX_TIMER_MS), () => {
      cancel = null;
      armedAt = Infinity;
      return runDue();
    });
  };

  const judgeOne = async (key: string, entry: Pending) => {
    const ref: RecheckRef = {
      installation: entry.installation,
      owner: entry.owner,
      repo: entry.repo,
      number: entry.number,
    };
    const done = () =>
      update((pending) => {
        if (pending[key]?.at === entry.at) delete pending[key];
      });
    if (clock.now() - (entry.since ?? entry.at) > GIVE_UP_MS) {
      log.error(
        { pull: key, failures: entry.attempts ?? 0 },
        "gave up judging again by itself; it is judged on its next event",
      );
      await done();
      return;
    }
    if (!(await store.setIfAbsent(`recheck-claim:${key}@${entry.at}`, "1", CLAIM_SECONDS))) return;
    try {
      await deps.judge(ref);
      await done();
      log.info(
        { pull: key },
        entry.since === undefined
          ? "judged again: its window opened or closed"
          : "judged again after a judgement that failed",
      );
    } catch (error) {
      // Left pending: the claim expires and the next sweep tries again.
      log.warn(
        { pull: key, reason: error instanceof Error ? error.message : String(error) },
        "could not judge again after its window changed; trying again later",
      );
    }
  };

  async function runDue(): Promise<void> {
    if (running) return running;
    running = (async () => {
      try {
        const now = clock.now();
        const due = Object.entries(await read()).filter(([, e]) => e.at + MARGIN_MS <= now);
        const queue = [...due];
        const worker = async () => {
          for (let next = queue.shift(); next; next = queue.shift()) await judgeOne(...next);
        };
        await Promise.all(Array.from({ length: Math.min(PARALLEL, due.length) }, worker));
        const rest = Object.values(await read()).map((e) => e.at);
        arm(Math.min(Infinity, ...rest.filter((at) => at + MARGIN_MS > clock.now())));
      } catch (error) {
        log.warn(
          { reason: error instanceof Error ? error.message : String(error) },
          "could not read the pending rechecks; reading again later",
        );
        arm(Infinity);
      } finally {
        running = null;
      }
    })();
    return running;
  }

  return {
    async note(ref, at) {
      const key = keyOf(ref);
      const now = clock.now();
      const earliest = await update((pending) => {
        const known = pending[key];
        // An earlier instant still to come is kept: an extra judgement costs little, a missed
        // one leaves a check green after its window. Judgements may end out of order.
        if (known && known.at > now && known.at <= at.getTime()) return;
        pending[key] = { ...ref, at: at.getTime() };
      });
      arm(earliest);
    },
    async retry(ref, at) {
      const key = keyOf(ref);
      const now = clock.now();
      const earliest = await update((pending) => {
        const known = pending[key];
        const attempts = known?.attempts ?? 0;
        const when = at?.getTime() ?? now + Math.min(RETRY_FIRST_MS * 2 ** attempts, RETRY_MAX_MS);
        // As for a window: an earlier instant still to come is kept.
        if (known && known.at > now && known.at <= when) return;
        pending[key] = { ...ref, at: when, since: known?.since ?? now, attempts: attempts + 1 };
      });
      arm(earliest);
    },
    async start() {
      const pending = Object.values(await read());
      if (pending.length > 0)
        log.info({ pending: pending.length }, "pull requests wait for a recheck");
      // What came due while no replica ran is judged at once.
      arm(Math.min(Infinity, ...pending.map((e) => e.at)));
    },
    runDue,
    stop() {
      stopped = true;
      cancel?.();
      cancel = null;
    },
  };
}
