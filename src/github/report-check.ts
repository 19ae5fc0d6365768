/**
 * The one reporter: every write to the `gatehouse` check run goes through {@link reportCheck}.
 *
 * A verdict that only waits for approvals leaves the run `in_progress` with a title such as
 * "Waiting for qa and release-manager": GitHub shows it yellow ("Some checks haven't completed
 * yet"), distinct from a red failure, and a required check that has not completed blocks the
 * merge. docs/github-app.md explains the choice.
 *
 * A judgement writes at most once, and only when it is the newest word on the commit
 * ({@link WriteOrder}): writes to one commit's run are made one at a time, each judgement
 * carries a ticket drawn before it read GitHub, and a write whose ticket is older than the last
 * one made on that commit is dropped. So a slow judgement that read an approval never
 * overwrites the quicker judgement of its dismissal, in one process or across replicas that
 * share Redis. A verdict equal to the one the run already shows (same status, conclusion,
 * title, summary and annotations, compared through a fingerprint kept in the run's
 * `external_id`) writes nothing.
 */
import { createHash } from "node:crypto";
import { maskVerdict, verdictMasker } from "../core/privacy/mask-verdict.js";
import type { Conclusion, Verdict } from "../core/types.js";
import type { GitHubClient } from "./github-client.js";
import type { JudgeStore } from "./judge-store.js";
import {
  LIMITS,
  checkOutput,
  truncate,
  type Annotation,
  type CheckOutput,
} from "./check-output.js";

export const CHECK_NAME = "gatehouse";

export interface CheckTarget {
  owner: string;
  repo: string;
  /** The exact head sha that was judged. */
  sha: string;
  /** The run to update; a new run is created when absent (and no {@link WriteOrder} knows one). */
  id?: number;
  detailsUrl?: string;
}

/** What the run shows: judging in progress, a verdict, or why no verdict could be reached. */
export type CheckReport =
  { kind: "judging" } | { kind: "verdict"; verdict: Verdict } | { kind: "error"; reason: string };

/** gatehouse's own run on the commit as the judgement read it from GitHub. */
export interface OwnRun {
  id: number;
  status: string;
  /** "success", "failure", … once completed; null while it is in progress. Evidence records it. */
  conclusion?: string | null;
  externalId: string | null;
  /** Whether the run carries annotations: an update would add to them, not replace them. */
  annotated: boolean;
}

/** How a judgement's write is ordered against the others on the same commit. */
export interface WriteOrder {
  store: JudgeStore;
  /** Drawn before the judgement read GitHub; a higher ticket read a newer state. */
  ticket: number;
  /** The run the judgement's snapshot found on the commit, if any. */
  current?: OwnRun | null;
}

export type WriteResult =
  | { written: "created" | "updated"; id: number }
  | { written: "unchanged"; id: number }
  | { written: "superseded" };

/** What the store remembers of the last write on a commit. */
interface LastWrite {
  ticket: number;
  fingerprint: string | null;
  id: number;
  status: string;
  annotated: boolean;
}

const RECHECK_ACTION = {
  label: "Re-check",
  description: "Judge this pull request again",
  identifier: "recheck",
};

const CONCLUSION: Record<Exclude<Conclusion, "pending">, "success" | "failure"> = {
  success: "success",
  failure: "failure",
};

/** A run's write lock outlives any single write GitHub answers. */
const WRITE_LOCK_MS = 30_000;
/** How long the last write on a commit is remembered; GitHub's own run is the fallback. */
const REMEMBER_SECONDS = 7 * 24 * 3600;
const FINGERPRINT = /^gatehouse:([0-9a-f]{24})$/;

/** Writes the report on the commit's run, at most one request; see the file's comment. */
export async function reportCheck(
  github: Pick<GitHubClient, "rest">,
  target: CheckTarget,
  report: CheckReport,
  order?: WriteOrder,
): Promise<WriteResult> {
  const { fields, annotations } = describe(report);
  const fingerprint = fingerprintOf(fields, annotations);
  if (!order) {
    const id = await send(github, target, fields, annotations, fingerprint, target.id);
    return { written: target.id === undefined ? "created" : "updated", id };
  }
  const key = `check:${target.owner}/${target.repo}@${target.sha}`;
  return order.store.exclusive(key, WRITE_LOCK_MS, async () => {
    const remembered = parseLastWrite(await order.store.get(key));
    if (remembered && remembered.ticket > order.ticket) return { written: "superseded" };
    const known = latest(remembered, order.current);
    const remember = (id: number, written: Pick<LastWrite, "status" | "annotated">) =>
      order.store.set(
        key,
        JSON.stringify({ ticket: order.ticket, fingerprint, id, ...written }),
        REMEMBER_SECONDS,
      );
    if (known && known.fingerprint === fingerprint) {
      await remember(known.id, known);
      return { written: "unchanged", id: known.id };
    }
    // GitHub keeps a completed run completed, and an update adds annotations to the old ones:
    // then a new run replaces the old one (branch protection reads the newest).
    const reusable =
      known &&
      !known.annotated &&
      !(known.status.toLowerCase() === "completed" && fields.status !== "completed");
    const id = await send(
      github,
      target,
      fields,
      annotations,
      fingerprint,
      reusable ? known.id : undefined,
    );
    await remember(id, { status: fields.status, annotated: annotations.length > 0 });
    return { written: reusable ? "updated" : "created", id };
  });
}

/**
 * The newer of what the store remembers and what the judgement read from GitHub. When both
 * speak of the same run but disagree about its text, what the run shows is not known (a write
 * GitHub applied whose answer was lost, or a read older than the last write): then nothing
 * counts as unchanged, so a success the App never learned it wrote cannot stand.
 */
function latest(remembered: LastWrite | null, current: OwnRun | null | undefined) {
  if (!current) return remembered;
  const shown = {
    id: current.id,
    status: current.status,
    annotated: current.annotated,
    fingerprint: FINGERPRINT.exec(current.externalId ?? "")?.[1] ?? null,
  };
  if (!remembered || shown.id > remembered.id) return shown;
  if (shown.id < remembered.id || shown.fingerprint === remembered.fingerprint) return remembered;
  const completed = [shown.status, remembered.status].find((s) => s.toLowerCase() === "completed");
  return {
    id: remembered.id,
    status: completed ?? remembered.status,
    annotated: shown.annotated || remembered.annotated,
    fingerprint: null,
  };
}

function parseLastWrite(text: string | null): LastWrite | null {
  if (text === null) return null;
  try {
    return JSON.parse(text) as LastWrite;
  } catch {
    return null;
  }
}

async function send(
  github: Pick<GitHubClient, "rest">,
  target: CheckTarget,
  fields: Fields,
  annotations: Annotation[],
  fingerprint: string,
  id: number | undefined,
): Promise<number> {
  const base = { owner: target.owner, repo: target.repo };
  const body = {
    ...fields,
    external_id: `gatehouse:${fingerprint}`,
    output: annotations.length > 0 ? { ...fields.output, annotations } : fields.output,
  };
  if (id !== undefined) {
    return (await github.rest.checks.update({ ...base, check_run_id: id, ...body })).data.id;
  }
  return (
    await github.rest.checks.create({
      ...base,
      name: CHECK_NAME,
      head_sha: target.sha,
      ...(target.detailsUrl ? { details_url: target.detailsUrl } : {}),
      ...body,
    })
  ).data.id;
}

function fingerprintOf(fields: Fields, annotations: Annotation[]): string {
  return createHash("sha256")
    .update(JSON.stringify([fields, annotations]))
    .digest("hex")
    .slice(0, 24);
}

interface Fields {
  status: "in_progress" | "completed";
  conclusion?: "success" | "failure";
  output: { title: string; summary: string };
  actions?: Array<typeof RECHECK_ACTION>;
}

function describe(report: CheckReport): { fields: Fields; annotations: Annotation[] } {
  if (report.kind === "judging") {
    return {
      fields: {
        status: "in_progress",
        output: {
          title: "Judging",
          summary: "gatehouse is judging this commit against the policy of the base branch.",
        },
      },
      annotations: [],
    };
  }
  if (report.kind === "error") {
    return {
      fields: {
        status: "completed",
        conclusion: "failure",
        output: {
          title: "gatehouse could not judge this pull request",
          summary: truncate(
            `${verdictMasker()(report.reason)}\n\nNothing was approved: gatehouse fails closed. Fix the cause, or comment \`/gatehouse recheck\` to try again.`,
            LIMITS.summary,
          ),
        },
        actions: [RECHECK_ACTION],
      },
      annotations: [],
    };
  }
  // The core masks every verdict it makes; what the App adds (a merge group's title, an
  // error's words) is masked here, where every check run is written.
  const output: CheckOutput = checkOutput(maskVerdict(report.verdict));
  const { annotations, ...text } = output;
  const { conclusion } = report.verdict;
  const fields: Fields =
    conclusion === "pending"
      ? { status: "in_progress", output: text, actions: [RECHECK_ACTION] }
      : {
          status: "completed",
          conclusion: CONCLUSION[conclusion],
          output: text,
          actions: [RECHECK_ACTION],
        };
  return { fields, annotations };
}
