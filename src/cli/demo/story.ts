import { changeChapter } from "./chapters/change.js";
import { deployChapter } from "./chapters/deploy.js";
import { evidenceChapter } from "./chapters/evidence.js";
import { improvementChapter } from "./chapters/improvement.js";
import { incidentChapter } from "./chapters/incident.js";
import { refusalChapter } from "./chapters/refusals.js";
import type { Chapter } from "./step.js";

/** The demo's opening: the repository the security admin set up, checked as the gate will. */
const adoption: Chapter = {
  about: "the security admin has set the repository up; 'gatehouse validate' agrees",
  steps: [
    {
      title: "gatehouse adopted",
      narrative:
        "The security admin has run 'gatehouse init', put the bank's people into policies/roles.yml and their public keys into policies/keys/ (and the key that signs the evidence of every merge into policies/keys/gatehouse-evidence.asc), and committed it to main. Before anyone pushes, 'gatehouse validate' checks the working tree the way the gate will.",
      command: ["validate"],
      expect: 0,
    },
  ],
};

/**
 * The story of the demo, chapter by chapter, one screen per step. To tell more, add a chapter
 * (a function returning its steps and what they tell) or steps to one; the numbering, the
 * summary and `demo --help` follow. `pack` is the policy as the repository holds it after
 * `gatehouse init`, for steps that change it.
 */
export function story(pack: Map<string, string>): Chapter[] {
  return [
    adoption,
    changeChapter(),
    incidentChapter(),
    improvementChapter(),
    refusalChapter(pack),
    deployChapter(),
    evidenceChapter(),
  ];
}

/** The outline `demo --help` prints: each chapter's step numbers and what it tells. */
export function outline(): Array<{ steps: string; about: string }> {
  let next = 1;
  return story(new Map()).map(({ about, steps }) => {
    const first = next;
    next += steps.length;
    const last = next - 1;
    return { steps: first === last ? String(first) : `${first}-${last}`, about };
  });
}
