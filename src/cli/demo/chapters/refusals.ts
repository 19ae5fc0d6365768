import { parseDocument } from "yaml";
import { DEMO_WINDOW } from "../clock.js";
import { CHG_PATH, INC_PATH, changeAt, incidentAt, yamlOf } from "../records.js";
import { oneCommit, type Chapter } from "../step.js";

/**
 * Pull requests gatehouse refuses, each with its reason. `pack` is the policy as the
 * repository holds it after `gatehouse init`, for the step that changes it.
 */
export function refusalChapter(pack: Map<string, string>): Chapter {
  return {
    about:
      "refused, each with its reason: a self-approval; one security admin approving a policy change that needs two; an ops lead deputising as release manager on a change he scheduled (separation of duties)",
    steps: [
      {
        title: "refused: self-approval",
        narrative:
          "Refusal 2: QA closes the incident and approves her own pull request — an author's approval never counts.",
        branch: "inc-1/close",
        author: "zhao-min",
        commits: oneCommit("zhao-min", "INC-2026-0001: close", INC_PATH, yamlOf(incidentAt.closed)),
        approvals: ["zhao-min"],
        expect: "pending",
        merge: false,
      },
      {
        title: "refused: one person, two entries",
        narrative:
          "Refusal 3: the release manager asks for a Spring Festival freeze. A policy change needs two different security admins; xu-ming approves alone, and one person fills only one entry, so the second security-admin approval, which only guo-fang can give, is missing. The tree names that one missing approval under each rule that asks for it (the path rule, the policy-change rule and its second entry).",
        branch: "policy/freeze",
        author: "li-na",
        commits: [
          {
            by: "li-na",
            message: "Freeze production over the Spring Festival",
            files: { "policies/calendar.yml": withSpringFreeze(pack.get("policies/calendar.yml")) },
          },
        ],
        approvals: ["xu-ming"],
        expect: "pending",
        merge: false,
      },
      {
        title: "refused: separation of duties",
        narrative:
          "Refusal 4: the ops lead, who approved the change's schedule in pull request #7, deputises as release manager to cancel it — one person may not act in both roles on one change. The check knows of #7 from the signed evidence its merge left in the repository (refs/notes/gatehouse), not from anything this pull request says.",
        branch: "chg-1/cancel",
        author: "liu-yang",
        commits: oneCommit(
          "liu-yang",
          "CHG-2026-0001: cancel",
          CHG_PATH,
          yamlOf(changeAt.cancelled(DEMO_WINDOW)),
        ),
        approvals: ["chen-jie"],
        expect: "pending",
        merge: false,
      },
    ],
  };
}

/** The pack's calendar with one more freeze: what the release manager asks for in refusal 3. */
function withSpringFreeze(calendar: string | undefined): string {
  const doc = parseDocument(calendar ?? "version: 1\nfreezes: []\n");
  const freeze = doc.createNode({
    name: "spring festival",
    from: "2027-02-05",
    to: "2027-02-12",
    environments: ["production"],
    reason: "holiday payment peak",
  });
  if (doc.hasIn(["freezes"])) doc.addIn(["freezes"], freeze);
  else doc.setIn(["freezes"], doc.createNode([freeze]));
  return String(doc);
}
