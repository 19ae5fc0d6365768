/**
 * The evidence document of one deployment status: a GitHub Deployment that gatehouse created
 * for a change reports `in_progress`, `success`, `failure`, … and each report goes into that
 * change's evidence, on the deployed commit, so the ledger says when the change was carried
 * out and how it ended. Pure: the adapter gathers the facts.
 *
 * It is a ledger document like a merge's (model.ts): every field kept, `event`
 * "deployment-status", no pull request and no acts (who triggered the pipeline is judged, and
 * recorded, by the protection rule and the merge), and `deployment` for what GitHub reported.
 */
import type { Login } from "../types.js";
import {
  PREDICATE_TYPE,
  STATEMENT_TYPE,
  type EvidencePredicate,
  type EvidenceStatement,
} from "./model.js";

export const DEPLOYMENT_STATUS_EVENT = "deployment-status";

export interface DeploymentStatusFacts {
  /** "owner/name". */
  repository: string;
  commitUrl?: string;
  deployment: {
    id: number;
    /** The deployed commit (a merge commit, for the deployments gatehouse creates). */
    sha: string;
    ref: string;
    environment: string;
  };
  status: {
    id: number;
    state: string;
    description: string | null;
    creator: Login | null;
    /** ISO 8601, as GitHub gives it. */
    at: string;
    logUrl: string | null;
  };
  /** The change the deployment carries out, as the deployed commit holds it. */
  change: { id: string; path: string; blob: string; state: string | null };
  writtenAt: Date;
}

/** What a deployment status document adds to the predicate. */
export type DeploymentStatusEntry = NonNullable<EvidencePredicate["deployment"]>;

/** The draft statement of a deployment status; `sequence` and chain links are set at append. */
export function draftDeploymentStatus(facts: DeploymentStatusFacts): EvidenceStatement {
  const { deployment, status, change } = facts;
  const conclusion =
    status.state === "success"
      ? "success"
      : status.state === "failure" || status.state === "error"
        ? "failure"
        : "pending";
  const entry: DeploymentStatusEntry = {
    id: deployment.id,
    environment: deployment.environment,
    statusId: status.id,
    state: status.state,
    description: status.description,
    logUrl: status.logUrl,
  };
  const skipped = { status: "skipped" as const, reason: "a deployment status judges no commit" };
  return {
    _type: STATEMENT_TYPE,
    subject: [
      {
        name: facts.repository,
        ...(facts.commitUrl ? { uri: facts.commitUrl } : {}),
        digest: { gitCommit: deployment.sha },
      },
    ],
    predicateType: PREDICATE_TYPE,
    predicate: {
      version: 1,
      event: DEPLOYMENT_STATUS_EVENT,
      sequence: 1,
      previous: null,
      repository: facts.repository,
      pullRequest: null,
      base: { ref: deployment.ref, sha: deployment.sha },
      head: { sha: deployment.sha },
      merge: { sha: deployment.sha, by: status.creator, at: status.at, commits: [deployment.sha] },
      policy: { files: {} },
      records: [
        {
          id: change.id,
          kind: "ChangeRequest",
          path: change.path,
          from: change.state,
          to: change.state,
          blob: change.blob,
          previous: null,
        },
      ],
      acts: [],
      verdict: {
        conclusion,
        summary: `deployment ${deployment.id} of ${change.id} to ${deployment.environment}: ${status.state}${status.description ? ` (${status.description})` : ""}`,
      },
      signatures: skipped,
      privacy: skipped,
      check: { name: "gatehouse", id: null, conclusion: null },
      bypass: null,
      writtenAt: facts.writtenAt.toISOString(),
      deployment: entry,
    },
  };
}
