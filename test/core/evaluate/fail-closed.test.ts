import { describe, expect, it } from "vitest";
import { evaluate, evaluateWithPolicy } from "../../../src/core/evaluate/evaluate.js";
import type { Stage } from "../../../src/core/evaluate/stage.js";
import type { Policy } from "../../../src/core/policy/model.js";
import { commit, loaded, node, review, snapshot, testPolicy } from "./fixtures.js";

const satisfied = { head: { "README.md": "x" }, approvals: [review("he-yan")] };

describe("failing closed", () => {
  it.each<[string, Stage]>([
    [
      "a stage that throws",
      { name: "privacy", run: () => Promise.reject(new Error("detector crashed")) },
    ],
    [
      "a stage whose identities throw",
      {
        name: "signatures",
        identities: () => Promise.reject(new Error("bad keyring")),
        run: () => Promise.resolve(null),
      },
    ],
  ])("%s fails the verdict with its message", async (_name, stage) => {
    const verdict = await evaluateWithPolicy(snapshot(satisfied), loaded(), { stages: [stage] });
    expect(verdict.conclusion).toBe("failure");
    expect(verdict.summary).toMatch(
      /^Blocked: gatehouse could not judge this pull request: the (privacy|signatures) stage/,
    );
  });

  it("passes a clean pull request with no stages as success", async () => {
    const verdict = await evaluateWithPolicy(snapshot(satisfied), loaded(), { stages: [] });
    expect(verdict.conclusion).toBe("success");
    expect(verdict.summary).toBe("All requirements met");
  });

  it("turns an error inside the core into a failed rule, never success", async () => {
    const broken = testPolicy();
    (broken.workflows as { rules: unknown }).rules = null;
    const verdict = await evaluateWithPolicy(snapshot(satisfied), {
      ok: true,
      policy: broken as Policy,
      findings: [],
    });
    expect(verdict.conclusion).toBe("failure");
    expect(node(verdict.rules, "error").reason).toMatch(
      /^gatehouse could not judge this pull request: /,
    );
  });

  it("fails when the policy cannot be loaded, with the loader's findings", async () => {
    const findings = [
      {
        path: "policies/roles.yml",
        line: 3,
        column: 5,
        code: "policy/schema",
        message: "roles must be a map",
      },
    ];
    const verdict = await evaluateWithPolicy(snapshot(satisfied), { ok: false, findings });
    expect(verdict.conclusion).toBe("failure");
    expect(node(verdict.rules, "policy").status).toBe("failed");
    expect(verdict.findings).toEqual(findings);
  });

  it("reads the policy from the base commit and fails on a broken one", async () => {
    const snap = snapshot(satisfied);
    snap.base.files.set("policies/roles.yml", "version: 1\nroles: [not, a, map]\n");
    snap.base.files.set("policies/workflows.yml", "version: 1\n");
    const verdict = await evaluate(snap, { stages: [] });
    expect(verdict.conclusion).toBe("failure");
    expect(verdict.findings.some((f) => f.path === "policies/roles.yml")).toBe(true);
  });

  it("fails when the base has no policy at all, even if the head adds one", async () => {
    const snap = snapshot({
      head: { "policies/roles.yml": "version: 1\nroles: {}\n" },
      approvals: [review("he-yan")],
    });
    const verdict = await evaluate(snap, { stages: [] });
    expect(verdict.conclusion).toBe("failure");
    expect(node(verdict.rules, "policy").reason).toMatch(/cannot be loaded/);
  });
});

describe("stages", () => {
  it("adds a stage's result as a child of the root, after the core rules", async () => {
    const stage: Stage = {
      name: "privacy",
      run: () =>
        Promise.resolve({
          id: "privacy",
          status: "pending",
          reason: "waiting for a scan",
          children: [],
        }),
    };
    const verdict = await evaluateWithPolicy(snapshot(satisfied), loaded(), { stages: [stage] });
    expect(verdict.rules.children.at(-1)?.id).toBe("privacy");
    expect(verdict.conclusion).toBe("pending");
  });

  it("leaves out a stage that has nothing to say", async () => {
    const stage: Stage = { name: "quiet", run: () => Promise.resolve(null) };
    const verdict = await evaluateWithPolicy(snapshot(satisfied), loaded(), { stages: [stage] });
    expect(verdict.rules.children.map((c) => c.id)).not.toContain("quiet");
    expect(verdict.conclusion).toBe("success");
  });

  it("uses a stage's identities to map commit e-mails that nothing else knows", async () => {
    const spec = { ...satisfied, commits: [commit("f".repeat(40), "x", "li.na@bank.example")] };
    const stage: Stage = {
      name: "signatures",
      identities: () => Promise.resolve(new Map([["LI.NA@bank.example", "li-na"]])),
      run: (ctx) =>
        Promise.resolve({
          id: "signatures",
          status: "satisfied",
          reason: ctx.contributors.map((c) => c.author).join(","),
          children: [],
        }),
    };
    const verdict = await evaluateWithPolicy(snapshot(spec), loaded(), { stages: [stage] });
    expect(node(verdict.rules, "signatures").reason).toBe("li-na");
    expect(node(verdict.rules, "contributors").status).toBe("skipped");
  });

  it("excludes a commit author found through a stage's identities from approving", async () => {
    const spec = {
      ...satisfied,
      approvals: [review("li-na")],
      commits: [commit("f".repeat(40), "x", "li.na@bank.example")],
    };
    const stage: Stage = {
      name: "signatures",
      identities: () => Promise.resolve(new Map([["li.na@bank.example", "li-na"]])),
      run: () => Promise.resolve(null),
    };
    const verdict = await evaluateWithPolicy(snapshot(spec), loaded(), { stages: [stage] });
    expect(node(verdict.rules, "four-eyes").status).toBe("pending");
  });
});
