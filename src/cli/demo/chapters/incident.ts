import { maskText } from "../../../core/privacy/stream-masker.js";
import { INC_PATH, incidentAt, yamlOf } from "../records.js";
import { oneCommit, type Chapter } from "../step.js";

/**
 * The incident of the story: collected (refused once for personal data, then desensitised),
 * analysed, disputed and arbitrated.
 */
export function incidentChapter(): Chapter {
  return {
    about:
      "a production incident: collected (the first push is refused for a customer's phone number and ID, shown only masked, then desensitised with 'gatehouse mask'), analysed, disputed and arbitrated",
    steps: [
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
          commits: oneCommit(
            "chen-jie",
            "INC-2026-0001: collect",
            INC_PATH,
            yamlOf(incidentAt.collectedRaw),
          ),
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
        commits: oneCommit(
          "wang-jun",
          "INC-2026-0001: analysis",
          INC_PATH,
          yamlOf(incidentAt.analyzed),
        ),
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
        commits: oneCommit(
          "zhao-min",
          "INC-2026-0001: dispute",
          INC_PATH,
          yamlOf(incidentAt.disputed),
        ),
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
        commits: oneCommit(
          "zhao-min",
          "INC-2026-0001: arbitration",
          INC_PATH,
          yamlOf(incidentAt.confirmed),
        ),
        approvals: ["zhou-qiang"],
        expect: "success",
        merge: true,
      },
    ],
  };
}
