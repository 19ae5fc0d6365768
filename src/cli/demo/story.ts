import { parseDocument } from "yaml";
import { maskText } from "../../core/privacy/stream-masker.js";
import type { Conclusion, Login } from "../../core/types.js";
import {
  CHG_PATH,
  IMP_PATH,
  INC_PATH,
  changeAt,
  improvementAt,
  incidentAt,
  yamlOf,
} from "./records.js";

/** One pull request of the story: who writes what, who approves, and how it must come out. */
export interface StoryStep {
  /** A few words for the summary table. */
  title: string;
  /** The line told before the verdict. */
  narrative: string;
  branch: string;
  author: Login;
  commits: Array<{ by: Login; message: string; files: Record<string, string | null> }>;
  approvals: Login[];
  expect: Conclusion;
  /** Judged first with fewer approvals, to show the check waiting (`label` names the moment). */
  before?: { approvals: Login[]; expect: Conclusion; label: string };
  /**
   * A first push that is refused, judged before `commits`. The author then rewrites the
   * branch from main (`fix` says how), so the refused commits never reach main's history.
   */
  refusedFirst?: {
    commits: StoryStep["commits"];
    expect: Conclusion;
    label: string;
    narrative: string;
    fix: string;
  };
  /** Merged into main when it passes; refusals stay on their branch. */
  merge: boolean;
}

/** When the demo judges: a Tuesday morning in Shenzhen, outside any freeze. */
export const DEMO_NOW = new Date("2026-11-24T10:00:00+08:00");
/** The window the ops lead books: a Thursday night. */
export const DEMO_WINDOW = { start: "2026-11-26T22:00:00+08:00", end: "2026-11-26T23:30:00+08:00" };

const one = (by: Login, message: string, path: string, record: object) => [
  { by, message, files: { [path]: yamlOf(record) } },
];

/** The pack's calendar with one more freeze: what the release manager asks for in refusal 2. */
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

/**
 * The story of the talk, as pull requests on one repository. `pack` is the policy as the
 * repository holds it after `gatehouse init`, for the step that changes it.
 */
export function story(pack: Map<string, string>): StoryStep[] {
  return [
    {
      title: "requirements provided",
      narrative:
        "The requirements liaison opens the change with its scope (the change is born as a draft).",
      branch: "chg-1/requirements",
      author: "liu-yang",
      commits: one("liu-yang", "CHG-2026-0001: requirements", CHG_PATH, changeAt.requirements),
      approvals: ["li-na"],
      expect: "success",
      merge: true,
    },
    {
      title: "architecture review provided",
      narrative: "The architect adds the review conclusion; only he may write that section.",
      branch: "chg-1/architecture",
      author: "zhang-wei",
      commits: one(
        "zhang-wei",
        "CHG-2026-0001: architecture review",
        CHG_PATH,
        changeAt.architecture,
      ),
      approvals: ["li-na"],
      expect: "success",
      merge: true,
    },
    {
      title: "deployment data provided",
      narrative: "The dev lead adds the deployment data, strategy, steps and rollback.",
      branch: "chg-1/deployment",
      author: "wang-jun",
      commits: one("wang-jun", "CHG-2026-0001: deployment", CHG_PATH, changeAt.deployment),
      approvals: ["li-na"],
      expect: "success",
      merge: true,
    },
    {
      title: "test conclusion provided",
      narrative: "The test lead adds the verification conclusion: passed.",
      branch: "chg-1/testing",
      author: "sun-li",
      commits: one("sun-li", "CHG-2026-0001: testing", CHG_PATH, changeAt.testing),
      approvals: ["li-na"],
      expect: "success",
      merge: true,
    },
    {
      title: "change initiated",
      narrative:
        "The release manager and QA initiate the change: draft → requested (the liaison opens the pull request, both approve).",
      branch: "chg-1/request",
      author: "liu-yang",
      commits: one("liu-yang", "CHG-2026-0001: request", CHG_PATH, changeAt.requested),
      approvals: ["li-na", "zhao-min"],
      before: { approvals: ["zhao-min"], expect: "pending", label: "QA only" },
      expect: "success",
      merge: true,
    },
    {
      title: "change scheduled",
      narrative:
        "The ops lead schedules it: requested → scheduled, Thursday 22:00–23:30 (the release manager books the window, the ops lead approves).",
      branch: "chg-1/schedule",
      author: "li-na",
      commits: one("li-na", "CHG-2026-0001: schedule", CHG_PATH, changeAt.scheduled(DEMO_WINDOW)),
      approvals: ["chen-jie"],
      expect: "success",
      merge: true,
    },
    {
      title: "incident collected",
      narrative: "A production incident: the ops lead collects the data (→ collected).",
      branch: "inc-1/collect",
      author: "chen-jie",
      refusedFirst: {
        label: "refused: personal data",
        narrative:
          "Refusal 1: his first push pastes the hotline ticket as it is, with the customer's mobile number and resident ID. The personal-data gate fails the check, pointing at the line and column, and shows the values only masked.",
        fix: "The ops lead runs the masking ('gatehouse mask') over the file and force-pushes the desensitised collection in place of the first commit, so the raw values never reach main.",
        commits: one("chen-jie", "INC-2026-0001: collect", INC_PATH, incidentAt.collectedRaw),
        expect: "failure",
      },
      commits: [
        {
          by: "chen-jie",
          message: "INC-2026-0001: collect (desensitised)",
          files: { [INC_PATH]: maskText(yamlOf(incidentAt.collectedRaw)) },
        },
      ],
      approvals: ["zhou-qiang"],
      expect: "success",
      merge: true,
    },
    {
      title: "incident analysed",
      narrative:
        "The dev lead writes the analysis; the dev manager (sponsor) and QA approve (collected → analyzed).",
      branch: "inc-1/analyse",
      author: "wang-jun",
      commits: one("wang-jun", "INC-2026-0001: analysis", INC_PATH, incidentAt.analyzed),
      approvals: ["huang-lei", "zhao-min"],
      expect: "success",
      merge: true,
    },
    {
      title: "analysis disputed",
      narrative:
        "The ops lead disputes the analysis (analyzed → disputed); QA records his reason, he approves it.",
      branch: "inc-1/dispute",
      author: "zhao-min",
      commits: one("zhao-min", "INC-2026-0001: dispute", INC_PATH, incidentAt.disputed),
      approvals: ["chen-jie"],
      expect: "success",
      merge: true,
    },
    {
      title: "dispute arbitrated",
      narrative:
        "The ops manager arbitrates: the analysis stands (disputed → confirmed); QA records the ruling, he approves it.",
      branch: "inc-1/arbitrate",
      author: "zhao-min",
      commits: one("zhao-min", "INC-2026-0001: arbitration", INC_PATH, incidentAt.confirmed),
      approvals: ["zhou-qiang"],
      expect: "success",
      merge: true,
    },
    {
      title: "improvement proposed",
      narrative: "The ops lead proposes an improvement from the incident (→ proposed).",
      branch: "imp-1/propose",
      author: "chen-jie",
      commits: one("chen-jie", "IMP-2026-0001: opportunity", IMP_PATH, improvementAt.proposed),
      approvals: ["huang-lei"],
      expect: "success",
      merge: true,
    },
    {
      title: "improvement planned",
      narrative: "The dev lead writes the plan (proposed → planned).",
      branch: "imp-1/plan",
      author: "wang-jun",
      commits: one("wang-jun", "IMP-2026-0001: plan", IMP_PATH, improvementAt.planned),
      approvals: ["chen-jie"],
      expect: "success",
      merge: true,
    },
    {
      title: "improvement approved",
      narrative: "The dev manager and the ops manager approve the plan (planned → approved).",
      branch: "imp-1/approve",
      author: "wang-jun",
      commits: one("wang-jun", "IMP-2026-0001: approve", IMP_PATH, improvementAt.approved),
      approvals: ["huang-lei", "zhou-qiang"],
      expect: "success",
      merge: true,
    },
    {
      title: "refused: self-approval",
      narrative:
        "Refusal 2: QA closes the incident and approves her own pull request — an author's approval never counts.",
      branch: "inc-1/close",
      author: "zhao-min",
      commits: one("zhao-min", "INC-2026-0001: close", INC_PATH, incidentAt.closed),
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
        "Refusal 4: the ops lead, who approved the change's schedule, deputises as release manager to cancel it — one person may not act in both roles on one change.",
      branch: "chg-1/cancel",
      author: "liu-yang",
      commits: one("liu-yang", "CHG-2026-0001: cancel", CHG_PATH, changeAt.cancelled(DEMO_WINDOW)),
      approvals: ["chen-jie"],
      expect: "pending",
      merge: false,
    },
  ];
}
