/** What a deployment protection rule request asks, and what judging it may be given. */
import type { Evidence, Login } from "../core/types.js";
import type { JudgeContext } from "./judge-pull-request.js";

export interface ProtectionRequest {
  owner: string;
  repo: string;
  defaultBranch: string;
  environment: string;
  sha: string;
  callbackUrl: string;
  /** Who triggered the job: the executor. */
  sender: Login;
  /** The change the deployment's payload names (our own deployments carry one). */
  payloadChange: string | null;
  /** The id of the deployment being judged, left out when looking for the last one. */
  deploymentId: number | null;
}

export interface ProtectionDeps {
  /**
   * The earlier acts on the named changes; by default read from the evidence ledger on GitHub
   * (refs/notes/gatehouse, one request) and verified against the default branch's keys.
   */
  evidenceFor?(
    context: JudgeContext,
    request: ProtectionRequest,
    ids: string[],
  ): Promise<Evidence[]>;
  now?(): Date;
  timeLimitMs?: number;
  /** This App's id: only the statuses of Deployments it created go into evidence. */
  appId?: number | undefined;
}
