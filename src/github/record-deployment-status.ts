/**
 * A status of a Deployment that gatehouse created (`deployment_status` created; GitHub names this
 * App as the Deployment's creator and its payload names the change) goes into the change's
 * evidence: one signed document in refs/notes/gatehouse, on
 * the deployed commit, filed under the change, through the same writer as a merge's evidence. A
 * redelivered status, or one a second replica wrote first, writes nothing new. Deployments that
 * name no change (another tool's) are left alone, and so are Deployments anyone else created
 * naming one: whoever may create deployments must not be able to file claimed outcomes under a
 * change. Never throws.
 */
import { readChanges } from "../core/deploy/change-facts.js";
import {
  draftDeploymentStatus,
  type DeploymentStatusFacts,
} from "../core/evidence/deployment-statement.js";
import { DEFAULT_CONFIG } from "../core/policy/model.js";
import { evidenceSigner } from "./evidence-key.js";
import type { JudgeContext } from "./judge-pull-request.js";
import { describeError } from "./redact.js";
import { appendGitHubEvidence } from "./write-ledger.js";

/** A record id as gatehouse writes it into a Deployment's payload. */
const CHANGE_ID = /^[A-Z][A-Z0-9]*-\d{4}-\d{4,}$/;

export interface DeploymentStatusEvent {
  owner: string;
  repo: string;
  deployment: {
    id: number;
    sha: string;
    ref: string;
    environment: string;
    payload: unknown;
    /** The id of the GitHub App that created the Deployment (`performed_via_github_app`). */
    app: number | null;
  };
  /** This App's id; without it no Deployment can be shown to be gatehouse's, and none is recorded. */
  ownApp: number | null;
  status: DeploymentStatusFacts["status"];
}

export type DeploymentStatusOutcome =
  | { kind: "written"; sequence: number }
  | { kind: "exists" }
  | { kind: "skipped"; reason: string }
  | { kind: "error"; reason: string };

/** Writes the evidence of one deployment status (see the file comment). */
export async function recordDeploymentStatus(
  context: JudgeContext,
  event: DeploymentStatusEvent,
): Promise<DeploymentStatusOutcome> {
  const { owner, repo, deployment, status } = event;
  const payload = (deployment.payload ?? {}) as { change?: unknown; record?: unknown };
  const id = typeof payload.change === "string" ? payload.change : null;
  if (id === null || !CHANGE_ID.test(id)) {
    return { kind: "skipped", reason: "the deployment names no change of gatehouse" };
  }
  if (event.ownApp === null || deployment.app !== event.ownApp) {
    context.log.warn(
      { deployment: deployment.id, change: id, app: deployment.app },
      "a deployment gatehouse did not create names a change; its status is not evidence",
    );
    return { kind: "skipped", reason: "gatehouse did not create the deployment" };
  }
  const log = context.log.child({ deployment: deployment.id, change: id });
  try {
    const signer = await evidenceSigner();
    if (!signer) {
      log.warn("no GATEHOUSE_EVIDENCE_KEY: the deployment status leaves no evidence");
      return { kind: "skipped", reason: "no evidence key is configured" };
    }
    // The record as the deployed commit holds it (the payload says where; older ones did not).
    const path =
      typeof payload.record === "string" && payload.record.endsWith(`${id}.yaml`)
        ? payload.record
        : `${DEFAULT_CONFIG.records.ChangeRequest.replace(/\/+$/, "")}/${id}.yaml`;
    const { data } = await context.octokit.rest.repos.getContent({
      owner,
      repo,
      path,
      ref: deployment.sha,
    });
    if (Array.isArray(data) || data.type !== "file" || !("content" in data)) {
      throw new Error(`${path} at ${deployment.sha.slice(0, 7)} is not a file`);
    }
    const text = Buffer.from(data.content, "base64").toString("utf8");
    const state = readChanges(new Map([[path, text]]), DEFAULT_CONFIG)[0]?.state ?? null;
    const draft = draftDeploymentStatus({
      repository: `${owner}/${repo}`,
      commitUrl: `https://github.com/${owner}/${repo}/commit/${deployment.sha}`,
      deployment: {
        id: deployment.id,
        sha: deployment.sha,
        ref: deployment.ref,
        environment: deployment.environment,
      },
      status,
      change: { id, path, blob: data.sha, state },
      writtenAt: new Date(),
    });
    const append = await appendGitHubEvidence(
      context.octokit,
      { owner, repo },
      // The ledger begins with a merge; a deployment never starts one.
      { draft, signer, baselineAt: deployment.sha, config: DEFAULT_CONFIG, mayStart: false },
    );
    if (append.kind === "exists") {
      log.info({ status: status.id }, "deployment status already in evidence");
      return { kind: "exists" };
    }
    const sequence = append.statements.at(-1)!.predicate.sequence;
    log.info({ status: status.id, state: status.state, sequence }, "deployment status in evidence");
    return { kind: "written", sequence };
  } catch (error) {
    const reason = describeError(error);
    log.error({ reason }, "could not write the deployment status's evidence");
    return { kind: "error", reason };
  }
}
