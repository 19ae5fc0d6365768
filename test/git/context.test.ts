import { tmpdir } from "node:os";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/cli/errors.js";
import { parseContext, readContextFile } from "../../src/git/context.js";

describe("parseContext", () => {
  it("reads the YAML of DESIGN.md's CLI contract, dropping '@' from logins", () => {
    const context = parseContext(
      "ctx.yml",
      [
        "author: '@wang-jun'",
        "approvals: [{ user: zhao-min, commit: abc123 }, { user: li-na, state: CHANGES_REQUESTED }]",
        "teams: { '@acme/qa': ['@li-na'] }",
        "identities: { Wang.Jun@ACME.example: wang-jun }",
        "labels: [urgent]",
        "checks: { build: success }",
        "body: 'Change: CHG-2026-0042'",
        "number: 7",
        "evidence: [{ record: CHG-2026-0042, acts: [{ record: CHG-2026-0042, role: qa, login: zhao-min, action: approval }] }]",
      ].join("\n"),
    );
    expect(context).toEqual({
      author: "wang-jun",
      approvals: [
        { user: "zhao-min", commit: "abc123" },
        { user: "li-na", state: "CHANGES_REQUESTED" },
      ],
      teams: { "acme/qa": ["li-na"] },
      identities: { "wang.jun@acme.example": "wang-jun" },
      labels: ["urgent"],
      checks: { build: "success" },
      body: "Change: CHG-2026-0042",
      number: 7,
      evidence: [
        {
          record: "CHG-2026-0042",
          acts: [{ record: "CHG-2026-0042", role: "qa", login: "zhao-min", action: "approval" }],
        },
      ],
    });
  });

  it("reads JSON as well", () => {
    expect(parseContext("ctx.json", '{"author": "li-na", "labels": ["a"]}')).toEqual({
      author: "li-na",
      labels: ["a"],
    });
  });

  it("takes an empty file as an empty context", () => {
    expect(parseContext("ctx.yml", "")).toEqual({});
  });

  it.each([
    [
      "nesting deeper than any context needs, at the collection too deep",
      `teams:\n  acme/qa: ${"[".repeat(5000)}${"]".repeat(5000)}\n`,
      `ctx.yml:2:74 nested too deeply (limit 64); no gatehouse file needs that many levels, write the structure flatter.`,
    ],
    [
      "an unknown field, at its key",
      "author: wang-jun\napprover: zhao-min\n",
      "ctx.yml:2:1 'approver' is not a context field; did you mean 'approvals'? Use author, approvals, teams, identities, labels, checks, body, number or evidence.",
    ],
    [
      "an unknown field no known one is close to",
      "author: wang-jun\nreviewers: [zhao-min]\n",
      "ctx.yml:2:1 'reviewers' is not a context field; use author, approvals, teams, identities, labels, checks, body, number or evidence.",
    ],
    [
      "an unknown field of an approval, with the fields of an approval",
      "approvals:\n  - { user: li-na, sha: abc }\n",
      "ctx.yml:2:20 'sha' is not a field of 'approvals/0'; use user, commit or state.",
    ],
    [
      "an approval without a user",
      "approvals:\n  - commit: abc\n",
      "ctx.yml:2:5 'approvals/0' needs 'user'; add it.",
    ],
    [
      "a review state GitHub does not have",
      "approvals:\n  - user: zhao-min\n    state: LGTM\n",
      "ctx.yml:3:12 'approvals/0/state' must be one of APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED, PENDING; change it.",
    ],
    [
      "a login with a space",
      "author: wang jun\n",
      "ctx.yml:1:9 'author' is not a GitHub login; write it like \"zhao-min\".",
    ],
    [
      "a team without an org",
      "teams:\n  qa: [li-na]\n",
      "ctx.yml:2:3 team 'qa' must be written \"org/slug\"; rename it.",
    ],
    [
      "a team member that is not a login",
      "teams:\n  acme/qa: [li-na, 'li na']\n",
      "ctx.yml:2:20 'teams/acme/qa/1' is not a GitHub login; write it like \"zhao-min\".",
    ],
    [
      "an identity whose login is wrong, naming its e-mail only masked",
      "identities:\n  zhang.san@bank-customer.cn: 'zhang san'\n",
      "ctx.yml:2:31 'identities/z***@bank-customer.cn' is not a GitHub login; write it like \"zhao-min\".",
    ],
    [
      "labels that are not a list",
      "labels: urgent\n",
      "ctx.yml:1:9 'labels' must be an array; change it.",
    ],
    [
      "a number that is not a whole number",
      "number: 1.5\n",
      "ctx.yml:1:9 'number' must be an integer; change it.",
    ],
    [
      "a top level that is not a mapping",
      "- wang-jun\n",
      "ctx.yml:1:1 the context must be an object; change it.",
    ],
    [
      "broken YAML, at the place it breaks",
      "author: wang-jun\napprovals: [{ user: zhao-min\n",
      /^ctx\.yml:3:1 .+; fix the YAML \(or JSON\) of the context file\.$/,
    ],
    [
      "a duplicated key",
      "author: a\nauthor: b\n",
      /^ctx\.yml:2:1 Map keys must be unique.*; fix the YAML \(or JSON\) of the context file\.$/,
    ],
  ])("refuses %s with file:line:col and a remedy", (_name, text, message) => {
    let error: unknown;
    try {
      parseContext("ctx.yml", text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    if (typeof message === "string") expect((error as Error).message).toBe(message);
    else expect((error as Error).message).toMatch(message);
  });

  it("names a context file it cannot read", async () => {
    await expect(readContextFile(tmpdir())).rejects.toThrow(
      `cannot read the context file ${tmpdir()}; check the --context path.`,
    );
  });

  it("says what to write into a context file that is not there yet", async () => {
    await expect(readContextFile("/nonexistent/ctx.yml")).rejects.toThrow(
      "there is no context file /nonexistent/ctx.yml; write what GitHub will know of the pull request into it, such as 'author: wang-jun' and 'approvals: [{ user: li-na }]' (see 'gatehouse check --help'), or leave --context out to judge without approvals.",
    );
  });
});
