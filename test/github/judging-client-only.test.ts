/**
 * No handler writes with Probot's own client (`context.octokit`), whose writes pass neither the
 * installation's write gate nor its count of the hour: when the App's client cannot be made, a
 * handler reads and writes nothing, fails its delivery with the reason and logs it.
 */
import { describe, expect, it, vi } from "vitest";
import { createApp, examplePayload, receive, type TestApp } from "./helpers/app.js";
import { noNetwork } from "./helpers/no-network.js";
import { protectionPayload } from "./helpers/protection-fixture.js";
import { requestChangePull } from "./helpers/pull-fixture.js";
import { OPS } from "../core/deploy/pack-snapshot.js";
import type { FakePull } from "./helpers/fake-github.js";

const unmatched = noNetwork();

/** Events whose handlers write: a judgement, a merge's evidence, a reply, a deployment's answer. */
const events: Array<[string, string, (pull: FakePull) => Record<string, unknown>]> = [
  [
    "a pull request opened",
    "pull_request",
    (pull) => examplePayload("pull_request", "opened", pull),
  ],
  [
    "a pull request merged",
    "pull_request",
    (pull) => {
      const payload = examplePayload("pull_request", "closed", pull);
      payload.pull_request = {
        ...payload.pull_request,
        merged: true,
        merge_commit_sha: "b".repeat(40),
      };
      return payload;
    },
  ],
  [
    "/gatehouse explain from the pull request's author",
    "issue_comment",
    (pull) => {
      const payload = examplePayload("issue_comment", "created", pull);
      payload.issue = { ...payload.issue, number: pull.number, state: "open", pull_request: {} };
      payload.comment = {
        ...payload.comment,
        body: "/gatehouse explain",
        user: { ...payload.comment.user, type: "User", login: payload.issue.user.login },
      };
      return payload;
    },
  ],
  [
    "a deployment protection rule",
    "deployment_protection_rule",
    (pull) => protectionPayload(pull, OPS) as Record<string, unknown>,
  ],
];

const logged = (app: TestApp) => app.logs.map((line) => JSON.parse(line) as { msg: string });

describe("no write without the App's own client", () => {
  it.each(events)(
    "%s: nothing is read or written when the App's client cannot be made",
    async (_what, name, payloadOf) => {
      const pull = await requestChangePull();
      const app = createApp({ throttle: true });
      // Probot still makes `context.octokit`; only the App's own client cannot be made.
      vi.spyOn(app.probot, "auth").mockRejectedValue(new Error("the private key was refused"));

      await expect(receive(app, name, payloadOf(pull))).rejects.toThrow(
        /gatehouse did not act on this \w+ event: it could not make its GitHub client for installation 4242 \(the private key was refused\), and writes nothing without one/,
      );

      expect(unmatched()).toEqual([]);
      expect(logged(app).map((line) => line.msg)).toContain(
        "no GitHub client with the write gate could be made; nothing was read or written",
      );
    },
  );

  it("an event that names no installation is not acted on", async () => {
    const pull = await requestChangePull();
    const app = createApp({ throttle: true });
    const payload = examplePayload("pull_request", "opened", pull);
    delete payload.installation;

    await expect(receive(app, "pull_request", payload)).rejects.toThrow(
      "gatehouse did not act on this pull_request event: it names no installation",
    );

    expect(unmatched()).toEqual([]);
  });
});
