/**
 * A verdict the App could not write leaves the head showing what it showed before, perhaps a
 * success judged under another policy. So a judgement whose check did not reach GitHub at all
 * (not even the failing one) is judged again by itself, after five minutes and then less often,
 * with no event: the head never keeps a stale check for want of a push.
 */
import { describe, expect, it } from "vitest";
import { memoryStore } from "../../src/github/judge-store.js";
import { MARGIN_MS, RETRY_FIRST_MS } from "../../src/github/recheck-timer.js";
import { createApp, examplePayload, github, receive } from "./helpers/app.js";
import { fakeClock } from "./helpers/fake-clock.js";
import { noNetwork } from "./helpers/no-network.js";
import { requestChangePull } from "./helpers/pull-fixture.js";

const unmatched = noNetwork();
const START = new Date("2026-11-26T06:00:00Z");

describe("a check GitHub would not take", () => {
  it("is judged again five minutes later, with no event, and written then", async () => {
    const pull = await requestChangePull();
    const time = fakeClock(START);
    const app = createApp({ clock: time.clock, store: memoryStore(time.now) });
    const gh = github(pull).graphql(3);
    // The verdict, then the failing check that says so: GitHub refuses both.
    let refused = 0;
    gh.scope
      .post(`/repos/${pull.owner}/${pull.name}/check-runs`)
      .times(2)
      .reply(() => {
        refused += 1;
        return [502, { message: "Bad Gateway" }];
      });

    await receive(app, "pull_request", examplePayload("pull_request", "opened", pull));
    const read = gh.graphqlRequests;
    expect(refused).toBe(2);
    expect(gh.checkRuns).toEqual([]);
    expect(app.logs.join("")).toContain("could not report the failure either");

    gh.checks();
    await time.advanceTo(new Date(START.getTime() + RETRY_FIRST_MS + MARGIN_MS - 1));
    expect(gh.checkRuns).toEqual([]);
    await time.advanceTo(new Date(START.getTime() + RETRY_FIRST_MS + MARGIN_MS));

    expect(gh.checkRuns).toHaveLength(1);
    // The pull request waits for its approvals, as it did when the first judgement was refused.
    expect(gh.last().body).toMatchObject({ head_sha: pull.headSha, status: "in_progress" });
    expect(gh.last().body.output.title).toMatch(/^Waiting for /);
    expect(gh.graphqlRequests).toBe(read + 1);
    expect(unmatched()).toStrictEqual([]);
  });

  it("is not judged again when the failing check did reach the head", async () => {
    const pull = await requestChangePull();
    const time = fakeClock(START);
    const app = createApp({ clock: time.clock, store: memoryStore(time.now) });
    const gh = github(pull).graphql(3);
    gh.scope
      .post(`/repos/${pull.owner}/${pull.name}/check-runs`)
      .reply(502, { message: "Bad Gateway" });
    gh.checks();

    await receive(app, "pull_request", examplePayload("pull_request", "opened", pull));
    expect(gh.last().body).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(gh.last().body.output.summary).toContain("502");
    const read = gh.graphqlRequests;

    await time.advanceTo(new Date(START.getTime() + 3 * 3_600_000));
    expect(gh.graphqlRequests).toBe(read);
    expect(gh.checkRuns).toHaveLength(1);
    expect(unmatched()).toStrictEqual([]);
  });
});
