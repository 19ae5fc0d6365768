import { describe, expect, it } from "vitest";
import { evaluateWithPolicy } from "../../../src/core/evaluate/evaluate.js";
import type { Act, RuleResult, Status } from "../../../src/core/types.js";
import {
  change,
  commit,
  loaded,
  node,
  OLD_HEAD,
  READY,
  review,
  snapshot,
  type SnapshotSpec,
} from "./fixtures.js";

const ID = "CHG-2026-0042";
const P = `changes/${ID}.yaml`;
const R = `records/${P}`;
const move = (
  from: string,
  to: string,
  spec: SnapshotSpec = {},
  extra: object = {},
): SnapshotSpec => ({
  base: { [P]: change(ID, from, READY) },
  head: { [P]: change(ID, to, { ...READY, ...extra }) },
  ...spec,
});
const DEPLOYMENT = { deployment: { version: "1.2.0", steps: ["helm upgrade"] } };
const past = (login: string, role: string): Act => ({
  record: ID,
  role,
  login,
  action: "approval",
});
const SCHEDULE = (approvals: string[], extra: object = {}, author = "he-yan") =>
  move(
    "requested",
    "scheduled",
    { author, approvals: approvals.map((u) => review(u)), checks: { ci: "success" } },
    extra,
  );

describe("consent, approvals and their assignment", () => {
  it.each<[string, SnapshotSpec, string, Status, RegExp]>([
    [
      "the author's consent covers a section whose role they hold",
      { head: { [P]: change(ID, "draft", DEPLOYMENT) } },
      `${R}/consent/deployment`,
      "satisfied",
      /wang-jun holds dev-lead and wrote this pull request/,
    ],
    [
      "a section of another role waits for that role's consent",
      { head: { [P]: change(ID, "draft", READY) } },
      `${R}/consent/testing`,
      "pending",
      /^needs the consent of test-lead for \/testing; ma-tao can give it$/,
    ],
    [
      "a holder's approval gives consent for a section",
      { head: { [P]: change(ID, "draft", READY) }, approvals: [review("ma-tao")] },
      `${R}/consent/testing`,
      "satisfied",
      /approved by ma-tao/,
    ],
    [
      "a team member holds the role of the team",
      {
        head: { [P]: change(ID, "draft", { architecture: { review: "approved" } }) },
        approvals: [review("zhang-wei")],
      },
      `${R}/consent/architecture`,
      "satisfied",
      /approved by zhang-wei/,
    ],
    [
      "an unchanged section needs no consent",
      move("draft", "requested", { approvals: [review("zhao-min"), review("li-na")] }),
      `${R}/requires/qa`,
      "satisfied",
      /approved by li-na as qa/,
    ],
    [
      "one approval per requirement from distinct people",
      move("draft", "requested", { approvals: [review("zhao-min"), review("li-na")] }),
      `${R}/requires/release-manager`,
      "satisfied",
      /approved by zhao-min as release-manager/,
    ],
    [
      "one person holding two roles fills only one requirement",
      move("draft", "requested", { approvals: [review("zhao-min")] }),
      `${R}/requires/qa`,
      "pending",
      /zhao-min is the only qa approver and already acts as release-manager/,
    ],
    [
      "an open requirement names who can fill it",
      move("draft", "requested", { approvals: [review("zhao-min")] }),
      `${R}/requires/qa`,
      "pending",
      /^needs an approval from qa; li-na or chen-jie can give it/,
    ],
    [
      "the author approving their own change does not count",
      move("draft", "requested", {
        author: "zhao-min",
        approvals: [review("zhao-min"), review("li-na")],
      }),
      `${R}/requires/release-manager`,
      "pending",
      /zhao-min holds release-manager but is the author of this pull request/,
    ],
    [
      "a commit author's approval does not count",
      move("draft", "requested", {
        approvals: [review("zhao-min"), review("li-na")],
        commits: [commit("d".repeat(40), "wang-jun"), commit("e".repeat(40), "li-na")],
      }),
      `${R}/requires/qa`,
      "pending",
      /li-na holds qa but authored a commit of this pull request/,
    ],
    [
      "a committer's approval does not count",
      move("draft", "requested", {
        approvals: [review("zhao-min"), review("li-na")],
        commits: [
          {
            ...commit("d".repeat(40), "wang-jun"),
            committer: { name: "li-na", email: "li-na@users.noreply.github.com", date: new Date() },
          },
        ],
      }),
      `${R}/requires/qa`,
      "pending",
      /li-na holds qa but committed a commit of this pull request/,
    ],
    [
      "an approval of an older head does not count",
      move("draft", "requested", {
        approvals: [review("zhao-min"), review("li-na", "APPROVED", OLD_HEAD)],
      }),
      `${R}/requires/qa`,
      "pending",
      /li-na approved ccccccc, not the head; approvals count only on the head commit/,
    ],
    [
      "a comment is no approval",
      move("draft", "requested", { approvals: [review("zhao-min"), review("li-na", "COMMENTED")] }),
      `${R}/requires/qa`,
      "pending",
      /needs an approval from qa/,
    ],
    [
      "logins compare without regard to case",
      move("draft", "requested", { approvals: [review("Zhao-Min"), review("LI-NA")] }),
      `${R}/requires/qa`,
      "satisfied",
      /LI-NA/,
    ],
    [
      "separation of duties keeps one person out of two joined roles",
      SCHEDULE(["zhou-hui"], DEPLOYMENT),
      `${R}/requires/ops-lead`,
      "pending",
      /zhou-hui already acts as dev-lead on CHG-2026-0042; dev-lead and ops-lead may not be combined/,
    ],
    [
      "the separation-of-duties node names the conflict",
      SCHEDULE(["zhou-hui"], DEPLOYMENT),
      `${R}/separation-of-duties`,
      "pending",
      /dev-lead and ops-lead may not be combined/,
    ],
    [
      "the assignment finds the way around a conflict",
      SCHEDULE(["zhou-hui", "sun-li"], DEPLOYMENT),
      `${R}/requires/ops-lead`,
      "satisfied",
      /approved by sun-li as ops-lead/,
    ],
    [
      "the assignment gives the conflicting person the role nobody else can fill",
      SCHEDULE(["zhou-hui", "sun-li"], DEPLOYMENT),
      `${R}/consent/deployment`,
      "satisfied",
      /approved by zhou-hui/,
    ],
    [
      "acts from earlier pull requests count for separation of duties",
      {
        ...SCHEDULE(["zhou-hui"]),
        evidence: [{ record: ID, acts: [past("zhou-hui", "dev-lead")] }],
      },
      `${R}/requires/ops-lead`,
      "pending",
      /zhou-hui approved CHG-2026-0042 as dev-lead in an earlier pull request; dev-lead and ops-lead may not be combined/,
    ],
    [
      "the refusal names the earlier act and its pull request",
      {
        ...SCHEDULE(["zhou-hui"]),
        evidence: [
          {
            record: ID,
            pullRequest: 12,
            acts: [{ ...past("zhou-hui", "dev-lead"), action: "consent", section: "/deployment" }],
          },
        ],
      },
      `${R}/requires/ops-lead`,
      "pending",
      /zhou-hui provided \/deployment of CHG-2026-0042 as dev-lead in #12; dev-lead and ops-lead may not be combined/,
    ],
    [
      "acts on other records do not count",
      {
        ...SCHEDULE(["zhou-hui"]),
        evidence: [
          {
            record: "CHG-2026-0001",
            acts: [{ ...past("zhou-hui", "dev-lead"), record: "CHG-2026-0001" }],
          },
        ],
      },
      `${R}/requires/ops-lead`,
      "satisfied",
      /zhou-hui/,
    ],
    [
      "earlier acts that already break separation of duties fail",
      {
        ...SCHEDULE(["sun-li"]),
        evidence: [
          { record: ID, acts: [past("zhou-hui", "dev-lead"), past("zhou-hui", "ops-lead")] },
        ],
      },
      `${R}/separation-of-duties`,
      "failed",
      /zhou-hui approved CHG-2026-0042 as dev-lead in an earlier pull request and approved CHG-2026-0042 as ops-lead in an earlier pull request; dev-lead and ops-lead may not be combined/,
    ],
    [
      "the author consenting in one role cannot approve in a joined one",
      SCHEDULE(["zhou-hui"], DEPLOYMENT, "zhou-hui"),
      `${R}/requires/ops-lead`,
      "pending",
      /zhou-hui holds ops-lead but is the author/,
    ],
  ])("%s", async (_name, spec, id, status, reason) => {
    const verdict = await evaluateWithPolicy(snapshot(spec), loaded());
    const found = node(verdict.rules, id);
    expect(found.status).toBe(status);
    expect(found.reason).toMatch(reason);
  });

  it("asks no consent for the empty sections of a new record's template", async () => {
    const template = {
      ...DEPLOYMENT,
      testing: { conclusion: null, report: "" },
      architecture: { review: null, notes: null },
      execution: { result: null, executedAt: null, notes: "" },
      requirements: { scope: null, tickets: [] },
    };
    const verdict = await evaluateWithPolicy(
      snapshot({ head: { [P]: change(ID, "draft", template) } }),
      loaded(),
    );
    const ids: string[] = [];
    const visit = (n: RuleResult) => (ids.push(n.id), n.children.forEach(visit));
    visit(verdict.rules);
    expect(ids.filter((id) => id.startsWith(`${R}/consent/`))).toEqual([`${R}/consent/deployment`]);
  });

  it("asks consent for clearing a filled field", async () => {
    const verdict = await evaluateWithPolicy(
      snapshot({
        base: { [P]: change(ID, "draft", READY) },
        head: { [P]: change(ID, "draft", { ...READY, testing: { conclusion: null, report: "" } }) },
      }),
      loaded(),
    );
    expect(node(verdict.rules, `${R}/consent/testing`).status).toBe("pending");
  });

  it("lists the people who could fill an open requirement", async () => {
    const verdict = await evaluateWithPolicy(
      snapshot(move("draft", "requested", { approvals: [review("zhao-min")] })),
      loaded(),
    );
    expect(node(verdict.rules, `${R}/requires/qa`).candidates).toEqual(["li-na", "chen-jie"]);
  });

  it("records who filled which requirement as acts", async () => {
    const verdict = await evaluateWithPolicy(
      snapshot(move("draft", "requested", { approvals: [review("zhao-min"), review("li-na")] })),
      loaded(),
    );
    expect(verdict.acts).toEqual([
      { record: ID, role: "release-manager", login: "zhao-min", action: "approval" },
      { record: ID, role: "qa", login: "li-na", action: "approval" },
    ]);
  });
});

describe("pull-request-wide rules", () => {
  const docs = (path: string, spec: SnapshotSpec = {}): SnapshotSpec => ({
    head: { [path]: "text" },
    ...spec,
  });
  it.each<[string, SnapshotSpec, string, Status, RegExp]>([
    [
      "four-eyes waits for a second person",
      docs("README.md"),
      "four-eyes",
      "pending",
      /needs an approval on the head commit from someone who neither opened/,
    ],
    [
      "four-eyes is met by anyone else's approval",
      docs("README.md", { approvals: [review("he-yan")] }),
      "four-eyes",
      "satisfied",
      /approved by he-yan/,
    ],
    [
      "four-eyes ignores the author's own approval, and says so",
      docs("README.md", { approvals: [review("wang-jun")] }),
      "four-eyes",
      "pending",
      /needs an approval .*; wang-jun's approval does not count: wang-jun is the author of this pull request$/,
    ],
    [
      "a policy change needs two distinct security admins",
      docs("policies/roles.yml", { approvals: [review("sec-a")] }),
      "paths/policy change/security-admin#2",
      "pending",
      /^needs an approval from security-admin; sec-b can give it; sec-a already fills another security-admin entry; each entry needs a different person$/,
    ],
    [
      "a policy change with two security admins is approved",
      docs("policies/roles.yml", { approvals: [review("sec-a"), review("sec-b")] }),
      "paths/policy change",
      "satisfied",
      /policy change: approved/,
    ],
    [
      "a path rule matches dot files",
      docs(".github/gatehouse.yml"),
      "paths/policy change/security-admin",
      "pending",
      /sec-a or sec-b can give it/,
    ],
    [
      "no path rule applies to other files",
      docs("src/app.ts"),
      "paths",
      "skipped",
      /no path rule applies/,
    ],
    [
      "the last matching OWNERS line wins",
      docs("docs/api/v1.md", { approvals: [review("li-na")] }),
      "owners/docs/api/",
      "pending",
      /needs an approval from an owner of docs\/api\/ \(@acme\/architects\); zhang-wei can give it/,
    ],
    [
      "an owner's approval satisfies an OWNERS entry",
      docs("docs/guide.md", { approvals: [review("li-na")] }),
      "owners/docs/",
      "satisfied",
      /approved by li-na/,
    ],
    [
      "an OWNERS line without owners removes ownership",
      docs("docs/free/notes.md"),
      "owners",
      "skipped",
      /no changed path has owners/,
    ],
    [
      "the author never counts as an owner",
      docs("docs/guide.md", { author: "li-na", approvals: [review("li-na")] }),
      "owners/docs/",
      "pending",
      /li-na is an owner of docs\/ \(@li-na\) but is the author/,
    ],
    [
      "a role owner is any holder of the role",
      docs("policies/OWNERS", { approvals: [review("sec-b")] }),
      "owners//policies/",
      "satisfied",
      /approved by sec-b/,
    ],
    [
      "changes requested by a needed approver block",
      move("draft", "requested", {
        approvals: [review("zhao-min"), review("chen-jie"), review("li-na", "CHANGES_REQUESTED")],
      }),
      "changes-requested",
      "pending",
      /^li-na requested changes; waiting until they approve or the review is dismissed$/,
    ],
    [
      "changes requested by someone not needed do not block",
      move("draft", "requested", {
        approvals: [review("zhao-min"), review("li-na"), review("he-yan", "CHANGES_REQUESTED")],
      }),
      "changes-requested",
      "satisfied",
      /no one whose approval is needed/,
    ],
    [
      "a dismissed review does not block",
      move("draft", "requested", {
        approvals: [review("zhao-min"), review("chen-jie"), review("li-na", "DISMISSED")],
      }),
      "changes-requested",
      "skipped",
      /no review requests changes/,
    ],
    [
      "an unknown commit author is listed by short sha and domain only",
      docs("README.md", {
        commits: [commit("1234567890".repeat(4), "x", "zhang.san@bank.example")],
      }),
      "contributors",
      "satisfied",
      /^1 commit has an author gatehouse cannot map to a login: 1234567 \(@bank\.example\); this alone does not block/,
    ],
    [
      "a commit author known from identities is no stranger",
      docs("README.md", {
        commits: [commit("1234567890".repeat(4), "x", "Zhang.San@bank.example")],
        identities: { "zhang.san@bank.example": "zhang-san" },
      }),
      "contributors",
      "skipped",
      /every commit author is a known/,
    ],
    [
      "a new-style noreply address names the login",
      docs("README.md", {
        commits: [commit("1234567890".repeat(4), "x", "12345+li-na@users.noreply.github.com")],
      }),
      "contributors",
      "skipped",
      /every commit author is a known/,
    ],
  ])("%s", async (_name, spec, id, status, reason) => {
    const verdict = await evaluateWithPolicy(snapshot(spec), loaded());
    const found = node(verdict.rules, id);
    expect(found.status).toBe(status);
    expect(found.reason).toMatch(reason);
  });

  it("never prints an unknown contributor's full e-mail", async () => {
    const spec = docs("README.md", {
      commits: [commit("1234567890".repeat(4), "x", "zhang.san@bank.example")],
    });
    const verdict = await evaluateWithPolicy(snapshot(spec), loaded());
    expect(JSON.stringify(verdict)).not.toContain("zhang.san");
  });
});
