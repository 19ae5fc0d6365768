/**
 * `npm run bench -- write-windows`: GitHub's hour of writes (500 per installation) kept by the
 * write gate, shown on a scaled-down hour in real time against the fake GitHub of
 * `npm run bench -- github`, which refuses a write past the same hour. Each scenario opens its
 * pull requests in an installation of its own, so what earlier scenarios wrote does not count.
 */
import nock from "nock";
import type { TestApp } from "../test/github/helpers/app.js";
import { examplePayload } from "../test/github/helpers/app.js";
import type { FakePull } from "../test/github/helpers/fake-github.js";
import { WINDOW_WAIT_LIMIT_MS } from "../src/github/write-gate.js";
import { underLimits } from "./github.bench.js";
import type { LimitCounts } from "./secondary-limits.js";

/** Every pull request opened at once, in installation `installation`. */
const openAllIn = (installation: number) => async (app: TestApp, pulls: FakePull[]) => {
  await Promise.all(
    pulls.map((pull, i) => {
      const payload = examplePayload("pull_request", "opened", pull);
      payload.pull_request.number = pull.number;
      payload.installation.id = installation;
      return app.probot.receive({
        id: `window-${installation}-${i}`,
        name: "pull_request",
        payload,
      } as never);
    }),
  );
};

/** The most writes GitHub accepted within any `ms`, and when the first write past `max` came. */
function hourFigures(ms: number, max: number) {
  return (counts: LimitCounts, app: TestApp): string => {
    const times = counts.writeTimes;
    let most = 0;
    for (const [i, start] of times.entries()) {
      most = Math.max(most, times.slice(i).filter((t) => t < start + ms).length);
    }
    const past = times[max];
    const first = times[0];
    const refused = app.logs.filter((line) => line.includes("GitHub accepts at most")).length;
    const logged = app.logs.filter((line) => line.includes('"msg":"could not judge"')).length;
    return [
      `most writes within any ${ms / 1000} s: ${most} (cap ${max})`,
      past !== undefined && first !== undefined
        ? `write ${max + 1} went ${((past - first) / 1000).toFixed(1)} s after the first`
        : `no write past the ${max}th`,
      `judgements refused by the gate and logged: ${logged} (${refused} log lines name the cap)`,
    ].join("; ");
  };
}

export async function run(): Promise<void> {
  nock.disableNetConnect();
  console.log(
    "Against the fake GitHub, with its hour of writes scaled down (the App's gate keeps the same one), real time",
  );
  // Twenty writes fill the window in about 20 s; the 21st waits until the first leaves it, at
  // 40 s, well within the gate's wait limit, and every verdict is posted.
  await underLimits(
    "30 pull requests opened at once, hour scaled to 40 s and 20 writes",
    30,
    { trigger: openAllIn(9001) },
    { ms: 40_000, max: 20, report: hourFigures(40_000, 20) },
  );
  // Here the 21st would wait about 100 s, past the gate's limit: those judgements are refused
  // at once, unsent, and logged, and GitHub refuses nothing.
  await underLimits(
    `30 pull requests opened at once, hour scaled to 120 s and 20 writes (waits over ${WINDOW_WAIT_LIMIT_MS / 1000} s are refused)`,
    30,
    { trigger: openAllIn(9002) },
    { ms: 120_000, max: 20, report: hourFigures(120_000, 20) },
  );
  nock.enableNetConnect();
}
