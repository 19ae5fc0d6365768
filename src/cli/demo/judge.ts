import { join } from "node:path";
import { stringify } from "yaml";
import { evaluate } from "../../core/evaluate/evaluate.js";
import type { Login, Snapshot, Verdict } from "../../core/types.js";
import { readContextFile, type LocalContext } from "../../git/context.js";
import { loadLocalSnapshot } from "../../git/load-snapshot.js";
import { CAST, emailOf } from "./cast.js";
import { DEMO_NOW, DEMO_NOW_TEXT } from "./clock.js";
import { CONTEXT_DIR } from "./demo-repo.js";
import type { PullRequestStep } from "./step.js";
import type { DemoWorld } from "./world.js";

/** A judged pull request: the verdict, and the command and context that reproduce it. */
export interface Judgement {
  verdict: Verdict;
  /** What was judged: a merge's evidence records it. */
  snapshot: Snapshot;
  /** `gatehouse check …` as the reader can run it in the kept repository. */
  command: string;
  /** The context file in one line: who wrote, who approved, what else it holds. */
  context: string;
}

/**
 * Judges the pull request of `step` as it stands on its branch, as `gatehouse check` does: the
 * context (author, approvals, the pull request's number, the cast's e-mails) is written to a
 * file under {@link CONTEXT_DIR} and read back by the same reader `--context` uses, and the base
 * and head are named by commit, so the printed command replays this very judgement later. The
 * evidence of earlier merges is not in the context: the check reads it from the repository's
 * refs/notes/gatehouse, which the demo's own merges wrote. A pull request is numbered as its
 * step, so "#7" in a verdict is step 7.
 */
export async function judge(
  world: DemoWorld,
  step: PullRequestStep,
  approvals: Login[],
  label: string,
  now = step.now ?? DEMO_NOW_TEXT,
): Promise<Judgement> {
  const { repo } = world;
  const identities: Record<string, Login> = {};
  for (const { login } of CAST) identities[emailOf(login)] = login;
  const context: LocalContext = {
    author: step.author,
    approvals: approvals.map((user) => ({ user })),
    number: parseInt(label, 10),
    ...step.context,
    identities,
  };
  // Two digits, so that the files list in story order.
  const file = `${CONTEXT_DIR}/step-${label.replace(/^\d+/, (n) => n.padStart(2, "0"))}.yaml`;
  repo.writeAside(
    file,
    `# gatehouse demo, step ${label}: what GitHub would know of this pull request.\n` +
      stringify(context, { lineWidth: 0 }),
  );
  const base = repo.short("main");
  const head = repo.short(step.branch);
  const snapshot = await loadLocalSnapshot({
    repo: repo.dir,
    base,
    head,
    context: await readContextFile(join(repo.dir, file)),
    now: now === DEMO_NOW_TEXT ? DEMO_NOW : new Date(now),
  });
  return {
    verdict: await evaluate(snapshot),
    snapshot,
    command: `gatehouse check --base ${base} --head ${head} --now ${now} --context ${file}`,
    context: describeContext(context),
  };
}

function describeContext(context: LocalContext): string {
  const parts = [`author ${context.author ?? "?"}`];
  const approvers = (context.approvals ?? []).map((a) => a.user);
  parts.push(approvers.length > 0 ? `approvals ${approvers.join(", ")}` : "no approvals");
  // One line: a body's line breaks are shown as "\n".
  if (context.body !== undefined) parts.push(`body "${context.body.replace(/\n/g, "\\n")}"`);
  if (context.labels) parts.push(`labels ${context.labels.join(", ")}`);
  if (context.checks) {
    parts.push(
      `checks ${Object.entries(context.checks)
        .map(([name, state]) => `${name}=${state}`)
        .join(", ")}`,
    );
  }
  const people = Object.keys(context.identities ?? {}).length;
  if (people > 0) parts.push(`the e-mails of ${people} people`);
  const acts = (context.evidence ?? []).reduce((n, e) => n + e.acts.length, 0);
  if (acts > 0) parts.push(`${acts} ${acts === 1 ? "act" : "acts"} of earlier merges (evidence)`);
  return parts.join("; ");
}
