/** Reasons that must name the cause a user can act on (QA pass, issue 2). */
import { describe, expect, it } from "vitest";
import { evaluateWithPolicy } from "../../../src/core/evaluate/evaluate.js";
import type { Member } from "../../../src/core/policy/model.js";
import {
  change,
  loaded,
  node,
  OLD_HEAD,
  READY,
  review,
  snapshot,
  testPolicy,
  type SnapshotSpec,
} from "./fixtures.js";

const ID = "CHG-2026-0042";
const P = `changes/${ID}.yaml`;
const R = `records/${P}`;
const REQUEST: SnapshotSpec = {
  base: { [P]: change(ID, "draft", READY) },
  head: { [P]: change(ID, "requested", READY) },
  approvals: [review("zhao-min")],
};

function withQa(members: Member[]) {
  const policy = testPolicy();
  const qa = policy.roles.roles.get("qa")!;
  policy.roles.roles.set("qa", { ...qa, members });
  return loaded(policy);
}

describe("a role no one is known to hold", () => {
  it.each<[string, Member[], RegExp, RegExp | null]>([
    [
      "a role of one team without known members names the team, not roles.yml",
      [{ team: "acme/qa" }],
      /no one is known to hold qa: team acme\/qa has no known members \(on GitHub: is the team visible to the app\? locally: add `teams: \{acme\/qa: \[\.\.\.\]\}` to --context\)$/,
      /roles\.yml/,
    ],
    [
      "a role of two teams without known members names both",
      [{ team: "acme/qa" }, { team: "@acme/audit" }],
      /no one is known to hold qa: teams acme\/qa and acme\/audit have no known members/,
      /roles\.yml/,
    ],
    [
      "a role with no members at all asks for a member in roles.yml",
      [],
      /; no one holds qa; add a member in roles\.yml$/,
      /known members/,
    ],
  ])("%s", async (_name, members, wanted, unwanted) => {
    const verdict = await evaluateWithPolicy(snapshot(REQUEST), withQa(members));
    const qa = node(verdict.rules, `${R}/requires/qa`);
    expect(qa.status).toBe("pending");
    expect(qa.reason).toMatch(wanted);
    if (unwanted) expect(qa.reason).not.toMatch(unwanted);
  });
});

describe("four-eyes names approvals given on an older commit", () => {
  const docs = (spec: SnapshotSpec): SnapshotSpec => ({ head: { "README.md": "text" }, ...spec });
  it.each<[string, SnapshotSpec, string]>([
    [
      "one approval on an older commit is named with its short sha",
      docs({ approvals: [review("li-na", "APPROVED", OLD_HEAD)] }),
      "; li-na approved ccccccc, not the head; approvals count only on the head commit",
    ],
    [
      "each stale approval is named",
      docs({
        approvals: [review("li-na", "APPROVED", OLD_HEAD), review("he-yan", "APPROVED", OLD_HEAD)],
      }),
      "; li-na approved ccccccc, not the head; he-yan approved ccccccc, not the head; approvals count only on the head commit",
    ],
    [
      "the author's own stale approval is not offered as a near miss, but said not to count",
      docs({ approvals: [review("wang-jun", "APPROVED", OLD_HEAD)] }),
      "any of its commits; wang-jun's approval does not count: wang-jun is the author of this pull request",
    ],
    [
      "a stale review that is not an approval is not named",
      docs({ approvals: [review("li-na", "COMMENTED", OLD_HEAD)] }),
      "any of its commits",
    ],
  ])("%s", async (_name, spec, ending) => {
    const verdict = await evaluateWithPolicy(snapshot(spec), loaded());
    const fourEyes = node(verdict.rules, "four-eyes");
    expect(fourEyes.status).toBe("pending");
    expect(
      fourEyes.reason.startsWith("needs an approval on the head commit from someone who"),
    ).toBe(true);
    expect(fourEyes.reason.endsWith(ending)).toBe(true);
  });
});

describe("the policy node names the base", () => {
  it.each([
    ["a branch", "main", "policy loaded from the base commit bbbbbbb (main)"],
    ["its own short sha", "bbbbbbb", "policy loaded from the base commit bbbbbbb"],
    ["its own full sha", "b".repeat(40), "policy loaded from the base commit bbbbbbb"],
    ["nothing", undefined, "policy loaded from the base commit bbbbbbb"],
  ])("when the base was named by %s", async (_what, ref, reason) => {
    const snap = snapshot(REQUEST);
    if (ref !== undefined) snap.base.ref = ref;
    const verdict = await evaluateWithPolicy(snap, loaded());
    expect(node(verdict.rules, "policy").reason).toBe(reason);
  });
});
