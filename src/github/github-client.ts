/**
 * The GitHub client gatehouse judges with, and how it lives with GitHub's rate limits.
 *
 * Probot's Octokit already carries the throttling plugin, and for GraphQL the plugin already
 * recognises a primary rate limit (HTTP 200 with an error of type `RATE_LIMITED`, or 403 with
 * `x-ratelimit-remaining: 0`) and a secondary one (403 or 429 saying "secondary rate limit").
 * What it does then is up to two handlers. Probot's own retry a primary limit three times, each
 * time waiting until `x-ratelimit-reset` however far away that is (up to an hour), and never
 * retry a secondary limit. gatehouse therefore configures the plugin with its own handlers
 * ({@link rateLimitHandlers}): both kinds are waited out as GitHub asks, but a judgement waits
 * at most {@link RATE_LIMIT_BUDGET} in all and then fails closed with
 * {@link rateLimitReason}, rather than hold a pull request for an hour in one process's memory.
 */
import type Bottleneck from "bottleneck";
import type { Context, Probot } from "probot";
import { gateWrites, limiterGroup } from "./write-gate.js";
import { WriteWindowFull } from "./write-window.js";

/** The authenticated Octokit of a webhook, or one the CLI builds with a token. */
export type GitHubClient = Context["octokit"];

/** How much waiting for GitHub's rate limits one judgement may spend. */
export interface RateLimitBudget {
  /** Retries of one request. */
  retries: number;
  /** Seconds of waiting, over all requests of the judgement. */
  maxWaitSeconds: number;
}

/**
 * Three retries, 40 seconds in all: a judgement ends within its deadline (a minute), so a
 * longer wait is not started; the check says until when GitHub holds requests back, and the
 * next event (or `/gatehouse recheck`) judges again.
 */
export const RATE_LIMIT_BUDGET: RateLimitBudget = { retries: 3, maxWaitSeconds: 40 };

/** A handler of Octokit's throttling plugin: true retries the request after `retryAfter` s. */
export type LimitHandler = (
  retryAfter: number,
  options: { method?: string; url?: string },
  octokit: unknown,
  retryCount: number,
) => boolean;

interface WarnLog {
  warn(details: Record<string, unknown>, message: string): void;
}

/**
 * The throttling plugin's handlers for one judgement. `retryAfter` is what GitHub asked for,
 * as the plugin read it: `retry-after` for a secondary limit (60 s when absent), the time until
 * `x-ratelimit-reset` for a primary one. A retry is allowed while the request has retries left
 * and the wait fits in what is left of the budget; a wait that does not fit is not started.
 */
export function rateLimitHandlers(
  budget: RateLimitBudget,
  log: WarnLog,
): { onRateLimit: LimitHandler; onSecondaryRateLimit: LimitHandler } {
  let waited = 0;
  const handler =
    (kind: "primary" | "secondary"): LimitHandler =>
    (retryAfter, options, _octokit, retryCount) => {
      const retry = retryCount < budget.retries && waited + retryAfter <= budget.maxWaitSeconds;
      if (retry) waited += retryAfter;
      log.warn(
        {
          limit: kind,
          request: `${options.method ?? ""} ${options.url ?? ""}`,
          retryAfter,
          retryCount,
          retry,
        },
        retry ? "GitHub rate limit: waiting as GitHub asks" : "GitHub rate limit: giving up",
      );
      return retry;
    };
  return { onRateLimit: handler("primary"), onSecondaryRateLimit: handler("secondary") };
}

type InstallationFactory = (options: {
  octokit: { constructor: new (options: Record<string, unknown>) => GitHubClient };
  octokitOptions: { throttle?: Record<string, unknown>; auth?: Record<string, unknown> } & Record<
    string,
    unknown
  >;
}) => GitHubClient;

/** One attempt of one request may take this long before it is abandoned (and retried). */
export const REQUEST_TIMEOUT_MS = 15_000;
/** Reading and evaluating one pull request may take this long; then the check fails, saying so. */
export const JUDGEMENT_DEADLINE_MS = 60_000;
/** Retries of a failed request (5xx, network): one policy, for the token request too. */
export const REQUEST_RETRIES = 2;

/**
 * GitHub's secondary limits as gatehouse applies them to GraphQL queries, which change nothing
 * and so are not "content-creating" requests: GitHub allows 100 concurrent requests and 2,000
 * GraphQL points a minute (a query without a mutation costs one point). Octokit's throttling
 * queues every GraphQL request with the writes, one a second; gatehouse's queries instead go
 * at most 10 at once (Octokit's own concurrency queue) and at most 1,800 in any minute: a burst
 * of 240, then 25 more each second. (A reservoir refilled once a minute would let twice its size
 * through in the seconds around a refill; one that grows a little each second cannot.)
 */
export const READ_LIMITS = { perMinute: 1800, burst: 240, perSecond: 25 } as const;

/** The reads limiter of an installation: within READ_LIMITS in any minute (burst + 61 refills). */
export const READ_LIMITER: Bottleneck.ConstructorOptions = {
  minTime: 0,
  reservoir: READ_LIMITS.burst,
  reservoirIncreaseAmount: READ_LIMITS.perSecond,
  reservoirIncreaseInterval: 1000,
  reservoirIncreaseMaximum: READ_LIMITS.burst,
};

function readsGroup(throttle: Record<string, unknown>): Bottleneck.Group {
  return limiterGroup("gatehouse-reads", READ_LIMITER, throttle.connection);
}

/** Node's fetch, abandoned after {@link REQUEST_TIMEOUT_MS} or when `deadline` aborts. */
function timedFetch(timeoutMs: number, deadline?: AbortSignal): typeof fetch {
  return (input, init) => {
    const signals = [AbortSignal.timeout(timeoutMs)];
    if (deadline) signals.push(deadline);
    if (init?.signal) signals.push(init.signal);
    return fetch(input, { ...init, signal: AbortSignal.any(signals) });
  };
}

const TOKEN_PATH = /\/app\/installations\/[^/]+\/access_tokens$/;

/**
 * An installation client like `context.octokit`, made the way Probot makes it (same class,
 * options, cached token and per-installation request queues), with gatehouse's policies:
 * - rate limits waited out within one budget per judgement ({@link rateLimitHandlers});
 * - GraphQL queries not queued behind writes ({@link READ_LIMITS}); each write a second after
 *   the previous write of the installation ended, and within GitHub's 80 writes a minute and
 *   500 an hour for the installation (write-gate.ts);
 * - every attempt abandoned after {@link REQUEST_TIMEOUT_MS}, and the reads of the judgement
 *   after `deadline` aborts;
 * - one retry policy: {@link REQUEST_RETRIES} retries of a request, and none of the token
 *   request inside it (which Octokit would otherwise retry again at every retry: 16 attempts).
 * A client serves one judgement: the budget is its own. Where throttling is off (tests), it
 * stays off, and retries stay as the tests set them.
 */
export async function judgingClient(
  app: Pick<Probot, "auth">,
  installationId: number,
  limits: {
    budget?: RateLimitBudget;
    /** Aborts the reads of the judgement. */
    deadline?: AbortSignal;
    requestTimeoutMs?: number;
  } = {},
): Promise<GitHubClient> {
  const { budget = RATE_LIMIT_BUDGET, deadline, requestTimeoutMs = REQUEST_TIMEOUT_MS } = limits;
  const appClient = (await app.auth()) as unknown as {
    auth(options: Record<string, unknown>): Promise<unknown>;
  };
  const make =
    (reads: boolean): InstallationFactory =>
    ({ octokit, octokitOptions }) => {
      const Client = octokit.constructor;
      const log = (octokitOptions.log as WarnLog | undefined) ?? { warn: () => undefined };
      const throttle = octokitOptions.throttle ?? {};
      const retry = (octokitOptions.retry as Record<string, unknown> | undefined) ?? {};
      const request = (octokitOptions.request as Record<string, unknown> | undefined) ?? {};
      const client = new Client({
        ...octokitOptions,
        request: {
          ...request,
          fetch: request.fetch ?? timedFetch(requestTimeoutMs, reads ? deadline : undefined),
        },
        retry: retry.enabled === false ? retry : { ...retry, retries: REQUEST_RETRIES },
        throttle: throttle.enabled
          ? {
              ...throttle,
              id: String(installationId),
              ...(reads ? { write: readsGroup(throttle) } : {}),
              ...rateLimitHandlers(budget, log),
            }
          : { enabled: false },
        auth: { ...octokitOptions.auth, installationId },
      });
      client.hook.before("request", (options) => {
        if (TOKEN_PATH.test(options.url)) options.request = { ...options.request, retries: 0 };
      });
      // Writes wait for the installation's write gate (write-gate.ts), shared as the throttle is.
      // The reads client's too: the judging client's `graphql` is its, and a mutation is a write.
      if (throttle.enabled) gateWrites(client, installationId, throttle);
      return client;
    };
  const auth = (reads: boolean) =>
    appClient.auth({
      type: "installation",
      installationId,
      factory: make(reads),
    }) as Promise<GitHubClient>;
  const [writer, reader] = await Promise.all([auth(false), auth(true)]);
  // Queries go through the reads client; REST requests (writes, and the few REST reads) through
  // the writes client, whose gate spaces the writes a second apart as GitHub asks.
  writer.graphql = reader.graphql;
  return writer;
}

interface ErrorShape {
  status?: unknown;
  message?: unknown;
  errors?: Array<{ type?: unknown }>;
  data?: { errors?: Array<{ type?: unknown }> };
  response?: { headers?: Record<string, unknown>; data?: { errors?: Array<{ type?: unknown }> } };
}

/** A rate-limit refusal: which limit, and until when GitHub said it holds requests back. */
function rateLimitOf(error: unknown, now: Date): { secondary: boolean; until: Date | null } | null {
  const e = (error ?? {}) as ErrorShape;
  const message = typeof e.message === "string" ? e.message : "";
  const headers = e.response?.headers ?? {};
  const graphqlErrors = [
    ...(e.errors ?? []),
    ...(e.data?.errors ?? []),
    ...(e.response?.data?.errors ?? []),
  ];
  const secondary = /secondary rate limit/i.test(message) || e.status === 429;
  const primary =
    headers["x-ratelimit-remaining"] === "0" ||
    graphqlErrors.some((g) => g.type === "RATE_LIMITED" || g.type === "RATE_LIMIT") ||
    (e.status === 403 && /rate limit/i.test(message));
  if (!secondary && !primary) return null;
  const resetAt = Number(headers["x-ratelimit-reset"]);
  const retryAfter = Number(headers["retry-after"]);
  const until =
    !secondary && resetAt > 0
      ? new Date(resetAt * 1000)
      : retryAfter > 0
        ? new Date(now.getTime() + retryAfter * 1000)
        : null;
  return { secondary, until };
}

/**
 * When a judgement that failed on `error` may succeed: when GitHub's rate limit lifts, or the
 * installation's write window frees (write-window.ts); null when the error names no instant.
 */
export function retryAtOf(error: unknown, now: Date = new Date()): Date | null {
  if (error instanceof WriteWindowFull) return error.until;
  return rateLimitOf(error, now)?.until ?? null;
}

/**
 * A rate-limit error in words a reader of the check can act on, or null for any other error.
 * Knows GitHub's `RATE_LIMITED` and also `RATE_LIMIT`, which GitHub sometimes sends and the
 * throttling plugin does not recognise (so it is not waited out, but still said plainly).
 */
export function rateLimitReason(error: unknown, now: Date = new Date()): string | null {
  const limit = rateLimitOf(error, now);
  if (!limit) return null;
  const { secondary, until } = limit;
  const time = until ? `${until.toISOString().slice(11, 16)} UTC` : null;
  const { retries, maxWaitSeconds } = RATE_LIMIT_BUDGET;
  return [
    `GitHub's ${secondary ? "secondary rate limit" : "rate limit"} for this installation is reached${time ? ` until ${time}` : ""}.`,
    `gatehouse waits at most ${maxWaitSeconds} seconds and ${retries} retries per pull request, then stops rather than hold the check.`,
    `It judges again on the next event, or comment \`/gatehouse recheck\` ${time ? `after ${time}` : "in a few minutes"}.`,
  ].join(" ");
}
