import { IMP_PATH, improvementAt, yamlOf } from "../records.js";
import { oneCommit, type Chapter } from "../step.js";

/**
 * The improvement plan that the incident leads to: proposed, planned and approved.
 */
export function improvementChapter(): Chapter {
  return {
    about: "an improvement plan from the incident: proposed, planned and approved",
    steps: [
      {
        title: "improvement proposed",
        narrative: "The ops lead proposes an improvement from the incident (→ proposed).",
        branch: "imp-1/propose",
        author: "chen-jie",
        commits: oneCommit(
          "chen-jie",
          "IMP-2026-0001: opportunity",
          IMP_PATH,
          yamlOf(improvementAt.proposed),
        ),
        approvals: ["huang-lei"],
        expect: "success",
        merge: true,
      },
      {
        title: "improvement planned",
        narrative: "The dev lead writes the plan (proposed → planned).",
        branch: "imp-1/plan",
        author: "wang-jun",
        commits: oneCommit(
          "wang-jun",
          "IMP-2026-0001: plan",
          IMP_PATH,
          yamlOf(improvementAt.planned),
        ),
        approvals: ["chen-jie"],
        expect: "success",
        merge: true,
      },
      {
        title: "improvement approved",
        narrative: "The dev manager and the ops manager approve the plan (planned → approved).",
        branch: "imp-1/approve",
        author: "wang-jun",
        commits: oneCommit(
          "wang-jun",
          "IMP-2026-0001: approve",
          IMP_PATH,
          yamlOf(improvementAt.approved),
        ),
        approvals: ["huang-lei", "zhou-qiang"],
        expect: "success",
        merge: true,
      },
    ],
  };
}
