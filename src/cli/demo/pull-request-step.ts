import { person } from "./cast.js";
import { judge } from "./judge.js";
import { outcome, paragraph, showJudgement } from "./screen.js";
import type { PullRequestStep } from "./step.js";
import type { DemoStepResult, DemoWorld } from "./world.js";

/**
 * Plays one pull request of the story on its screen: the commits by the people acting, the
 * judgement (twice when the step first shows a refusal or the check waiting), and the merge
 * when the verdict passes.
 */
export async function runPullRequestStep(
  world: DemoWorld,
  step: PullRequestStep,
  number: string,
): Promise<DemoStepResult[]> {
  const { repo } = world;
  const results: DemoStepResult[] = [];
  // A step judged twice numbers its verdicts 5a, 5b, as the summary lists them.
  const twice = step.before !== undefined || step.refusedFirst !== undefined;
  const label = (part: string) => (twice ? `${number}${part}` : number);
  world.write(`${paragraph(step.narrative)}${paragraph(describePullRequest(step), "  ")}\n`);
  repo.branch(step.branch);
  if (step.refusedFirst) {
    const first = step.refusedFirst;
    world.write(`${paragraph(first.narrative, `  ${label("a")}. `)}\n`);
    for (const commit of first.commits) repo.commit(commit.by, commit.message, commit.files);
    const refused = await judge(world, step, step.approvals, label("a"));
    showJudgement(world, refused);
    outcome(world, refused.verdict.conclusion, first.expect, false);
    results.push({
      step: label("a"),
      title: `${step.title} (${first.label})`,
      expected: first.expect,
      actual: refused.verdict.conclusion,
      summary: refused.verdict.summary,
    });
    world.write(`\n${paragraph(first.fix, `  ${label("b")}. `)}\n`);
    // Rewritten from main: the refused commit is gone, as after a force-push.
    repo.branch(step.branch);
  }
  for (const commit of step.commits) repo.commit(commit.by, commit.message, commit.files);
  if (step.before) {
    // The check runs on every review: show it waiting before the last approval arrives.
    const early = await judge(world, step, step.before.approvals, label("a"), step.before.now);
    const who = step.before.approvals.join(" and ") || "nobody";
    const { conclusion, summary } = early.verdict;
    // A step judged earlier shows a window not open yet; otherwise an approval still missing.
    const when = step.before.now ? `Judged at ${step.before.now}` : `With only ${who} approving`;
    world.write(paragraph(`${when}: ${conclusion} (${summary}).`, `  ${label("a")}. `));
    world.write(`  ${world.paint("dim", `$ ${early.command}`)}\n\n`);
    results.push({
      step: label("a"),
      title: `${step.title} (${step.before.label})`,
      expected: step.before.expect,
      actual: conclusion,
      summary,
    });
    world.write(
      `  ${label("b")}. ${step.before.now ? `At ${step.now ?? "the same time"}` : "With every approval"}:\n`,
    );
  }
  const final = await judge(world, step, step.approvals, label("b"));
  showJudgement(world, final);
  const { verdict } = final;
  const merged = step.merge && verdict.conclusion === step.expect;
  outcome(world, verdict.conclusion, step.expect, merged);
  results.push({
    step: label("b"),
    title: step.title,
    expected: step.expect,
    actual: verdict.conclusion,
    summary: verdict.summary,
  });
  if (merged) await world.merge(step.branch, final, step.author);
  return results;
}

function describePullRequest(step: PullRequestStep): string {
  const approvers = step.approvals.map((login) => `${login} (${person(login).role})`).join(", ");
  return `pull request ${step.branch} by ${step.author} (${person(step.author).role}); approved by ${approvers || "nobody"}`;
}
