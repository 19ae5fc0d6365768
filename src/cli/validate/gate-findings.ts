/**
 * What the gate would refuse if the working tree were pushed now: the working tree becomes a
 * commit on top of HEAD (never shown to the user, see `commitWorkingTree`) and is judged exactly
 * as `gatehouse check` judges a branch, against the default branch and its policy. Every failed
 * rule becomes a finding; what approvals alone can fix (pending) is not a mistake and is left out.
 */
import { evaluate } from "../../core/evaluate/evaluate.js";
import { ConfigError } from "../../core/errors.js";
import { loadConfig, CONFIG_PATH } from "../../core/policy/load-config.js";
import type { Finding, RuleResult } from "../../core/types.js";
import { loadLocalSnapshot } from "../../git/load-snapshot.js";
import { resolveRange, revParse } from "../../git/refs.js";
import { commitWorkingTree } from "../../git/working-tree-commit.js";

export interface GateOutcome {
  findings: Finding[];
  /** Why the gate's rules were not applied, when they were not (no commit, no policy on the base). */
  note?: string;
}

/** Who a judgement of the working tree is by: nobody's approval depends on it, failures never do. */
const AUTHOR = "you";

/** Judges the working tree of `root` (the top of a clone) as of `now`. */
export async function gateFindings(root: string, now: Date): Promise<GateOutcome> {
  if ((await revParse(root, "HEAD")) === undefined) {
    return { findings: [], note: "the repository has no commit yet" };
  }
  const tree = await commitWorkingTree(root);
  if (tree === undefined) return { findings: [], note: "the repository has no commit yet" };
  let range;
  try {
    range = await resolveRange(root, undefined, tree.sha, "");
  } catch (error) {
    if (error instanceof ConfigError) {
      return { findings: [], note: "there is no default branch (origin/HEAD, main or master)" };
    }
    throw error;
  }
  // Nothing differs from the default branch: there is nothing a pull request would carry.
  if (range.mergeBase === range.headSha) return { findings: [] };
  const snapshot = await loadLocalSnapshot({
    repo: root,
    head: tree.sha,
    context: { author: AUTHOR },
    now,
  });
  const { config } = loadConfig(snapshot.base.files.get(CONFIG_PATH));
  const dir = `${config.policies.replace(/\/+$/, "")}/`;
  if (![...snapshot.base.files.keys()].some((path) => path.startsWith(dir))) {
    // Adoption itself: the first policy reaches the default branch before the gate guards it.
    return { findings: [], note: `${range.baseRef} has no gatehouse policy yet` };
  }
  const verdict = await evaluate(snapshot);
  // The working tree's own commit is unsigned until the user commits it; only that is forgiven.
  const forgiven = tree.made ? `signatures/${tree.sha.slice(0, 7)}` : undefined;
  return { findings: failures(verdict.rules, forgiven, undefined) };
}

/**
 * The findings of every failed rule, deepest first: a failed rule with failed children is
 * explained by them, and a child that only repeats, for one file, what its parent's findings
 * already place in that file adds nothing. A rule that failed without naming a place is placed
 * at its record, or reported with line 0 (not about one line of a file: a commit, the change).
 */
function failures(
  node: RuleResult,
  forgiven: string | undefined,
  record: string | undefined,
  placed: ReadonlySet<string> = new Set(),
): Finding[] {
  if (node.id === forgiven) return [];
  const at = node.id.startsWith("records/") && record === undefined ? node.id.slice(8) : record;
  const own = node.status === "failed" ? (node.findings ?? []) : [];
  const covered = new Set([...placed, ...own.map((f) => f.path)]);
  const children = node.children.filter((child) => child.status === "failed");
  const below = children.flatMap((child) => failures(child, forgiven, at, covered));
  if (node.status !== "failed") return below;
  if (own.length > 0 || children.length > 0) return [...own, ...below];
  const subject = node.id.slice(node.id.indexOf("/") + 1);
  if (placed.has(subject)) return [];
  return [
    {
      path: at ?? node.id,
      line: at === undefined ? 0 : 1,
      column: at === undefined ? 0 : 1,
      code: `gate/${node.id.split("/").pop() ?? node.id}`,
      message: `the gate would refuse this: ${node.reason}`,
    },
  ];
}
