import { evaluate } from "../../core/evaluate/evaluate.js";
import { renderText } from "../../core/report/render-text.js";
import type { Act, Conclusion, Evidence, Login, Verdict } from "../../core/types.js";
import { loadLocalSnapshot } from "../../git/load-snapshot.js";
import { painter } from "../color.js";
import { initFiles } from "../init-files.js";
import type { CliIO } from "../io.js";
import { CAST, DEPUTIES, emailOf, person } from "./cast.js";
import { DemoRepo } from "./demo-repo.js";
import { demoPack } from "./demo-pack.js";
import { DEMO_NOW, story, type StoryStep } from "./story.js";

export interface DemoStepResult {
  /** The step's number as the demo prints it; "5a", "5b" when one step is judged twice. */
  step: string;
  title: string;
  expected: Conclusion;
  actual: Conclusion;
  summary: string;
}

export interface DemoResult {
  steps: DemoStepResult[];
  /** Every step came out as the story expects. */
  ok: boolean;
  /** The temporary repository (removed unless kept). */
  repo: string;
  signed: boolean;
}

/**
 * Tells the story of the talk on a temporary repository: every step is a branch of commits by
 * the people acting, judged by the real snapshot loader and evaluator against main, and merged
 * when it passes. Needs no network and no GitHub account.
 */
export async function runDemo(
  io: CliIO,
  options: { keep: boolean; color: boolean },
): Promise<DemoResult> {
  const paint = painter(options.color);
  const repo = DemoRepo.create();
  const results: DemoStepResult[] = [];
  try {
    const pack = await bootstrap(repo, io);
    const steps = story(pack);
    const evidence = new Map<string, Act[]>();
    for (const [index, step] of steps.entries()) {
      const number = String(index + 1);
      // A step judged twice numbers its verdicts 5a, 5b, as the summary lists them.
      const twice = step.before !== undefined || step.refusedFirst !== undefined;
      const label = (part: string) => (twice ? `${number}${part}` : number);
      io.stdout.write(`\n${paint("bold", `Step ${number}/${steps.length}: ${step.title}`)}\n`);
      io.stdout.write(`${step.narrative}\n${describePullRequest(step)}\n\n`);
      repo.branch(step.branch);
      if (step.refusedFirst) {
        const first = step.refusedFirst;
        io.stdout.write(`  ${label("a")}. ${first.narrative}\n\n`);
        for (const commit of first.commits) repo.commit(commit.by, commit.message, commit.files);
        const refused = await judge(repo, step, step.approvals, evidence);
        io.stdout.write(indent(renderText(refused, { color: options.color })));
        io.stdout.write(`${outcome(refused.conclusion, first.expect, false, paint)}\n\n`);
        results.push({
          step: label("a"),
          title: `${step.title} (${first.label})`,
          expected: first.expect,
          actual: refused.conclusion,
          summary: refused.summary,
        });
        io.stdout.write(`  ${label("b")}. ${first.fix}\n\n`);
        // Rewritten from main: the refused commit is gone, as after a force-push.
        repo.branch(step.branch);
      }
      for (const commit of step.commits) repo.commit(commit.by, commit.message, commit.files);
      if (step.before) {
        // The check runs on every review: show it waiting before the last approval arrives.
        const early = await judge(repo, step, step.before.approvals, evidence);
        const who = step.before.approvals.join(" and ") || "nobody";
        io.stdout.write(
          `  ${label("a")}. With only ${who} approving: ${early.conclusion} (${early.summary}).\n\n`,
        );
        results.push({
          step: label("a"),
          title: `${step.title} (${step.before.label})`,
          expected: step.before.expect,
          actual: early.conclusion,
          summary: early.summary,
        });
        io.stdout.write(`  ${label("b")}. With every approval:\n`);
      }
      const verdict = await judge(repo, step, step.approvals, evidence);
      io.stdout.write(indent(renderText(verdict, { color: options.color })));
      const ok = verdict.conclusion === step.expect;
      io.stdout.write(`${outcome(verdict.conclusion, step.expect, step.merge, paint)}\n`);
      results.push({
        step: label("b"),
        title: step.title,
        expected: step.expect,
        actual: verdict.conclusion,
        summary: verdict.summary,
      });
      if (step.merge && ok) {
        repo.merge(step.branch);
        for (const act of verdict.acts) {
          if (act.record !== null)
            evidence.set(act.record, [...(evidence.get(act.record) ?? []), act]);
        }
      }
    }
  } finally {
    repo.dispose(options.keep);
  }
  const ok = results.every((r) => r.expected === r.actual);
  io.stdout.write(summaryTable(results, paint));
  const steps = new Set(results.map((r) => parseInt(r.step, 10))).size;
  io.stdout.write(
    ok
      ? `\nAll ${results.length} verdicts of the ${steps} steps came out as the story expects.\n`
      : `\n${results.filter((r) => r.expected !== r.actual).length} of ${results.length} verdicts did not come out as the story expects (see above).\n`,
  );
  io.stdout.write(
    options.keep
      ? `The demo repository is kept at ${repo.dir}; 'git -C ${repo.dir} log --graph --all --oneline' shows the story.\n`
      : `The demo repository ${repo.dir} was removed; run 'gatehouse demo --keep' to keep it.\n`,
  );
  return { steps: results, ok, repo: repo.dir, signed: repo.signs };
}

/** `gatehouse init` with the cast as role members and their keys as trusted keys. */
async function bootstrap(repo: DemoRepo, io: CliIO): Promise<Map<string, string>> {
  const keys = repo.signs ? new Map(CAST.map(({ login }) => [login, repo.makeKey(login)])) : null;
  if (keys) repo.allowSigners(keys);
  else {
    io.stdout.write(
      "Note: ssh-keygen is not installed, so the demo cannot sign commits: signatures are switched off in the demo's copy of the pack (signatures.required: false).\n",
    );
  }
  const files = demoPack(await initFiles("finance"), [...CAST, ...DEPUTIES], keys);
  io.stdout.write(
    `gatehouse demo: a bank adopts gatehouse. ${CAST.length} people, one per role (and two security admins):\n` +
      CAST.map((p) => `  ${p.login.padEnd(11)}${p.role}`).join("\n") +
      `\n  (chen-jie also deputises as release-manager)\n`,
  );
  repo.commit("xu-ming", "Adopt gatehouse with the finance pack", Object.fromEntries(files));
  return files;
}

async function judge(
  repo: DemoRepo,
  step: StoryStep,
  approvals: Login[],
  evidence: Map<string, Act[]>,
): Promise<Verdict> {
  const identities: Record<string, Login> = {};
  for (const { login } of CAST) identities[emailOf(login)] = login;
  const history: Evidence[] = [...evidence].map(([record, acts]) => ({ record, acts }));
  const snapshot = await loadLocalSnapshot({
    repo: repo.dir,
    base: "main",
    head: step.branch,
    context: {
      author: step.author,
      approvals: approvals.map((user) => ({ user })),
      identities,
      evidence: history,
    },
    now: DEMO_NOW,
  });
  return evaluate(snapshot);
}

function describePullRequest(step: StoryStep): string {
  const approvers = step.approvals.map((login) => `${login} (${person(login).role})`).join(", ");
  return `  pull request by ${step.author} (${person(step.author).role}); approved by ${approvers || "nobody"}`;
}

function outcome(
  actual: Conclusion,
  expected: Conclusion,
  merge: boolean,
  paint: ReturnType<typeof painter>,
): string {
  return actual === expected
    ? paint("dim", `→ ${actual}, as the story expects${merge ? "; merged into main" : ""}.`)
    : paint("red", `→ ${actual}, but the story expects ${expected}.`);
}

function indent(text: string): string {
  return text
    .trimEnd()
    .split("\n")
    .map((line) => `  ${line}`)
    .join("\n")
    .concat("\n");
}

function summaryTable(results: DemoStepResult[], paint: ReturnType<typeof painter>): string {
  const lines = [
    "",
    paint("bold", "Summary"),
    `  step ${"".padEnd(46)}${"expected".padEnd(10)}verdict`,
  ];
  for (const r of results) {
    const mark = r.expected === r.actual ? paint("green", "✓") : paint("red", "✗");
    lines.push(
      `  ${r.step.padStart(4)} ${r.title.padEnd(46)}${r.expected.padEnd(10)}${r.actual.padEnd(9)}${mark}`,
    );
  }
  return lines.join("\n") + "\n";
}
