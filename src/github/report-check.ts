/**
 * The one reporter: every write to the `gatehouse` check run goes through {@link reportCheck}.
 *
 * A verdict that only waits for approvals leaves the run `in_progress` with a title such as
 * "Waiting for qa and release-manager": GitHub shows it yellow ("Some checks haven't completed
 * yet"), distinct from a red failure, and a required check that has not completed blocks the
 * merge. docs/github-app.md explains the choice.
 */
import type { Conclusion, Verdict } from "../core/types.js";
import type { GitHubClient } from "./github-client.js";
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
  /** The run to update; a new run is created when absent. */
  id?: number;
  detailsUrl?: string;
}

/** What the run shows: judging in progress, a verdict, or why no verdict could be reached. */
export type CheckReport =
  { kind: "judging" } | { kind: "verdict"; verdict: Verdict } | { kind: "error"; reason: string };

const RECHECK_ACTION = {
  label: "Re-check",
  description: "Judge this pull request again",
  identifier: "recheck",
};

const CONCLUSION: Record<Exclude<Conclusion, "pending">, "success" | "failure"> = {
  success: "success",
  failure: "failure",
};

/** Creates or updates the check run; returns its id. Annotations go 50 per request. */
export async function reportCheck(
  github: Pick<GitHubClient, "rest">,
  target: CheckTarget,
  report: CheckReport,
): Promise<number> {
  const { fields, annotations } = describe(report);
  const base = { owner: target.owner, repo: target.repo };
  const first = {
    ...fields,
    output: withAnnotations(fields.output, annotations.slice(0, LIMITS.annotationsPerRequest)),
  };
  const id =
    target.id === undefined
      ? (
          await github.rest.checks.create({
            ...base,
            name: CHECK_NAME,
            head_sha: target.sha,
            ...(target.detailsUrl ? { details_url: target.detailsUrl } : {}),
            ...first,
          })
        ).data.id
      : (await github.rest.checks.update({ ...base, check_run_id: target.id, ...first })).data.id;
  for (
    let i = LIMITS.annotationsPerRequest;
    i < annotations.length;
    i += LIMITS.annotationsPerRequest
  ) {
    // Each update appends its annotations to those already on the run.
    await github.rest.checks.update({
      ...base,
      check_run_id: id,
      output: withAnnotations(
        fields.output,
        annotations.slice(i, i + LIMITS.annotationsPerRequest),
      ),
    });
  }
  return id;
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
            `${report.reason}\n\nNothing was approved: gatehouse fails closed. Fix the cause, or comment \`/gatehouse recheck\` to try again.`,
            LIMITS.summary,
          ),
        },
        actions: [RECHECK_ACTION],
      },
      annotations: [],
    };
  }
  const output: CheckOutput = checkOutput(report.verdict);
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

function withAnnotations(
  output: Fields["output"],
  annotations: Annotation[],
): Fields["output"] & { annotations?: Annotation[] } {
  return annotations.length > 0 ? { ...output, annotations } : output;
}
