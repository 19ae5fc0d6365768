import type { Chapter } from "../step.js";

/** The story's end: what an auditor sees of everything above, from the repository alone. */
export function evidenceChapter(): Chapter {
  return {
    about:
      "the auditor's report: every merge above left signed evidence in the repository's git notes; 'gatehouse audit' verifies it and tells each record's story",
    steps: [
      {
        title: "the auditor's report",
        narrative:
          "Every merge above left a signed evidence document in the repository itself, as a git note on its merge commit (refs/notes/gatehouse; 'git log --show-notes=gatehouse' shows them); the separation-of-duties refusal before read chen-jie's approval from there. An auditor who fetches the notes runs 'gatehouse audit': every signature and the whole chain verify, every commit of main that changed a governed path has evidence, and each record's story says who provided, initiated, approved and executed what, and when.",
        // The morning after the deployments: the emergency change's review is not due yet.
        command: ["audit", "--now", "2026-11-27T09:00:00+08:00"],
        expect: 0,
      },
    ],
  };
}
