/**
 * GitHub's caps on an installation's writes in a minute and in an hour (src/github/write-window.ts,
 * kept by the write gate): a write that would pass one waits until the window frees, and one
 * that would wait longer than the gate allows is not sent and fails saying why. The timing is
 * checked on fake timers; through the App's clients and handlers, only what GitHub (nock)
 * received and what the App logged.
 */
import { readFileSync } from "node:fs";
import Bottleneck from "bottleneck";
import { afterEach, describe, expect, it, vi } from "vitest";
import { judgingClient } from "../../src/github/github-client.js";
import {
  throughGate,
  WINDOW_WAIT_LIMIT_MS,
  WRITE_GAP_MS,
  WRITE_WINDOWS,
} from "../../src/github/write-gate.js";
import { memoryLog, windowWait, WriteWindowFull } from "../../src/github/write-window.js";
import { memoryStore } from "../../src/github/judge-store.js";
import { createApp, examplePayload, github, receive } from "./helpers/app.js";
import { fakeClock } from "./helpers/fake-clock.js";
import { noNetwork } from "./helpers/no-network.js";
import { requestChangePull } from "./helpers/pull-fixture.js";
import { checkRuns, created, write, expectThirdRefused } from "./helpers/timed-writes.js";

const unmatched = noNetwork();
const HOUR = 3_600_000;

/** An installation's gate on fake timers: its writes, when each went out, and their outcomes. */
function installation(name: string, gapMs = WRITE_GAP_MS) {
  const gate = new Bottleneck({ maxConcurrent: 1 });
  const spacing = { gapMs, log: memoryLog(`${name}-${Math.random()}`, WRITE_WINDOWS) };
  const sent: number[] = [];
  const refused: WriteWindowFull[] = [];
  const writeOne = () =>
    throughGate(gate, spacing, async () => void sent.push(Date.now())).catch((error: unknown) => {
      if (!(error instanceof WriteWindowFull)) throw error;
      refused.push(error);
    });
  const writeMany = (n: number) => Promise.all(Array.from({ length: n }, writeOne));
  return { sent, refused, writeOne, writeMany };
}

// Bottleneck's own steps take a fake millisecond or two.
const about = (ms: number) => expect.closeTo(ms, -1.5); // within 16 ms

describe("the windows, on fake timers", () => {
  afterEach(() => void vi.useRealTimers());

  it("holds the 501st write of an hour until the first write leaves the hour; another installation writes meanwhile", async () => {
    vi.useFakeTimers();
    const one = installation("one");
    const other = installation("other");
    const burst = one.writeMany(500);
    await vi.advanceTimersByTimeAsync(600_000);
    await burst;
    expect(one.sent).toHaveLength(500);
    const first = one.sent[0] as number;

    // Ten seconds before the first write leaves the hour, the 501st is asked for.
    vi.setSystemTime(first + HOUR - 10_000);
    const asked = Date.now();
    const late = Promise.all([one.writeOne(), other.writeOne()]);
    await vi.advanceTimersByTimeAsync(20_000);
    await late;

    expect(one.refused).toEqual([]);
    expect(one.sent).toHaveLength(501);
    expect(one.sent[500]).toBeGreaterThanOrEqual(first + HOUR);
    expect(one.sent[500]! - first).toEqual(about(HOUR));
    expect(other.sent[0]! - asked).toEqual(about(0));
  });

  it("does not send a write that would wait longer than the gate allows, and says until when", async () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date("2026-12-02T13:00:00Z"));
    const one = installation("full");
    const burst = one.writeMany(500);
    await vi.advanceTimersByTimeAsync(600_000);
    await burst;

    const asked = Date.now();
    const refusal = one.writeOne();
    await vi.advanceTimersByTimeAsync(100);
    await refusal;

    expect(one.sent).toHaveLength(500);
    expect(one.refused).toHaveLength(1);
    const [refused] = one.refused as [WriteWindowFull];
    // Refused at once, not after waiting its 30 seconds in vain.
    expect(Date.now() - asked).toBeLessThan(WINDOW_WAIT_LIMIT_MS);
    expect(refused.until.getTime()).toEqual(about((one.sent[0] as number) + HOUR));
    expect(refused.message).toMatchInlineSnapshot(
      `"GitHub accepts at most 500 writes an hour from one installation, and this installation has made them; the next may go out at 14:00:00 UTC. gatehouse waits at most 30 s for that, so this write was not sent. A pull request's check is judged again by itself at 14:00:00 UTC, or on its next event."`,
    );
  });

  it("keeps a shorter gap under 80 writes a minute: the 81st waits until the first leaves the minute", async () => {
    vi.useFakeTimers();
    // Half a second between writes: 80 writes take 40 seconds, and the 81st would be early.
    const one = installation("minute", 500);
    const burst = one.writeMany(81);
    await vi.advanceTimersByTimeAsync(120_000);
    await burst;

    expect(one.refused).toEqual([]);
    expect(one.sent).toHaveLength(81);
    const [first, eightieth, last] = [one.sent[0]!, one.sent[79]!, one.sent[80]!];
    // The eighty came within the minute: the cap held the 81st, not the gap.
    expect(eightieth - first).toBeLessThan(45_000);
    expect(last - first).toEqual(about(60_000));
    expect(last - first).toBeGreaterThanOrEqual(60_000);
  });
});

describe("windowWait", () => {
  const hour = { ms: HOUR, max: 3, name: "an hour" };
  const minute = { ms: 60_000, max: 2, name: "a minute" };
  it.each([
    { ends: [], now: 0, ms: 0, window: null },
    { ends: [1, 2], now: 10, ms: 0, window: null },
    // Full: the oldest of the last three must leave.
    { ends: [1, 2, 3], now: 10, ms: HOUR - 9, window: hour },
    { ends: [3, 1, 2], now: 10, ms: HOUR - 9, window: hour },
    // An end exactly an hour ago has left.
    { ends: [0, 5, 6], now: HOUR, ms: 0, window: null },
    { ends: [0, 5, 6, 7], now: HOUR, ms: 5, window: hour },
  ])("$ends at $now waits $ms ms", ({ ends, now, ms, window }) => {
    expect(windowWait(ends, now, [hour])).toEqual({ ms, window });
  });

  it("waits for the window that frees last", () => {
    const ends = [0, 1000, 2000];
    expect(windowWait(ends, 3000, [minute, hour])).toEqual({ ms: HOUR - 3000, window: hour });
    expect(windowWait(ends.slice(1), 3000, [minute, hour])).toEqual({
      ms: 58_000,
      window: minute,
    });
  });
});

describe("the windows on the App's clients and handlers", () => {
  const windows = [{ ms: HOUR, max: 2, name: "an hour" }];

  it("refuses an installation's third write of the hour, unsent, and lets another installation write", async () => {
    const app = createApp({ throttle: true, writeWindows: windows });
    const [first, second, other] = await Promise.all([
      judgingClient(app.probot, 401),
      judgingClient(app.probot, 401),
      judgingClient(app.probot, 402),
    ]);
    const seen = checkRuns(async () => created);

    await write(first, "A", seen);
    await write(second, "B", seen);
    await Promise.all([write(first, "C", seen), write(other, "D", seen)]);

    expectThirdRefused(seen);
    expect(unmatched()).toEqual([]);
  });

  it("counts a GraphQL mutation as a write: the judging client's `graphql` passes the gate too", async () => {
    const app = createApp({
      throttle: true,
      writeWindows: [{ ms: HOUR, max: 1, name: "an hour" }],
    });
    const octokit = await judgingClient(app.probot, 404);
    const seen = checkRuns(async () => created);
    await write(octokit, "A", seen);

    const mutation = octokit.graphql(
      'mutation { addComment(input: { subjectId: "I_1", body: "hello" }) { clientMutationId } }',
    );

    await expect(mutation).rejects.toThrow(WriteWindowFull);
    expect(seen.order).toEqual(["A arrived", "A answered"]);
    expect(unmatched()).toEqual([]);
  });

  it("a judgement whose check cannot be written logs why, GitHub receives nothing, and it is judged again when the hour frees", async () => {
    const pull = await requestChangePull();
    // The rechecks' clock starts now: the window counts in real time.
    const time = fakeClock(new Date());
    const store = memoryStore(time.now);
    const app = createApp({ throttle: true, writeWindows: windows, clock: time.clock, store });
    const payload = examplePayload("pull_request", "opened", pull);
    payload.installation.id = 403;
    // The installation's hour is used up by two earlier writes.
    const octokit = await judgingClient(app.probot, 403);
    const seen = checkRuns(async () => created);
    await write(octokit, "A", seen);
    await write(octokit, "B", seen);
    github(pull).graphql(3);

    await receive(app, "pull_request", payload);

    expect(seen.order).toEqual(["A arrived", "A answered", "B arrived", "B answered"]);
    const logged = app.logs.map((line) => JSON.parse(line) as { msg: string; reason?: string });
    const said = (msg: string) => logged.find((line) => line.msg === msg)?.reason;
    expect(said("could not judge")).toMatch(
      /^GitHub accepts at most 2 writes an hour from one installation, .* the next may go out at \d\d:\d\d:\d\d UTC\./,
    );
    expect(said("could not report the failure either")).toMatch(/^GitHub accepts at most 2/);
    expect(unmatched()).toEqual([]);
    // Noted for when the first of the two writes leaves the hour, as the log says.
    const frees = said("could not judge")?.match(/go out at (\d\d:\d\d:\d\d) UTC/)?.[1];
    const pending = Object.values(JSON.parse((await store.get("rechecks")) ?? "{}")) as Array<{
      at: number;
      number: number;
    }>;
    expect(pending).toHaveLength(1);
    expect(pending[0]!.number).toBe(pull.number);
    expect(new Date(pending[0]!.at).toISOString().slice(11, 19)).toBe(frees);
    expect(pending[0]!.at - time.now()).toBeGreaterThan(HOUR - 60_000);
  });
});

describe("the windows docs/github-app.md gives are the gate's", () => {
  const docs = readFileSync(new URL("../../docs/github-app.md", import.meta.url), "utf8");
  const said = docs.replace(/\s+/g, " ");
  it("80 a minute, 500 an hour, and 30 seconds of waiting at most", () => {
    const caps =
      /only when fewer than (\d+) ended in the minute before and fewer than (\d+) in the hour before/.exec(
        said,
      );
    const wait =
      /the write waits until its oldest write leaves it, for \*\*(\d+) seconds at most\*\*/.exec(
        said,
      );
    expect([Number(caps?.[1]), Number(caps?.[2]), Number(wait?.[1])]).toEqual([
      WRITE_WINDOWS[0]?.max,
      WRITE_WINDOWS[1]?.max,
      WINDOW_WAIT_LIMIT_MS / 1000,
    ]);
    expect(WRITE_WINDOWS.map((w) => w.ms)).toEqual([60_000, HOUR]);
  });
});
