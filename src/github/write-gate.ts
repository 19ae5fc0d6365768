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
 * The gate is a Bottleneck limiter per installation with one slot, held from the start of a
 * write until one second after it finished. The caller gets its response as soon as it
 * arrives; only the next write waits. With Redis (Probot's `throttle.connection`, from
 * `REDIS_URL`) the limiter lives in Redis, so replicas share it.
 */
import Bottleneck from "bottleneck";
import type { GitHubClient } from "./github-client.js";

/** The pause between the end of one write of an installation and the start of the next. */
export const WRITE_GAP_MS = 1000;

/**
 * How long one write may hold the gate. A write of the judging client ends well within this
 * (three attempts of 15 s and the waits for rate limits, 40 s at most); a replica that dies
 * holding the gate in Redis frees it after this long.
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
  const { connection, retryAfterBaseValue } = options;
  const gapMs = typeof retryAfterBaseValue === "number" ? retryAfterBaseValue : WRITE_GAP_MS;
  const gate = () =>
    limiterGroup("gatehouse-writes", { maxConcurrent: 1, minTime: 0 }, connection).key(
      String(installationId),
    );
  client.hook.wrap("request", (request, options) =>
    isWrite(options)
      ? throughGate(gate(), gapMs, async () => request(spaceAttempts(options, gapMs)))
      : request(options),
  );
}

/**
 * Runs `send` when the gate has a free slot and keeps the slot `gapMs` past its end; the
 * promise settles with `send`'s own outcome, without waiting for that second. A gate that fails
 * before `send` started (Redis unreachable) fails the write: a check is then not posted, which
 * blocks the merge (fail closed), rather than written past the limit.
 */
export function throughGate<T>(gate: Gate, gapMs: number, send: () => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let started = false;
    gate
      .schedule({ expiration: WRITE_HOLD_LIMIT_MS }, async () => {
        started = true;
        const outcome = send();
        outcome.then(resolve, reject);
        await outcome.catch(() => undefined);
        await pause(gapMs);
      })
      .catch((error: unknown) => {
        // After `send` started, its own outcome is the answer (an expired hold is not an error).
        if (!started) reject(error);
      });
  });
}

/** Every attempt of one write after the first starts a second after the previous one ended. */
function spaceAttempts<O extends RequestOptions>(options: O, gapMs: number): O {
  const inner = options.request?.fetch as typeof fetch | undefined;
  let ended: number | undefined;
  const spaced: typeof fetch = async (input, init) => {
    if (ended !== undefined) await pause(ended + gapMs - performance.now());
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
