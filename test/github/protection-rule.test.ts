/**
 * The custom deployment protection rule through the real app: a `deployment_protection_rule`
 * payload built to GitHub's OpenAPI webhook schema (the examples package has none), GitHub's
 * GraphQL answered by the fake over the real schema, REST by nock, and the answer's body
 * checked against the OpenAPI description of the protection-rule review endpoint.
 */
import { describe, expect, it } from "vitest";
import type { Evidence } from "../../src/core/types.js";
import { INSIDE, OPS, WINDOW } from "../core/deploy/pack-snapshot.js";
import { createApp, receive } from "./helpers/app.js";
import { noNetwork } from "./helpers/no-network.js";
import { restBodyErrors } from "./helpers/openapi.js";
import {
  protectedRepository,
  protectionGitHub,
  protectionPayload,
} from "./helpers/protection-fixture.js";
import { webhookErrors } from "./helpers/webhook-schema.js";

const unmatched = noNetwork();
interface Scenario {
  sender?: string;
  now?: Date;
  changeFields?: Record<string, unknown>;
  /** Files since the last successful deployment (compare), or null for no earlier deployment. */
  files?: string[] | null;
  evidence?: Evidence[];
}

async function deliver(scenario: Scenario) {
  const pull = protectedRepository(scenario.changeFields ?? {});
  const app = createApp({
    deployments: {
      now: () => scenario.now ?? INSIDE,
      ...(scenario.evidence ? { evidenceFor: async () => scenario.evidence! } : {}),
    },
  });
  const files =
    scenario.files === undefined ? ["deploy/production/payments/app.yaml"] : scenario.files;
  const { scope, answers } = protectionGitHub(pull, files);
  const payload = protectionPayload(pull, scenario.sender ?? OPS);
  expect(webhookErrors("deployment-protection-rule-requested", payload)).toEqual([]);
  await receive(app, "deployment_protection_rule", payload);
  expect(scope.pendingMocks()).toStrictEqual([]);
  expect(unmatched()).toEqual([]);
  expect(answers).toHaveLength(1);
  const answer = answers[0]!;
  expect(
    restBodyErrors(
      "POST",
      "/repos/{owner}/{repo}/actions/runs/{run_id}/deployment_protection_rule",
      answer,
    ),
  ).toEqual([]);
  return answer as { environment_name: string; state: string; comment: string };
}

describe("the deployment protection rule", () => {
  it("approves inside the window, naming the change, its window and the executor", async () => {
    const answer = await deliver({});
    expect(answer).toEqual({
      environment_name: "production",
      state: "approved",
      comment:
        "Approved: production: deploy/production/payments/app.yaml under CHG-2026-0001 (window 2026-11-26 22:00–23:30 (Asia/Shanghai)), executed by example-li-na.",
    });
  });

  it("rejects in a freeze and says so", async () => {
    const answer = await deliver({
      now: new Date("2026-12-29T22:30:00+08:00"),
      changeFields: {
        window: { start: "2026-12-29T22:00:00+08:00", end: "2026-12-29T23:30:00+08:00" },
      },
    });
    expect(answer.state).toBe("rejected");
    expect(answer.comment).toMatch(
      /falls in the freeze "year-end close" \(2026-12-28 to 2027-01-04\); a freeze beats a window/,
    );
  });

  it("rejects an executor who initiated the change", async () => {
    const answer = await deliver({
      evidence: [
        {
          record: "CHG-2026-0001",
          acts: [
            { record: "CHG-2026-0001", role: "release-manager", login: OPS, action: "approval" },
          ],
        },
      ],
    });
    expect(answer.state).toBe("rejected");
    expect(answer.comment).toMatch(
      /example-li-na approved CHG-2026-0001 as release-manager in an earlier pull request; the executor of a change may have no other hand in it/,
    );
  });

  it("rejects a deployment that brings a file outside the change's covers", async () => {
    const answer = await deliver({
      files: ["deploy/production/payments/app.yaml", "deploy/production/ledger/db.yaml"],
    });
    expect(answer.state).toBe("rejected");
    expect(answer.comment).toMatch(
      /deploy\/production\/ledger\/db.yaml is not covered by CHG-2026-0001/,
    );
  });

  it("judges every deployment file of the environment at its first deployment", async () => {
    const answer = await deliver({ files: null });
    expect(answer.state).toBe("approved");
  });

  it("rejects once the window has closed", async () => {
    const answer = await deliver({ now: new Date(WINDOW.end) });
    expect(answer.state).toBe("rejected");
    expect(answer.comment).toMatch(/closed at 2026-11-26 23:30/);
  });
});

describe("the deployment protection rule's team members", () => {
  it("reads every page of a team, so a holder listed after the first hundred may execute", async () => {
    const pull = protectedRepository();
    const others = Array.from({ length: 149 }, (_, i) => `ops-${i + 100}`);
    pull.teams = { ...pull.teams, "acme/ops": [...others, "ops-1"] };
    const { scope, answers } = protectionGitHub(pull, ["deploy/production/payments/app.yaml"], {
      queries: 3, // the policy, then two pages of acme/ops
    });
    const app = createApp({ deployments: { now: () => INSIDE } });
    await receive(app, "deployment_protection_rule", protectionPayload(pull, "ops-1"));
    expect(scope.pendingMocks()).toStrictEqual([]);
    expect(unmatched()).toEqual([]);
    expect(answers).toHaveLength(1);
    expect(answers[0]).toMatchObject({ state: "approved" });
    expect((answers[0] as { comment: string }).comment).toContain("executed by ops-1");
  });
});
