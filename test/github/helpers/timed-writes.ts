/**
 * GitHub's check-run endpoint for tests of the write gate, recording when each write reached
 * GitHub, when GitHub let its answer go and when the App's caller had it (performance.now()).
 * A gap the gate guarantees is measured from the moment GitHub let the previous answer go,
 * never later than the moment the App saw it: a slow machine can only make it longer.
 */
import nock from "nock";
import { expect } from "vitest";
import type { GitHubClient } from "../../../src/github/github-client.js";
import { WRITE_GAP_MS } from "../../../src/github/write-gate.js";
import { API } from "./app.js";

/** A timer may fire up to a millisecond early by performance.now(); a little slack for that. */
export const GAP = WRITE_GAP_MS - 10;
const REPO = "/repos/acme/payments";
const HEAD = "a".repeat(40);

export interface Seen {
  /** name (#attempt) -> when GitHub received it and when it let the answer go. */
  arrived: Record<string, number>;
  answeredBy: Record<string, number>;
  /** name -> when the App's caller had its answer. */
  callerHad: Record<string, number>;
  order: string[];
}

/**
 * GitHub's check-run endpoint; `answer(name, attempt)` decides when and what it answers.
 * The name of each write is the check's name.
 */
export function checkRuns(
  answer: (name: string, attempt: number) => Promise<[number, unknown, Record<string, string>?]>,
): Seen {
  const seen: Seen = { arrived: {}, answeredBy: {}, callerHad: {}, order: [] };
  const attempts: Record<string, number> = {};
  nock(API)
    .persist()
    .post(`${REPO}/check-runs`)
    .reply(async (_uri, body) => {
      const name = (body as { name: string }).name;
      const attempt = (attempts[name] = (attempts[name] ?? 0) + 1);
      const key = attempt === 1 ? name : `${name}#${attempt}`;
      seen.arrived[key] = performance.now();
      seen.order.push(`${key} arrived`);
      const reply = await answer(name, attempt);
      seen.answeredBy[key] = performance.now();
      return reply;
    });
  return seen;
}

export function write(octokit: GitHubClient, name: string, seen: Seen) {
  return octokit.rest.checks.create({ owner: "acme", repo: "payments", name, head_sha: HEAD }).then(
    () => {
      seen.callerHad[name] = performance.now();
      seen.order.push(`${name} answered`);
    },
    (error: unknown) => {
      seen.order.push(`${name} failed: ${String(error)}`);
    },
  );
}

export const created: [number, unknown] = [201, { id: 1 }];
export const after = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves when `condition` holds, or after `ms` (so that a broken gate fails, not hangs). */
export async function until(condition: () => boolean, ms: number): Promise<void> {
  const end = performance.now() + ms;
  while (!condition() && performance.now() < end) await after(5);
}

/** Write A with `first`, and B with `second` as soon as A has reached GitHub. */
export async function aThenB(first: GitHubClient, second: GitHubClient, seen: Seen): Promise<void> {
  await Promise.all([
    write(first, "A", seen),
    until(() => "A" in seen.arrived, 5000).then(() => write(second, "B", seen)),
  ]);
}

/**
 * What GitHub saw when writes A and B filled an installation's window of two and then C (the
 * same installation) and D (another) were tried: A, B and D arrived, C was refused unsent.
 */
export function expectThirdRefused(seen: Seen): void {
  expect(seen.order.filter((line) => line.endsWith("arrived"))).toEqual([
    "A arrived",
    "B arrived",
    "D arrived",
  ]);
  expect(seen.order).toContainEqual(
    expect.stringMatching(/^C failed: WriteWindowFull: GitHub accepts at most 2 writes an hour/),
  );
}
