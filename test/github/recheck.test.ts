/**
 * A passing check never outlives its window: the real app judges a deployment pull request
 * inside its window (green, "holds until …"), and when the window closes it judges again by
 * itself, with no event, turning the check red. Time is a clock the test moves by hand.
 */
import { stringify } from "yaml";
import { describe, expect, it } from "vitest";
import { memoryStore } from "../../src/github/judge-store.js";
import { MARGIN_MS } from "../../src/github/recheck-timer.js";
import { changeRecord, INSIDE, OPS, WINDOW } from "../core/deploy/pack-snapshot.js";
import { createApp, examplePayload, github, receive } from "./helpers/app.js";
import { fakeClock } from "./helpers/fake-clock.js";
import { noNetwork } from "./helpers/no-network.js";
import { requestChangePull } from "./helpers/pull-fixture.js";
import { approve } from "./helpers/pull-fixture.js";

const unmatched = noNetwork();
const FILE = "deploy/production/payments/app.yaml";
const CLOSES = new Date(WINDOW.end);

/** A pull request that changes a production deployment file under CHG-2026-0001, approved by its executor. */
async function deploymentPull() {
  const pull = await requestChangePull({
    changeRecord: false,
    extraBase: new Map([["changes/CHG-2026-0001.yaml", stringify(changeRecord("CHG-2026-0001"))]]),
    headFiles: new Map([[FILE, "image: gateway:4.2.0\n"]]),
  });
  pull.body = "Deploy the gateway.\n\nChange: CHG-2026-0001\n";
  approve(pull, OPS);
  return pull;
}

describe("a deployment pull request's check after its window", () => {
  it("is green inside the window, says until when, and turns red when the window closes, with no event", async () => {
    const pull = await deploymentPull();
    const time = fakeClock(INSIDE);
    const store = memoryStore(time.now);
    const gh = github(pull).graphql(20).checks(2);
    const app = createApp({ clock: time.clock, store });

    await receive(app, "pull_request", examplePayload("pull_request", "opened", pull));
    expect(gh.last().body).toMatchObject({
      status: "completed",
      conclusion: "success",
      output: { title: "All requirements met; holds until 2026-11-26 23:30 (Asia/Shanghai)" },
    });

    await time.advanceTo(new Date(CLOSES.getTime() + MARGIN_MS - 1));
    expect(gh.checkRuns).toHaveLength(1);
    await time.advanceTo(new Date(CLOSES.getTime() + MARGIN_MS));

    expect(unmatched()).toStrictEqual([]);
    expect(gh.contractErrors).toStrictEqual([]);
    expect(gh.checkRuns).toHaveLength(2);
    expect(gh.last().body).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(gh.last().body.output.summary).toContain("closed at 2026-11-26 23:30");
  });

  it("is judged again by a replica started after the one that judged it stopped", async () => {
    const pull = await deploymentPull();
    const time = fakeClock(INSIDE);
    const store = memoryStore(time.now);
    const gh = github(pull).graphql(20).checks(2);
    // The first replica judges; its timers are never run (it is gone).
    const first = fakeClock(INSIDE);
    await receive(
      createApp({ clock: { now: time.now, after: first.clock.after }, store }),
      "pull_request",
      examplePayload("pull_request", "opened", pull),
    );
    expect(gh.last().body).toMatchObject({ conclusion: "success" });

    time.jump(new Date(CLOSES.getTime() + 3_600_000));
    createApp({ clock: time.clock, store });
    // The new replica reads the pending rechecks as it starts (one read of the store).
    await new Promise((resolve) => setImmediate(resolve));
    await time.advanceTo(new Date(CLOSES.getTime() + 3_600_000));

    expect(unmatched()).toStrictEqual([]);
    expect(gh.last().body).toMatchObject({ status: "completed", conclusion: "failure" });
  });
});
