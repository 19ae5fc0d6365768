import { painter, type Paint } from "../color.js";
import { join } from "node:path";
import { initFiles } from "../init-files.js";
import { findPackageRoot } from "../package-root.js";
import type { CliIO } from "../io.js";
import { generateKey } from "openpgp";
import { EVIDENCE_SIGNER } from "../../core/evidence/model.js";
import { readSigningKey, type SigningKey } from "../../core/evidence/sign.js";
import { CAST, DEPUTIES, EMAIL_DOMAIN } from "./cast.js";
import { DEMO_NOW } from "./clock.js";
import { runCommandStep } from "./command-step.js";
import { CONTEXT_DIR, DemoRepo } from "./demo-repo.js";
import { demoPack } from "./demo-pack.js";
import { runPullRequestStep } from "./pull-request-step.js";
import { heading } from "./screen.js";
import { isCommandStep } from "./step.js";
import { story } from "./story.js";
import { DemoWorld, type DemoStepResult } from "./world.js";

export type { DemoStepResult } from "./world.js";

export interface DemoResult {
  steps: DemoStepResult[];
  /** Every step came out as the story expects. */
  ok: boolean;
  /** The temporary repository (removed unless kept). */
  repo: string;
  signed: boolean;
}

/**
 * Tells the story on a temporary repository, one screen per step: every pull request is a
 * branch of commits by the people acting, judged against main as the printed `gatehouse check`
 * judges it, and merged when it passes. Needs no network and no GitHub account.
 */
export async function runDemo(
  io: CliIO,
  options: { keep: boolean; color: boolean },
): Promise<DemoResult> {
  const paint = painter(options.color);
  const repo = DemoRepo.create();
  const results: DemoStepResult[] = [];
  try {
    const { pack, signer } = await bootstrap(repo, io);
    const world = new DemoWorld(repo, io, paint, options.color, signer);
    const steps = story(pack).flatMap((chapter) => chapter.steps);
    for (const [index, step] of steps.entries()) {
      heading(world, index + 1, steps.length, step.title);
      const number = String(index + 1);
      results.push(
        ...(isCommandStep(step)
          ? await runCommandStep(world, step, number)
          : await runPullRequestStep(world, step, number)),
      );
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
  io.stdout.write(demoEnding(repo.dir, options.keep, io.env));
  return { steps: results, ok, repo: repo.dir, signed: repo.signs };
}

/**
 * The demo's last lines: where its repository is, and how to replay a step, said in the words
 * the reader started it with. Someone who ran `npm run demo` in a clone of gatehouse has no
 * `gatehouse` on the PATH: they are told `npm run demo -- --keep` and the `node …` that runs it.
 */
export function demoEnding(dir: string, keep: boolean, env: NodeJS.ProcessEnv): string {
  const fromClone = env.npm_lifecycle_event === "demo";
  if (!keep) {
    const again = fromClone ? "npm run demo -- --keep" : "gatehouse demo --keep";
    return `The demo repository ${dir} was removed; run '${again}' to keep it and replay any step.\n`;
  }
  const gatehouse = join(findPackageRoot(), "bin", "gatehouse.js");
  return (
    `The demo repository is kept at ${dir}; 'git -C ${dir} log --graph --all --oneline' shows the story.\n` +
    `To replay a step, run its '$ gatehouse check …' line in that directory (the context files are in ${CONTEXT_DIR}/)` +
    (fromClone
      ? `, with 'node ${gatehouse}' for 'gatehouse':\n  cd ${dir} && node ${gatehouse} check …\n`
      : ".\n")
  );
}

/**
 * `gatehouse init` with the cast as role members and their keys as trusted keys, and the key
 * that signs the evidence of merges (the App's, in a real repository) trusted for evidence.
 */
async function bootstrap(
  repo: DemoRepo,
  io: CliIO,
): Promise<{ pack: Map<string, string>; signer: SigningKey }> {
  const keys = repo.signs ? new Map(CAST.map(({ login }) => [login, repo.makeKey(login)])) : null;
  if (keys) repo.allowSigners(keys);
  else {
    io.stdout.write(
      "Note: ssh-keygen is not installed, so the demo cannot sign commits: signatures are switched off in the demo's copy of the pack (signatures.required: false).\n",
    );
  }
  const files = demoPack(await initFiles("finance"), [...CAST, ...DEPUTIES], keys);
  const evidence = await evidenceKey();
  files.set(`policies/keys/${EVIDENCE_SIGNER}.asc`, evidence.publicKey);
  io.stdout.write(
    `gatehouse demo: a bank adopts gatehouse. ${CAST.length} people, one per role (and two security admins):\n` +
      CAST.map((p) => `  ${p.login.padEnd(11)}${p.role}`).join("\n") +
      `\n  (chen-jie also deputises as release-manager, li-na and zhou-qiang as ops-lead)\n` +
      `Each step is one pull request (or one command), judged by the 'gatehouse check' printed with it.\n`,
  );
  repo.commit("xu-ming", "Adopt gatehouse with the finance pack", Object.fromEntries(files));
  return { pack: files, signer: evidence.signer };
}

/**
 * A throwaway OpenPGP key for the demo's evidence, made in memory like the people's keys. It is
 * dated a year before the demo's clock: the demo judges at {@link DEMO_NOW}, and an evidence key
 * must be valid at the time of judgement, which a key made today is not for a past clock.
 */
async function evidenceKey(): Promise<{ signer: SigningKey; publicKey: string }> {
  const { privateKey, publicKey } = await generateKey({
    type: "curve25519",
    userIDs: [{ name: "gatehouse evidence", email: `gatehouse-evidence@${EMAIL_DOMAIN}` }],
    date: new Date(DEMO_NOW.getTime() - 365 * 86_400_000),
    format: "armored",
  });
  return { signer: await readSigningKey(privateKey), publicKey };
}

function summaryTable(results: DemoStepResult[], paint: Paint): string {
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
