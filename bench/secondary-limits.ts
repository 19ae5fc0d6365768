/**
 * A fake GitHub for `npm run bench -- github` that enforces GitHub's secondary rate limits per
 * installation, as GitHub documents them: at least a second between content-creating requests
 * (REST writes), at most 80 of them a minute and 500 an hour (or a scaled-down hour), at most 100
 * requests at once, and
 * at most 2,000 GraphQL points a minute (a query without a mutation costs one point). A breach
 * is answered as GitHub answers it: 403 "You have exceeded a secondary rate limit" with
 * `retry-after`. The pull requests are the schema-executing fake of the app tests, in real time.
 */
import nock from "nock";
import { API, APP_ID } from "../test/github/helpers/app.js";
import { answerGraphQL, type FakePull } from "../test/github/helpers/fake-github.js";

export interface LimitCounts {
  graphql: number;
  writes: number;
  restReads: number;
  /** REST reads of one commit's diff (the history scan of a pull request of several commits). */
  commitReads: number;
  breaches: number;
  /** Breaches by the rule broken: "gap" (<0.9 s after the last write), "minute", "hour", "concurrency", "points". */
  breachesBy: Record<string, number>;
  maxConcurrent: number;
  /** The closest two writes GitHub accepted (ms apart), and how many came under a second apart. */
  closestWrites: number;
  writesUnderASecond: number;
  /** performance.now() of every write GitHub accepted. */
  writeTimes: number[];
  /**
   * False while a scenario sets the scene (pull requests judged before a policy push): requests
   * are then answered without limits and not counted.
   */
  enforce: boolean;
}

/** Counts of nothing yet, limits on. */
function zeroCounts(): LimitCounts {
  return {
    graphql: 0,
    writes: 0,
    restReads: 0,
    commitReads: 0,
    breaches: 0,
    breachesBy: {},
    maxConcurrent: 0,
    closestWrites: Infinity,
    writesUnderASecond: 0,
    writeTimes: [],
    enforce: true,
  };
}

/** Starts counting afresh, limits on (the scene is set). */
export function countFromNow(counts: LimitCounts): void {
  Object.assign(counts, zeroCounts());
}

const BREACH = {
  message:
    "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
};

/** GitHub's hour of writes: 500 in 3,600 s (a scenario may scale it down to show it kept). */
export interface HourOfWrites {
  ms: number;
  max: number;
}

/** Serves `pulls` (one repository) until `nock.cleanAll()`; returns live counts. */
export function limitedGitHub(
  pulls: FakePull[],
  hour: HourOfWrites = { ms: 3_600_000, max: 500 },
): LimitCounts {
  const counts = zeroCounts();
  const first = pulls[0] as FakePull;
  const repo = `/repos/${first.owner}/${first.name}`;
  const graphqlTimes: number[] = [];
  let inFlight = 0;
  let nextId = 5000;
  const scope = nock(API).persist();
  const enter = () => {
    inFlight += 1;
    if (!counts.enforce) return false;
    counts.maxConcurrent = Math.max(counts.maxConcurrent, inFlight);
    return inFlight > 100;
  };
  const leave = () => void (inFlight -= 1);
  const breach = (retryAfter: number, rule: string): [number, unknown, Record<string, string>] => {
    counts.breaches += 1;
    counts.breachesBy[rule] = (counts.breachesBy[rule] ?? 0) + 1;
    return [403, BREACH, { "retry-after": String(retryAfter) }];
  };

  scope.post("/graphql").reply((_uri, body) => {
    const tooMany = enter();
    try {
      const now = performance.now();
      while (graphqlTimes.length > 0 && (graphqlTimes[0] as number) < now - 60_000) {
        graphqlTimes.shift();
      }
      if (counts.enforce) {
        if (tooMany) return breach(60, "concurrency");
        if (graphqlTimes.length >= 2000) return breach(60, "points");
        graphqlTimes.push(now);
        counts.graphql += 1;
      }
      const request = body as { query: string; variables?: Record<string, unknown> };
      const vars = JSON.stringify(request.variables ?? {});
      const pull =
        pulls.find((p) => p.number === request.variables?.number) ??
        pulls.find((p) => vars.includes(p.headSha)) ??
        first;
      return [200, answerGraphQL(pull, request)];
    } finally {
      leave();
    }
  });

  const write = (path: string, body: Record<string, unknown>, create: boolean) => {
    const tooMany = enter();
    try {
      const now = performance.now();
      const last = counts.writeTimes.at(-1);
      const inMinute = counts.writeTimes.filter((t) => t > now - 60_000).length;
      const inHour = counts.writeTimes.filter((t) => t > now - hour.ms).length;
      // GitHub asks for about a second; a little slack for the clocks of two processes.
      const breached = tooMany
        ? "concurrency"
        : last !== undefined && now - last < 900
          ? "gap"
          : inMinute >= 80
            ? "minute"
            : inHour >= hour.max
              ? "hour"
              : null;
      if (counts.enforce) {
        if (breached) return breach(60, breached);
        counts.writes += 1;
        if (last !== undefined) {
          counts.closestWrites = Math.min(counts.closestWrites, now - last);
          if (now - last < 1000) counts.writesUnderASecond += 1;
        }
        counts.writeTimes.push(now);
      }
      const id = create ? nextId++ : Number(path.split("/").pop());
      const sha = create ? String(body.head_sha) : null;
      for (const pull of pulls) {
        if (sha !== null && pull.headSha !== sha) continue;
        const run = pull.checks.find((c) => c.databaseId === id);
        const shown = {
          name: "gatehouse",
          status: body.status === "completed" ? ("COMPLETED" as const) : ("IN_PROGRESS" as const),
          conclusion: body.conclusion ? String(body.conclusion).toUpperCase() : null,
          databaseId: id,
          externalId: (body.external_id as string | undefined) ?? null,
          annotations: 0,
          app: APP_ID,
        };
        if (run) Object.assign(run, shown);
        else if (sha !== null) pull.checks.push(shown);
      }
      return [create ? 201 : 200, { id }];
    } finally {
      leave();
    }
  };
  scope
    .post(`${repo}/check-runs`)
    .reply((path, body) => write(path, body as Record<string, unknown>, true));
  scope
    .patch(new RegExp(`^${repo}/check-runs/\\d+$`))
    .reply((path, body) => write(path, body as Record<string, unknown>, false));
  scope
    .get(`${repo}/pulls`)
    .query(true)
    .reply(() => {
      counts.restReads += 1;
      return [
        200,
        pulls.map((p) => ({
          number: p.number,
          head: { sha: p.headSha },
          base: { ref: p.baseRef },
        })),
      ];
    });
  scope.get(new RegExp(`^${repo}/commits/[0-9a-f]{40}(\\?.*)?$`)).reply((path) => {
    if (counts.enforce) counts.commitReads += 1;
    const sha = path.split("?")[0]?.split("/").pop();
    const commit = pulls.flatMap((p) => p.commits).find((c) => c.sha === sha);
    return commit ? [200, { sha, files: commit.files ?? [] }] : [404, { message: "Not Found" }];
  });
  return counts;
}
