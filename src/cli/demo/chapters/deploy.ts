import {
  CHG,
  EMG,
  EMG_PATH,
  EMG_WINDOW,
  GATEWAY_FILE,
  emergencyAt,
  gatewayAt,
  yamlOf,
} from "../records.js";
import { DEMO_NOW_TEXT } from "../clock.js";
import { oneCommit, type Chapter, type PullRequestStep } from "../step.js";

/** Thursday 26 November, 22:30 in Shenzhen: inside the window CHG-2026-0001 booked. */
const IN_WINDOW = "2026-11-26T22:30:00+08:00";
/** Tuesday 29 December, 22:30: a production window of the week, in the year-end freeze. */
const IN_FREEZE = "2026-12-29T22:30:00+08:00";
/** Thursday 23:50, after the gateway's deployment: the incident that needs a hotfix. */
const AFTER_DEPLOY = "2026-11-26T23:50:00+08:00";
/** Friday 00:45, inside the emergency's window. */
const IN_EMERGENCY = "2026-11-27T00:45:00+08:00";
/** Thursday 3 December: more than five days after the emergency's window, still open. */
const REVIEW_OVERDUE = "2026-12-03T09:00:00+08:00";

/** The dev lead's pull request that deploys the gateway 4.2 under CHG-2026-0001. */
function gatewayDeployment(
  fields: Pick<PullRequestStep, "title" | "narrative" | "approvals" | "expect" | "merge" | "now">,
): PullRequestStep {
  return {
    branch: "deploy/gateway-4.2",
    author: "wang-jun",
    commits: oneCommit(
      "wang-jun",
      "Deploy the payment gateway 4.2.0",
      GATEWAY_FILE,
      gatewayAt("4.2.0"),
    ),
    context: { body: `Deploy the payment gateway 4.2.0.\n\nChange: ${CHG}` },
    ...fields,
  };
}

/**
 * Merges that deploy: the deployment files of production change only under a scheduled change,
 * inside its window, clear of freezes, executed by an ops lead with no other hand in it; an
 * emergency fix goes through with its post-implementation review, which falls overdue.
 */
export function deployChapter(): Chapter {
  return {
    about:
      "merges that deploy: the dev lead's deployment pull request is refused in the year-end freeze and with an executor who initiated the change, passes inside the window with an ops lead who did not schedule it; an emergency fix goes through, and its review falls overdue",
    steps: [
      gatewayDeployment({
        title: "refused: deploying in the year-end freeze",
        narrative: `The dev lead opens the pull request that deploys the gateway 4.2.0: it changes ${GATEWAY_FILE}, a deployment file of production, and names ${CHG} in its description. Opened on 29 December instead, a Tuesday night the weekly windows allow, it is refused: the change's window has closed and production is in the year-end freeze, which beats every window.`,
        approvals: ["chen-jie"],
        now: IN_FREEZE,
        expect: "failure",
        merge: false,
      }),
      gatewayDeployment({
        title: "refused: the executor initiated it",
        narrative: `The same pull request inside the window, approved by li-na, who deputises as ops lead: she initiated ${CHG} as release manager, and the executor of a change may have no other hand in it. The check reads her approval from the evidence of that merge.`,
        approvals: ["li-na"],
        now: IN_WINDOW,
        expect: "pending",
        merge: false,
      }),
      {
        ...gatewayDeployment({
          title: "deployed in its window",
          narrative: `The same pull request, approved by zhou-qiang, the ops manager deputising as ops lead, who executes ${CHG} and had no other hand in it: chen-jie approved its schedule, so he may not execute it. Judged the morning before, it waits for the window; inside it, it passes and says until when. On GitHub the merge creates a Deployment of production for ${CHG}, and the deployment protection rule judges the pipeline's job again by the same rules.`,
          approvals: ["zhou-qiang"],
          now: IN_WINDOW,
          expect: "success",
          merge: true,
        }),
        before: {
          approvals: ["zhou-qiang"],
          now: DEMO_NOW_TEXT,
          expect: "failure",
          label: "before its window",
        },
      },
      {
        title: "emergency change drafted",
        narrative: `Twenty minutes after the deployment, settlements hang. The dev lead drafts the emergency change ${EMG}: a hotfix 4.2.1, in the rest of the night's window.`,
        branch: "emg/draft",
        author: "wang-jun",
        commits: oneCommit("wang-jun", `${EMG}: draft`, EMG_PATH, yamlOf(emergencyAt.draft)),
        approvals: ["huang-lei"],
        now: AFTER_DEPLOY,
        expect: "success",
        merge: true,
      },
      {
        title: "emergency change authorised",
        narrative: `Both managers authorise it at once: draft → scheduled for ${EMG_WINDOW.start.slice(11, 16)}–${EMG_WINDOW.end.slice(11, 16)} (emergency route: the windows apply, freezes would not).`,
        branch: "emg/schedule",
        author: "wang-jun",
        commits: oneCommit("wang-jun", `${EMG}: schedule`, EMG_PATH, yamlOf(emergencyAt.scheduled)),
        approvals: ["huang-lei", "zhou-qiang"],
        now: AFTER_DEPLOY,
        expect: "success",
        merge: true,
      },
      {
        title: "emergency fix deployed",
        narrative: `The hotfix deploys under ${EMG}, executed by chen-jie inside its window. On GitHub the merge also opens the issue "Post-implementation review of emergency change ${EMG}", assigned to QA and the ops manager; until the change is closed, every verdict that touches the payment gateway names it once five days have passed.`,
        branch: "deploy/hotfix-4.2.1",
        author: "wang-jun",
        commits: oneCommit("wang-jun", "Deploy the hotfix 4.2.1", GATEWAY_FILE, gatewayAt("4.2.1")),
        context: { body: `Hotfix for the hanging settlements.\n\nChange: ${EMG}` },
        approvals: ["chen-jie"],
        now: IN_EMERGENCY,
        expect: "success",
        merge: true,
      },
      {
        title: "the emergency's review is overdue",
        narrative: `A week later nobody has closed ${EMG}. 'gatehouse audit' names it: its post-implementation review is overdue, and the audit is not clear until QA and the ops manager close it.`,
        command: ["audit", "--record", EMG, "--now", REVIEW_OVERDUE],
        expect: 1,
      },
    ],
  };
}
