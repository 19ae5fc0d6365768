/**
 * One merge, one load: the `pull_request.closed` delivery of a merged pull request loads its
 * snapshot once, and that one load serves both the evidence and the deployment. Neither waits on
 * the other's success: evidence is written when deploying fails, the deployment is created when
 * the evidence cannot be written, and either failure fails the delivery so that GitHub shows it
 * and it can be redelivered. A redelivery creates no second Deployment of the same merge.
 */
import { describe, expect, it } from "vitest";
import {
  CHG,
  CHG_PATH,
  GATEWAY_FILE,
  changeAt,
  gatewayAt,
  yamlOf,
} from "../../src/cli/demo/records.js";
import { DEMO_WINDOW } from "../../src/cli/demo/clock.js";
import { noteLines } from "../../src/core/evidence/append.js";
import type { FakePull } from "./helpers/fake-github.js";
import { appEvidenceKey, deliverMerge, mergeWithEvidence } from "./helpers/ledger-merge.js";
import { LedgerWorld } from "./helpers/ledger-world.js";
import { noNetwork } from "./helpers/no-network.js";

const unmatched = noNetwork();
const key = appEvidenceKey();

/** A ledger begun by the merge that trusted the evidence key, and a scheduled change. */
async function deployingWorld(): Promise<{ world: LedgerWorld; pull: FakePull }> {
  const world = await LedgerWorld.create({
    [CHG_PATH]: yamlOf(changeAt.scheduled(DEMO_WINDOW)),
    [GATEWAY_FILE]: gatewayAt("4.1.7"),
  });
  const trust = world.pull("li-na", { "policies/keys/gatehouse-evidence.asc": key().publicKey }, [
    "xu-ming",
    "guo-fang",
  ]);
  await mergeWithEvidence(world, trust, "xu-ming");
  const pull = world.pull("liu-yang", { [GATEWAY_FILE]: gatewayAt("4.2.0") }, ["zhou-qiang"]);
  pull.body = `Deploy the gateway.\n\nChange: ${CHG}\n`;
  return { world, pull };
}

function documentsOn(world: LedgerWorld, commit: string): string[] {
  return noteLines(
    world.git.read("refs/notes/gatehouse", `${commit.slice(0, 2)}/${commit.slice(2)}`) ?? null,
  );
}

describe("a merged pull request", () => {
  it("is loaded once for its evidence and its deployment", async () => {
    const { world, pull } = await deployingWorld();
    const merge = world.merge(pull);
    const delivery = await deliverMerge(world, pull, merge);
    expect(delivery.failed).toBeNull();
    expect(unmatched()).toStrictEqual([]);
    expect(documentsOn(world, merge)).toHaveLength(1);
    expect(world.git.tracker.deployments).toMatchObject([
      { sha: merge, environment: "production", payload: { change: CHG } },
    ]);
    // The snapshot query of the merged pull request, once; the other is the closed handler's
    // lookup of open pull requests that shared its head.
    expect(delivery.operations.filter((o) => o === "GatehousePullRequest")).toHaveLength(1);
  });
});

describe("a failure in one of the merge's duties", () => {
  it("still writes the evidence when the deployment cannot be created, and fails the delivery", async () => {
    const { world, pull } = await deployingWorld();
    const merge = world.merge(pull);
    world.git.tracker.failures.createDeployment = 1;
    const delivery = await deliverMerge(world, pull, merge);
    expect(documentsOn(world, merge)).toHaveLength(1);
    expect(world.git.tracker.deployments).toStrictEqual([]);
    expect(String(delivery.failed)).toMatch(/could not create the deployment/);
    expect(delivery.app.logs.join("")).toContain('"msg":"could not create the deployment"');
  });

  it("still creates the deployment when the evidence cannot be written, and fails the delivery", async () => {
    const { world, pull } = await deployingWorld();
    const merge = world.merge(pull);
    // Someone deleted the ledger: the base policy trusts the key, so none is started again.
    world.git.refs.delete("refs/notes/gatehouse");
    const delivery = await deliverMerge(world, pull, merge);
    expect(world.git.refs.has("refs/notes/gatehouse")).toBe(false);
    expect(world.git.tracker.deployments).toHaveLength(1);
    expect(String(delivery.failed)).toMatch(/could not write the merge's evidence/);
  });
});

describe("a redelivered merge", () => {
  it("creates no second Deployment, and the merge is loaded once again", async () => {
    const { world, pull } = await deployingWorld();
    const merge = world.merge(pull);
    expect((await deliverMerge(world, pull, merge)).failed).toBeNull();
    const again = await deliverMerge(world, pull, merge);
    expect(again.failed).toBeNull();
    expect(world.git.tracker.deployments).toHaveLength(1);
    expect(again.app.logs.join("")).toContain('"msg":"evidence already written"');
  });

  it("creates the Deployment the first delivery could not, even when someone else made one", async () => {
    const { world, pull } = await deployingWorld();
    const merge = world.merge(pull);
    world.git.tracker.failures.createDeployment = 1;
    expect((await deliverMerge(world, pull, merge)).failed).not.toBeNull();
    // A deployment of the merge that this App did not create does not stand for its own.
    world.git.tracker.deployed({
      sha: merge,
      environment: "production",
      payload: { change: CHG },
      performed_via_github_app: null,
    });
    expect((await deliverMerge(world, pull, merge)).failed).toBeNull();
    const own = world.git.tracker.deployments.filter((d) => d.performed_via_github_app !== null);
    expect(own).toMatchObject([{ sha: merge, environment: "production" }]);
  });
});
