/**
 * The deployment protection rule reads the evidence ledger on GitHub: the earlier acts of the
 * change it deploys under come from refs/notes/gatehouse (one request, whatever the ledger's
 * length), verified against the evidence key the default branch trusts, so an executor who
 * initiated the change in an earlier pull request is rejected, and a change whose evidence
 * cannot be trusted deploys nothing (fail closed).
 */
import nock from "nock";
import { describe, expect, it } from "vitest";
import { DEMO_WINDOW } from "../../src/cli/demo/clock.js";
import { CHG, CHG_PATH, changeAt, yamlOf } from "../../src/cli/demo/records.js";
import { createApp, receive } from "./helpers/app.js";
import type { FakePull } from "./helpers/fake-github.js";
import { LedgerWorld } from "./helpers/ledger-world.js";
import { appEvidenceKey, mergeWithEvidence } from "./helpers/ledger-merge.js";
import { noNetwork } from "./helpers/no-network.js";
import { protectionGitHub, protectionPayload, SHA } from "./helpers/protection-fixture.js";

const unmatched = noNetwork();
const INSIDE = new Date("2026-11-26T22:30:00+08:00");
const FILE = "deploy/production/payment-gateway/app.yaml";
const key = appEvidenceKey();

/**
 * The change drafted on main before the ledger began, initiated by `initiators` (release
 * manager, QA) and scheduled with `scheduler`'s approval as ops lead, each merge recorded.
 */
async function scheduledWorld(initiators: string[], scheduler: string): Promise<LedgerWorld> {
  const world = await LedgerWorld.create({ [CHG_PATH]: yamlOf(changeAt.testing) });
  const trust = world.pull("li-na", { "policies/keys/gatehouse-evidence.asc": key().publicKey }, [
    "xu-ming",
    "guo-fang",
  ]);
  await mergeWithEvidence(world, trust, "xu-ming");
  const request = world.pull("liu-yang", { [CHG_PATH]: yamlOf(changeAt.requested) }, initiators);
  await mergeWithEvidence(world, request, "liu-yang");
  const schedule = world.pull("li-na", { [CHG_PATH]: yamlOf(changeAt.scheduled(DEMO_WINDOW)) }, [
    scheduler,
  ]);
  await mergeWithEvidence(world, schedule, "li-na");
  return world;
}

/** The protection rule's delivery for a deployment of main's tip to production by `sender`. */
async function deploy(world: LedgerWorld, sender: string) {
  nock.cleanAll();
  const repository: FakePull = {
    ...world.pull(sender, {}, []),
    baseSha: "main",
    baseFiles: new Map(world.files),
    headSha: SHA,
  };
  repository.commits = [
    { ...repository.commits[0]!, sha: SHA, message: `Deploy the gateway\n\nChange: ${CHG}\n` },
  ];
  const gh = protectionGitHub(repository, [FILE], { queries: 1 });
  const reads = world.git.requests.graphql;
  const app = createApp({ deployments: { now: () => INSIDE } });
  await receive(app, "deployment_protection_rule", protectionPayload(repository, sender));
  expect(gh.scope.pendingMocks()).toStrictEqual([]);
  expect(unmatched()).toStrictEqual([]);
  expect(gh.answers).toHaveLength(1);
  return {
    answer: gh.answers[0] as { state: string; comment: string },
    ledgerReads: world.git.requests.graphql - reads,
  };
}

describe("the protection rule reads the evidence ledger on GitHub", () => {
  it("approves an ops lead with no other hand in the change, in one more request", async () => {
    // zhou-qiang deputises as ops lead; chen-jie scheduled the change.
    const world = await scheduledWorld(["li-na", "zhao-min"], "chen-jie");
    const { answer, ledgerReads } = await deploy(world, "zhou-qiang");
    expect(answer.state).toBe("approved");
    expect(answer.comment).toContain(`${FILE} under ${CHG}`);
    expect(ledgerReads).toBe(1);
  });

  it("rejects the ops lead who approved the change's schedule as its executor", async () => {
    const world = await scheduledWorld(["li-na", "zhao-min"], "chen-jie");
    const { answer } = await deploy(world, "chen-jie");
    expect(answer.state).toBe("rejected");
    expect(answer.comment).toMatch(new RegExp(`chen-jie approved ${CHG} as ops-lead in #\\d+`));
  });

  it("rejects an executor who initiated the change in an earlier pull request", async () => {
    // chen-jie deputises as release manager: he initiates the change, then deploys it.
    const world = await scheduledWorld(["chen-jie", "zhao-min"], "chen-jie");
    const { answer } = await deploy(world, "chen-jie");
    expect(answer.state).toBe("rejected");
    expect(answer.comment).toMatch(
      new RegExp(`chen-jie approved ${CHG} as release-manager in #\\d+`),
    );
  });

  it("rejects when the change's evidence cannot be trusted (changed on main without evidence)", async () => {
    const world = await scheduledWorld(["li-na", "zhao-min"], "chen-jie");
    // Someone with push rights moves the window on main directly: no pull request, no evidence.
    const files = new Map(world.files);
    files.set(
      CHG_PATH,
      yamlOf(changeAt.scheduled({ ...DEMO_WINDOW, end: "2026-11-27T01:30:00+08:00" })),
    );
    world.main = world.git.commitFiles(files, [world.main], "push around the gate");
    world.files = files;
    world.git.refs.set("refs/heads/main", world.main);
    const { answer } = await deploy(world, "zhou-qiang");
    expect(answer.state).toBe("rejected");
    expect(answer.comment).toContain(`the evidence of ${CHG} cannot be trusted`);
  });
});
