import { describe, expect, it } from "vitest";
import { evaluateWithPolicy } from "../../../src/core/evaluate/evaluate.js";
import { renderMarkdown } from "../../../src/core/report/render-markdown.js";
import { renderText } from "../../../src/core/report/render-text.js";
import { verdictToJson } from "../../../src/core/report/verdict-to-json.js";
import type { Verdict } from "../../../src/core/types.js";
import { change, loaded, READY, review, snapshot } from "../evaluate/fixtures.js";

const P = "changes/CHG-2026-0042.yaml";

/** Waiting for qa: zhao-min approved as release-manager and is the only qa approver. */
const pending = (): Promise<Verdict> =>
  evaluateWithPolicy(
    snapshot({
      base: { [P]: change("CHG-2026-0042", "draft", READY) },
      head: { [P]: change("CHG-2026-0042", "requested", READY) },
      approvals: [review("zhao-min")],
    }),
    loaded(),
    { stages: [] },
  );

/** Blocked: an illegal transition. */
const failed = (): Promise<Verdict> =>
  evaluateWithPolicy(
    snapshot({
      base: { [P]: change("CHG-2026-0042", "draft", READY) },
      head: { [P]: change("CHG-2026-0042", "closed", READY) },
      approvals: [review("li-na")],
    }),
    loaded(),
    { stages: [] },
  );

describe("renderText", () => {
  it("shows a pending verdict as a tree with marks", async () => {
    expect(renderText(await pending(), { color: false })).toMatchInlineSnapshot(`
      "… Waiting for qa
        ✔ policy loaded from the base commit bbbbbbb
        ✔ files: the changed path is a regular file with a plain name
        … records/changes/CHG-2026-0042.yaml: CHG-2026-0042: waiting for qa
          ✔ valid: changes/CHG-2026-0042.yaml is a valid ChangeRequest
          ✔ transition: CHG-2026-0042 draft -> requested
          ✔ complete: /requirements and /testing complete
          ✔ conditions: every condition of the transition holds
          ✔ requires/release-manager: approved by zhao-min as release-manager
          … requires/qa: needs an approval from qa; li-na or chen-jie can give it; zhao-min is the only qa approver and already acts as release-manager
          ✔ separation-of-duties: no one acts on CHG-2026-0042 in two roles that may not be combined
        – paths: no path rule applies
        – owners: no changed path has owners
        ✔ four-eyes: approved by zhao-min, who did not write this pull request
        – changes-requested: no review requests changes
        – contributors: every commit author is a known GitHub user
      "
    `);
  });

  it("shows a failed verdict with its findings", async () => {
    expect(renderText(await failed(), { color: false })).toMatchInlineSnapshot(`
      "✖ Blocked: CHG-2026-0042 draft -> closed is not a legal transition
        ✔ policy loaded from the base commit bbbbbbb
        ✔ files: the changed path is a regular file with a plain name
        ✖ records/changes/CHG-2026-0042.yaml: CHG-2026-0042 draft -> closed is not a legal transition; from draft a change may go to requested, scheduled, cancelled
          ✔ valid: changes/CHG-2026-0042.yaml is a valid ChangeRequest
          ✖ transition: CHG-2026-0042 draft -> closed is not a legal transition; from draft a change may go to requested, scheduled, cancelled
        – paths: no path rule applies
        – owners: no changed path has owners
        ✔ four-eyes: approved by li-na, who did not write this pull request
        – changes-requested: no review requests changes
        – contributors: every commit author is a known GitHub user

      Findings:
        changes/CHG-2026-0042.yaml:5:8 record/transition CHG-2026-0042 draft -> closed is not a legal transition; from draft a change may go to requested, scheduled, cancelled
      "
    `);
  });

  it.each([
    [true, true],
    [false, false],
  ])("uses ANSI colours only when asked (color: %s)", async (color, hasEscapes) => {
    expect(renderText(await failed(), { color }).includes("\x1b[")).toBe(hasEscapes);
  });
});

describe("renderMarkdown", () => {
  it("renders a pending verdict with who can approve", async () => {
    expect(renderMarkdown(await pending())).toMatchInlineSnapshot(`
      "### … Waiting for qa

      | | Rule | Reason |
      |---|---|---|
      | ✔ | \`policy\` | policy loaded from the base commit bbbbbbb |
      | ✔ | \`files\` | the changed path is a regular file with a plain name |
      | … | \`records/changes/CHG-2026-0042.yaml\` | CHG-2026-0042: waiting for qa |
      | ✔ | &nbsp;&nbsp;\`valid\` | changes/CHG-2026-0042.yaml is a valid ChangeRequest |
      | ✔ | &nbsp;&nbsp;\`transition\` | CHG-2026-0042 draft -> requested |
      | ✔ | &nbsp;&nbsp;\`complete\` | /requirements and /testing complete |
      | ✔ | &nbsp;&nbsp;\`conditions\` | every condition of the transition holds |
      | ✔ | &nbsp;&nbsp;\`requires/release-manager\` | approved by zhao-min as release-manager |
      | … | &nbsp;&nbsp;\`requires/qa\` | needs an approval from qa; li-na or chen-jie can give it; zhao-min is the only qa approver and already acts as release-manager |
      | ✔ | &nbsp;&nbsp;\`separation-of-duties\` | no one acts on CHG-2026-0042 in two roles that may not be combined |
      | – | \`paths\` | no path rule applies |
      | – | \`owners\` | no changed path has owners |
      | ✔ | \`four-eyes\` | approved by zhao-min, who did not write this pull request |
      | – | \`changes-requested\` | no review requests changes |
      | – | \`contributors\` | every commit author is a known GitHub user |

      **Who can approve**

      - \`records/changes/CHG-2026-0042.yaml/requires/qa\`: li-na, chen-jie
      "
    `);
  });

  it("renders a failed verdict with its findings", async () => {
    expect(renderMarkdown(await failed())).toMatchInlineSnapshot(`
      "### ✖ Blocked: CHG-2026-0042 draft -> closed is not a legal transition

      | | Rule | Reason |
      |---|---|---|
      | ✔ | \`policy\` | policy loaded from the base commit bbbbbbb |
      | ✔ | \`files\` | the changed path is a regular file with a plain name |
      | ✖ | \`records/changes/CHG-2026-0042.yaml\` | CHG-2026-0042 draft -> closed is not a legal transition; from draft a change may go to requested, scheduled, cancelled |
      | ✔ | &nbsp;&nbsp;\`valid\` | changes/CHG-2026-0042.yaml is a valid ChangeRequest |
      | ✖ | &nbsp;&nbsp;\`transition\` | CHG-2026-0042 draft -> closed is not a legal transition; from draft a change may go to requested, scheduled, cancelled |
      | – | \`paths\` | no path rule applies |
      | – | \`owners\` | no changed path has owners |
      | ✔ | \`four-eyes\` | approved by li-na, who did not write this pull request |
      | – | \`changes-requested\` | no review requests changes |
      | – | \`contributors\` | every commit author is a known GitHub user |

      **Findings**

      - \`changes/CHG-2026-0042.yaml:5:8\` record/transition: CHG-2026-0042 draft -> closed is not a legal transition; from draft a change may go to requested, scheduled, cancelled
      "
    `);
  });

  it("escapes table breakers and HTML in reasons", async () => {
    const verdict = await failed();
    verdict.rules.children[0]!.reason = "a | b <script>";
    const text = renderMarkdown(verdict);
    expect(text).toContain("a \\| b &lt;script>");
    expect(text).not.toContain("<script>");
  });

  it.each([2000, 800, 300])("stays under maxLength %i and says what it cut", async (maxLength) => {
    const verdict = await failed();
    for (let n = 0; n < 200; n++) {
      verdict.findings.push({
        path: `changes/CHG-2026-${String(n).padStart(4, "0")}.yaml`,
        line: n + 1,
        column: 3,
        code: "record/schema",
        message: "title must be text",
      });
    }
    const text = renderMarkdown(verdict, { maxLength });
    expect(text.length).toBeLessThanOrEqual(maxLength);
    expect(text).toMatch(/left out to fit GitHub's size limit/);
    expect(
      text.startsWith("### ✖ Blocked: CHG-2026-0042 draft -> closed is not a legal transition"),
    ).toBe(true);
  });

  it("keeps failed rows before satisfied ones when it must cut", async () => {
    const verdict = await failed();
    const full = renderMarkdown(verdict);
    const text = renderMarkdown(verdict, { maxLength: full.length - 1 });
    expect(text).toContain("`transition`");
    expect(text).not.toContain("`valid`");
    expect(text).toMatch(/\d+ rules left out/);
  });
});

describe("verdictToJson", () => {
  it("gives exactly the fields of the CLI contract", async () => {
    const json = verdictToJson(await pending());
    expect(Object.keys(json)).toEqual(["conclusion", "summary", "records", "rules", "findings"]);
    expect(json.conclusion).toBe("pending");
    expect(json.records).toEqual([
      { path: P, kind: "ChangeRequest", id: "CHG-2026-0042", from: "draft", to: "requested" },
    ]);
    const record = json.rules.children.find((r) => r.id === `records/${P}`)!;
    const qa = record.children.find((r) => r.id === `records/${P}/requires/qa`)!;
    expect(qa).toEqual({
      id: `records/${P}/requires/qa`,
      status: "pending",
      reason: expect.stringMatching(/^needs an approval from qa/),
      children: [],
      candidates: ["li-na", "chen-jie"],
    });
  });

  it("lists findings with place, code and message only", async () => {
    const json = verdictToJson(await failed());
    expect(json.findings).toEqual([
      {
        path: P,
        line: 5,
        column: 8,
        code: "record/transition",
        message: expect.stringMatching(/^CHG-2026-0042 draft -> closed is not a legal transition/),
      },
    ]);
  });

  it("survives a JSON round trip unchanged", async () => {
    const json = verdictToJson(await failed());
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });
});
