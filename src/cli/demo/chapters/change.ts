import { DEMO_WINDOW } from "../clock.js";
import { CHG_PATH, changeAt, yamlOf } from "../records.js";
import { oneCommit, type Chapter } from "../step.js";

/**
 * The change request of the story: its four data providers fill their sections, the release
 * manager and QA initiate it, the ops lead schedules it in a window.
 */
export function changeChapter(): Chapter {
  return {
    about:
      "a change request: its four data providers fill their sections, the release manager and QA initiate it (the check waits until both approved), the ops lead schedules it in a window",
    steps: [
      {
        title: "requirements provided",
        narrative:
          "The requirements liaison opens the change with its scope (the change is born as a draft).",
        branch: "chg-1/requirements",
        author: "liu-yang",
        commits: oneCommit(
          "liu-yang",
          "CHG-2026-0001: requirements",
          CHG_PATH,
          yamlOf(changeAt.requirements),
        ),
        approvals: ["li-na"],
        expect: "success",
        merge: true,
      },
      {
        title: "architecture review provided",
        narrative: "The architect adds the review conclusion; only he may write that section.",
        branch: "chg-1/architecture",
        author: "zhang-wei",
        commits: oneCommit(
          "zhang-wei",
          "CHG-2026-0001: architecture review",
          CHG_PATH,
          yamlOf(changeAt.architecture),
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
        commits: oneCommit(
          "wang-jun",
          "CHG-2026-0001: deployment",
          CHG_PATH,
          yamlOf(changeAt.deployment),
        ),
        approvals: ["li-na"],
        expect: "success",
        merge: true,
      },
      {
        title: "test conclusion provided",
        narrative: "The test lead adds the verification conclusion: passed.",
        branch: "chg-1/testing",
        author: "sun-li",
        commits: oneCommit("sun-li", "CHG-2026-0001: testing", CHG_PATH, yamlOf(changeAt.testing)),
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
        commits: oneCommit(
          "liu-yang",
          "CHG-2026-0001: request",
          CHG_PATH,
          yamlOf(changeAt.requested),
        ),
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
        commits: oneCommit(
          "li-na",
          "CHG-2026-0001: schedule",
          CHG_PATH,
          yamlOf(changeAt.scheduled(DEMO_WINDOW)),
        ),
        approvals: ["chen-jie"],
        expect: "success",
        merge: true,
      },
    ],
  };
}
