/**
 * GitHub's rule for content-creating requests, read conservatively: a write of an installation
 * starts one second after the previous write of that installation has *finished* (its response
 * came back, or it failed), not one second after it started.
 *
 * Octokit's throttling spaces writes a second apart by launch. A write that is slow in transit
 * then reaches GitHub, and the next write launched a second after it reaches GitHub less than
 * a second later: measured with `npm run bench -- github`, one or two writes a run arrived
 * under 0.9 s apart on a loaded machine. GitHub's guidance ("wait at least one second between
 * each request" that creates content) does not say from when; from the end is the reading no
 * transit time can break.
 *
 * GitHub also caps an installation's writes at 80 a minute and 500 an hour. A write that would
 * pass either cap waits until the window frees (write-window.ts), for at most
 * {@link WINDOW_WAIT_LIMIT_MS}; one that would wait longer is not sent and fails with
 * {@link WriteWindowFull}, saying until when, rather than go out and be refused.
 *
 * The gate is a Bottleneck limiter per installation with one slot, held from the start of a
 * write until one second after it finished. The caller gets its response as soon as it
 * arrives; only the next write waits. With Redis (Probot's `throttle.connection`, from
 * `REDIS_URL`) the limiter and the log of writes live in Redis, so replicas share them.
 */
import Bottleneck from "bottleneck";
import type { GitHubClient } from "./github-client.js";
import { describeError } from "./redact.js";
import {
  memoryLog,
  redisLog,
  WriteWindowFull,
  type WriteLog,
  type WriteWindow,
} from "./write-window.js";

/** The pause between the end of one write of an installation and the start of the next. */
export const WRITE_GAP_MS = 1000;

/**
 * GitHub's caps on an installation's content-creating requests, as "Rate limits for the REST
 * API" (About secondary rate limits) gives them: "no more than 80 content-generating requests per
 * minute and no more than 500 content-generating requests per hour", for the REST and GraphQL
 * APIs alike. With a second between writes the minute holds by itself (60 at most); it is kept so
 * that a shorter gap cannot pass it. The hour does not: six policy pushes that re-judge 100 pull
 * requests each are 600 writes.
 */
export const WRITE_WINDOWS: readonly WriteWindow[] = [
  { ms: 60_000, max: 80, name: "a minute" },
  { ms: 3_600_000, max: 500, name: "an hour" },
];

/**
 * How long a write may wait for a full window to free. Longer would hold the judgement (and the
 * installation's other writes behind it) in one process's memory for up to an hour; a write
 * refused is made again by the next judgement of its pull request.
 */
export const WINDOW_WAIT_LIMIT_MS = 30_000;

/**
 * How long one write may hold the gate, besides its wait for a window. A write of the judging
 * client ends well within this (three attempts of 15 s and the waits for rate limits, 40 s at
 * most); a replica that dies holding the gate in Redis frees it after this long.
 */
export const WRITE_HOLD_LIMIT_MS = 120_000;

/** An installation's writes wait for it; queries and the token request do not. */
type Gate = Pick<Bottleneck, "schedule">;

const inMemory = new Map<string, Bottleneck.Group>();
const inRedis = new WeakMap<object, Map<string, Bottleneck.Group>>();

/**
 * The Bottleneck group `id` of this process, or of every replica when `connection` (Probot's
 * ioredis connection for its throttling) is given. One group per connection, so that two
 * connections to one Redis (two replicas) share only what Redis holds.
 */
export function limiterGroup(
  id: string,
  options: Bottleneck.ConstructorOptions,
  connection?: unknown,
): Bottleneck.Group {
  let groups = inMemory;
  if (connection && typeof connection === "object") {
    groups = inRedis.get(connection) ?? new Map<string, Bottleneck.Group>();
    inRedis.set(connection, groups);
  }
  let group = groups.get(id);
  if (!group) {
    group = new Bottleneck.Group({
      id,
      ...options,
      ...(groups === inMemory
        ? {}
        : {
            datastore: "ioredis",
            connection: connection as Bottleneck.IORedisConnection,
            // Idle limiters leave Redis after two minutes, as Octokit's own do.
            timeout: 120_000,
          }),
    });
    groups.set(id, group);
  }
  return group;
}

interface RequestOptions {
  method: string;
  url: string;
  query?: unknown;
  request?: { fetch?: unknown } & Record<string, unknown>;
}

/** The installation-token request: the gated write itself may need it (a deadlock otherwise). */
const AUTH_PATH =
  /\/app\/installations\/[^/]+\/access_tokens$|\/applications\/[^/]+\/token(\/scoped)?$/;
/** GitHub's GraphQL endpoint (and GitHub Enterprise Server's), not a path that ends in it. */
const GRAPHQL_PATH = /^(\/api)?\/graphql$/;

/**
 * A content-creating request: every REST method but GET and HEAD (as Octokit's throttling
 * counts writes), and a GraphQL request only when it holds a mutation (a query changes nothing;
 * gatehouse sends none, but one would be gated).
 */
export function isWrite(options: RequestOptions): boolean {
  const method = options.method.toUpperCase();
  if (method === "GET" || method === "HEAD") return false;
  const { pathname } = new URL(options.url, "https://api.github.com");
  if (AUTH_PATH.test(pathname)) return false;
  // A query is read for the word alone: a mutation cannot be spelt otherwise, and a query that
  // merely says it is gated too, which costs a second, never a breach.
  if (GRAPHQL_PATH.test(pathname) && typeof options.query === "string") {
    return /\bmutation\b/.test(options.query);
  }
  return true;
}

/** What the gate reads of the throttling options of Probot's clients. */
export interface GateOptions {
  /** Probot's ioredis connection (from `REDIS_URL`): the gate is then shared by replicas. */
  connection?: unknown;
  /** Milliseconds in one of GitHub's seconds, as the throttling counts them (tests shorten it). */
  retryAfterBaseValue?: unknown;
  /** Other windows than {@link WRITE_WINDOWS} (tests and the benchmark shorten the hour). */
  writeWindows?: unknown;
  /** Another wait limit than {@link WINDOW_WAIT_LIMIT_MS}. */
  windowWaitLimitMs?: unknown;
}

/** How writes are spaced: the gap after each, and the log of the installation's windows. */
export interface Spacing {
  gapMs: number;
  log?: WriteLog;
  waitLimitMs?: number;
}

/**
 * Gates the writes of `client` (an installation's client) behind the installation's gate. The
 * hook is registered last, so it wraps Octokit's retry and throttling plugins: a write holds
 * the gate through all its attempts (a 5xx retried, a secondary limit waited out), so no other
 * write slips in between, and each attempt after the first also starts a second after the one
 * before it ended.
 */
export function gateWrites(
  client: GitHubClient,
  installationId: number,
  options: GateOptions = {},
): void {
  const { connection, retryAfterBaseValue, writeWindows, windowWaitLimitMs } = options;
  const gapMs = typeof retryAfterBaseValue === "number" ? retryAfterBaseValue : WRITE_GAP_MS;
  const windows = Array.isArray(writeWindows) ? (writeWindows as WriteWindow[]) : WRITE_WINDOWS;
  const key = String(installationId);
  const log =
    connection && typeof connection === "object"
      ? redisLog(connection, key, windows)
      : memoryLog(key, windows);
  const spacing: Spacing = {
    gapMs,
    log: {
      wait: () => log.wait(),
      // The write went out and its caller has the answer; all that is lost is one count.
      record: (attempts) =>
        log
          .record(attempts)
          .catch((error: unknown) =>
            client.log.warn(
              `the write gate could not count a write of installation ${key} (${describeError(error)}); its hour counts one write short`,
            ),
          ),
    },
    waitLimitMs: typeof windowWaitLimitMs === "number" ? windowWaitLimitMs : WINDOW_WAIT_LIMIT_MS,
  };
  const gate = () =>
    limiterGroup("gatehouse-writes", { maxConcurrent: 1, minTime: 0 }, connection).key(key);
  client.hook.wrap("request", (request, options) => {
    if (!isWrite(options)) return request(options);
    const attempts = { count: 0 };
    return throughGate(
      gate(),
      spacing,
      async () => request(spaceAttempts(options, gapMs, attempts)),
      attempts,
    );
  });
}

/**
 * Runs `send` when the gate has a free slot and every window of the log has room, and keeps the
 * slot `gapMs` past its end; the promise settles with `send`'s own outcome, without waiting for
 * that second. `attempts.count` is how many requests `send` made (one when not told), each
 * counted in the log. A gate that fails before `send` started (Redis unreachable), or a window
 * that stays full longer than the write may wait, fails the write unsent: a check is then not
 * posted, which blocks the merge of a new head (fail closed), rather than written past the limit.
 */
export function throughGate<T>(
  gate: Gate,
  spacing: Spacing,
  send: () => Promise<T>,
  attempts?: { count: number },
): Promise<T> {
  const { gapMs, log, waitLimitMs = WINDOW_WAIT_LIMIT_MS } = spacing;
  return new Promise<T>((resolve, reject) => {
    let started = false;
    gate
      .schedule({ expiration: WRITE_HOLD_LIMIT_MS + waitLimitMs }, async () => {
        if (log) await roomIn(log, waitLimitMs);
        started = true;
        const outcome = send();
        outcome.then(resolve, reject);
        await outcome.catch(() => undefined);
        try {
          await log?.record(attempts ? attempts.count : 1);
        } finally {
          await pause(gapMs);
        }
      })
      .catch((error: unknown) => {
        // After `send` started, its own outcome is the answer (an expired hold is not an error).
        if (!started) reject(error);
      });
  });
}

/**
 * Waits until one more write fits in every window of `log`, or throws {@link WriteWindowFull}
 * at once when that is more than `limitMs` away. Asked again after each wait: within the slot
 * nothing else writes, but a hold that expired may have let another replica in.
 */
async function roomIn(log: WriteLog, limitMs: number): Promise<void> {
  let waited = 0;
  for (let wait = await log.wait(); wait.window; wait = await log.wait()) {
    if (waited + wait.ms > limitMs) {
      throw new WriteWindowFull(wait.window, new Date(Date.now() + wait.ms), limitMs);
    }
    await pause(wait.ms);
    waited += wait.ms;
  }
}

/**
 * Every attempt of one write after the first starts a second after the previous one ended;
 * `attempts` counts those that went out.
 */
function spaceAttempts<O extends RequestOptions>(
  options: O,
  gapMs: number,
  attempts: { count: number },
): O {
  const inner = options.request?.fetch as typeof fetch | undefined;
  let ended: number | undefined;
  const spaced: typeof fetch = async (input, init) => {
    if (ended !== undefined) await pause(ended + gapMs - performance.now());
    attempts.count += 1;
    try {
      return await (inner ?? fetch)(input, init);
    } finally {
      ended = performance.now();
    }
  };
  options.request = { ...options.request, fetch: spaced };
  return options;
}

function pause(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
