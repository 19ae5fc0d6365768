/**
 * Issue 12, "Running the App": the App reads its settings from the base commit it judges, keeps
 * one check run per head commit, and says plainly what went wrong.
 */
import { describe, expect, it } from "vitest";
import { createApp, examplePayload, github, receive } from "./helpers/app.js";
import { noNetwork } from "./helpers/no-network.js";
import { requestChangePull } from "./helpers/pull-fixture.js";

const unmatched = noNetwork();

describe("the App's settings come from the base commit it judges", () => {
  it("finds the policy where the base commit's .github/gatehouse.yml says, without a REST read", async () => {
    const pull = await requestChangePull();
    for (const [path, text] of [...pull.baseFiles]) {
      if (!path.startsWith("policies/")) continue;
      pull.baseFiles.delete(path);
      pull.baseFiles.set(path.replace(/^policies\//, "governance/"), text);
    }
    pull.baseFiles.set(".github/gatehouse.yml", "policies: governance\n");
    // The pull request points the setting elsewhere; its own file must not count.
    pull.headFiles.set(".github/gatehouse.yml", "policies: nowhere\n");
    pull.changed.push({ path: ".github/gatehouse.yml", changeType: "MODIFIED" });
    const gh = github(pull).graphql(4).checks(2);
    const app = createApp();

    await receive(app, "pull_request", examplePayload("pull_request", "opened", pull));
    // roles.yml and workflows.yml were read from governance/: the roles have their holders, and
    // the policy-change rule of the pack applies to the pull request's edit of the setting.
    expect(gh.last().body.output.summary).toContain("needs an approval from qa; li-qa can give it");
    expect(gh.last().body.output.summary).toContain("needs an approval from security-admin");
    expect(gh.graphqlRequests).toBe(3); // asked again once, with the directory it names

    await receive(app, "pull_request", examplePayload("pull_request", "synchronize", pull));
    // Now known: no query is asked twice, and the policy is cached.
    expect(gh.graphqlRequests).toBe(4);

    expect(unmatched()).toStrictEqual([]);
    expect(gh.last().body.status).toBe("in_progress");
    expect(gh.last().body.output.title).toMatch(/Waiting for/);
  });
});

describe("the start-up line", () => {
  it("names the app id, the GitHub host, the webhook path and whether Redis is used", async () => {
    const { default: entry } = await import("../../src/index.js");
    const saved = { ...process.env };
    Object.assign(process.env, {
      APP_ID: "12345",
      GHE_HOST: "github.bank.example",
      WEBHOOK_SECRET: "s3cret-for-test",
      REDIS_URL: "redis://127.0.0.1:6390",
    });
    const lines: string[] = [];
    const app = {
      log: {
        info: (facts: unknown, message: string) =>
          lines.push(`${message} ${JSON.stringify(facts)}`),
        fatal: () => undefined,
      },
      webhookPath: "/hooks/github",
      on: () => undefined,
    };
    try {
      entry(app as never);
    } finally {
      process.env = saved;
    }
    expect(lines).toStrictEqual([
      'gatehouse started: app 12345 on github.bank.example, webhooks at /hooks/github, sharing state through Redis {"appId":12345,"host":"github.bank.example","webhookPath":"/hooks/github","redis":true}',
    ]);
  });
});
