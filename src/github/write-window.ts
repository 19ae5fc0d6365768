/**
 * GitHub's caps on the content-creating requests of one installation in a minute and in an hour,
 * kept as a sliding log of when the installation's writes ended: one more write may start when
 * fewer than the cap ended in the window before now. The write gate (write-gate.ts) asks the log
 * while it holds the installation's slot, so across replicas one write at a time reads and adds
 * to it, and nothing is counted twice or missed.
 *
 * Why not Bottleneck's reservoir, which its Redis datastore supports: a reservoir refreshed
 * every hour is a fixed window, and Bottleneck's README says what that allows (all of one hour's
 * writes just before the refresh and all of the next hour's just after it: twice the cap within
 * a few minutes, which GitHub refuses if it counts the hour as sliding, as it does not say it
 * does not). A reservoir that grows back little by little allows its size plus what grew back
 * within an hour, so keeping that under 500 halves the rate. And the App's limiters leave Redis
 * after two idle minutes (write-gate.ts), which would forget an hour's count.
 *
 * A write counts from its *end* (its answer received, or its failure known), as the one-second
 * gap does: GitHub counts it when it arrives, which is never later than its end, and the next
 * write arrives after it starts, so a window that counts ends never holds fewer writes than
 * GitHub's. In Redis the log is a sorted set scored by Redis's own clock (`TIME`), so replicas
 * whose clocks differ still read one timeline.
 */
import { randomUUID } from "node:crypto";

export interface WriteWindow {
  /** Its length in milliseconds. */
  ms: number;
  /** How many writes of an installation GitHub accepts within it. */
  max: number;
  /** Its name in a message: "a minute", "an hour". */
  name: string;
}

/** How long until one more write fits, and the window it waits for (none when it fits now). */
export interface WindowWait {
  ms: number;
  window: WriteWindow | null;
}

/** The recent writes of one installation. */
export interface WriteLog {
  /** How long until one more write fits in every window. */
  wait(): Promise<WindowWait>;
  /** Counts `attempts` requests that have just ended (a retried write is several). */
  record(attempts: number): Promise<void>;
}

/** The longest wait of several windows: the one a write waits for. */
function longest(waits: WindowWait[]): WindowWait {
  return waits.reduce((a, b) => (b.ms > a.ms ? b : a), { ms: 0, window: null });
}

/**
 * How long until one more write fits, given the ends of the writes before `now`:
 * while `max` of them lie within the window, the oldest of the last `max` must leave it first.
 */
export function windowWait(ends: readonly number[], now: number, windows: readonly WriteWindow[]) {
  return longest(
    windows.map((window) => {
      // Ascending whatever the clock did (a clock set back leaves later writes earlier).
      const inside = ends.filter((end) => end > now - window.ms).sort((a, b) => a - b);
      if (inside.length < window.max) return { ms: 0, window: null };
      const leaves = (inside[inside.length - window.max] as number) + window.ms;
      return { ms: Math.max(0, leaves - now), window };
    }),
  );
}

const span = (windows: readonly WriteWindow[]) => Math.max(0, ...windows.map((w) => w.ms));

/** Each installation's ends, the one that wrote last at the end (so the first is the stalest). */
const inMemory = new Map<string, number[]>();

/** The log of one process (no Redis): the ends of its writes, by this process's clock. */
export function memoryLog(key: string, windows: readonly WriteWindow[]): WriteLog {
  const kept = (now: number) =>
    (inMemory.get(key) ?? []).filter((end) => end > now - span(windows));
  return {
    wait: async () => {
      const now = Date.now();
      return windowWait(kept(now), now, windows);
    },
    record: async (attempts) => {
      const now = Date.now();
      const ends = [...kept(now), ...Array.from({ length: attempts }, () => now)];
      inMemory.delete(key);
      inMemory.set(key, ends);
      // An installation that stopped writing is forgotten once its last write left the windows:
      // each write checks the stalest, so the map holds about those that wrote within the hour.
      const [stalest, its] = inMemory.entries().next().value ?? [];
      if (stalest !== undefined && (its?.at(-1) ?? 0) <= now - span(windows)) {
        inMemory.delete(stalest);
      }
    },
  };
}

/** The part of an ioredis client the log uses. */
interface Eval {
  eval(script: string, keys: number, ...args: Array<string | number>): Promise<unknown>;
}

/**
 * Forgets what left the longest window, then answers each window's wait in milliseconds of
 * Redis's clock: ARGV holds (length, cap) pairs. Mirrors {@link windowWait}.
 */
const WAIT_SCRIPT = `
redis.replicate_commands()
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local longest = 0
for i = 1, #ARGV, 2 do longest = math.max(longest, tonumber(ARGV[i])) end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - longest)
local waits = {}
for i = 1, #ARGV, 2 do
  local ms, max = tonumber(ARGV[i]), tonumber(ARGV[i + 1])
  local from = '(' .. (now - ms)
  local inside = redis.call('ZCOUNT', KEYS[1], from, '+inf')
  local wait = 0
  if inside >= max then
    local oldest = redis.call('ZRANGEBYSCORE', KEYS[1], from, '+inf', 'WITHSCORES', 'LIMIT', inside - max, 1)
    wait = math.max(0, tonumber(oldest[2]) + ms - now)
  end
  waits[#waits + 1] = wait
end
return waits`;

/** Adds ARGV[3] writes ended now (by Redis's clock), named ARGV[2]:i; kept for ARGV[1] ms. */
const RECORD_SCRIPT = `
redis.replicate_commands()
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
for i = 1, tonumber(ARGV[3]) do redis.call('ZADD', KEYS[1], now, ARGV[2] .. ':' .. i) end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return now`;

/**
 * The log every replica shares, in Redis (the ioredis client of Probot's throttling connection).
 * A connection without one fails the write: the log cannot be kept, so nothing is sent.
 */
export function redisLog(
  connection: unknown,
  key: string,
  windows: readonly WriteWindow[],
): WriteLog {
  const client = (connection as { client?: Partial<Eval> }).client;
  const redis = (): Eval => {
    if (typeof client?.eval !== "function") {
      throw new Error(
        "the write gate keeps GitHub's per-hour count in Redis and needs an ioredis connection (REDIS_URL)",
      );
    }
    return client as Eval;
  };
  const redisKey = `gatehouse:writes:${key}`;
  return {
    wait: async () => {
      const args = windows.flatMap((w) => [w.ms, w.max]);
      const waits = (await redis().eval(WAIT_SCRIPT, 1, redisKey, ...args)) as unknown[];
      const ms = windows.map((_, i) => Number(Array.isArray(waits) ? waits[i] : undefined));
      // An answer that is not a wait for every window would let a write through unchecked.
      if (!ms.every((wait) => Number.isFinite(wait) && wait >= 0)) {
        throw new Error(`Redis answered the write gate's count with ${JSON.stringify(waits)}`);
      }
      return longest(windows.map((window, i) => ({ ms: ms[i] as number, window })));
    },
    record: async (attempts) => {
      if (attempts <= 0) return;
      await redis().eval(RECORD_SCRIPT, 1, redisKey, span(windows), randomUUID(), attempts);
    },
  };
}

/**
 * A write not sent because a window of the installation is full for longer than the write may
 * wait: the words say which cap, until when, and what happens next.
 */
export class WriteWindowFull extends Error {
  override name = "WriteWindowFull";
  constructor(
    readonly window: WriteWindow,
    readonly until: Date,
    waitLimitMs: number,
  ) {
    const at = `${until.toISOString().slice(11, 19)} UTC`;
    super(
      `GitHub accepts at most ${window.max} writes ${window.name} from one installation, and this ` +
        `installation has made them; the next may go out at ${at}. gatehouse waits at most ` +
        `${waitLimitMs / 1000} s for that, so this write was not sent. A pull request's check is ` +
        `judged again by itself at ${at}, or on its next event.`,
    );
  }
}
