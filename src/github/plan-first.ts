/**
 * What a judgement's first query asks for, from what the last judgements read
 * (src/github/judgement-hint.ts): the policy by id only when a policy the repository last used
 * is cached (a base that still has it then needs no text at all), and the changed files, teams
 * and record folders the last judgement of this pull request needed.
 */
import { DEFAULT_CONFIG } from "../core/policy/model.js";
import { recordKindForPath } from "../core/records/parse-record.js";
import { idOfPath } from "../core/records/record-ids.js";
import type { RecordKind } from "../core/types.js";
import { policyCached } from "./base-policy.js";
import { coldPlan, type FirstPlan } from "./first-query.js";
import type { EntryNode } from "./graphql-types.js";
import { MAX_EVIDENCE, readHints, type PolicyGuess } from "./judgement-hint.js";
import type { PullRequestRef } from "./load-snapshot.js";
import { MAX_PUSHED_PATHS, readPush, type PushedPaths } from "./push-hint.js";
import type { SnapshotCache } from "./snapshot-cache.js";

export interface FirstGuess {
  plan: FirstPlan;
  /** The repository's recent policies, to keep up to date after the judgement. */
  recent: PolicyGuess[];
}

/**
 * Plans the first query; with no cache, it reads the policy's texts and guesses nothing. `head`
 * is the head the event named: a push of it tells which files a first judgement needs.
 */
export async function planFirst(
  cache: SnapshotCache | undefined,
  pull: PullRequestRef,
  where: { policies: string; codeowners: string },
  head?: string,
): Promise<FirstGuess> {
  const plan = coldPlan(where);
  if (!cache) return { plan, recent: [] };
  const { hint, recent } = await readHints(cache, pull);
  const candidates = [...(hint ? [hint.policy] : []), ...recent].filter(
    (p) => p.policies === where.policies && p.codeowners === where.codeowners,
  );
  for (const candidate of candidates) {
    if (await policyCached(cache, candidate)) {
      plan.policyTexts = false;
      break;
    }
  }
  const teams = hint?.policy.teams ?? candidates[0]?.teams ?? [];
  plan.teams = teams.flatMap((name) => {
    const [org, slug, ...rest] = name.split("/");
    return org && slug && rest.length === 0 ? [{ org, slug }] : [];
  });
  if (hint) {
    plan.basePaths = hint.basePaths;
    plan.headPaths = hint.headPaths;
    plan.changes = hint.changes;
    plan.records = hint.records;
    plan.evidence = hint.evidence;
  }
  const known = hint?.policy ?? candidates[0];
  const pushed = await readPush(cache, pull, head);
  if (pushed) addPushed(plan, pushed, { ...DEFAULT_CONFIG.records, ...known?.records });
  // The change records are read with their texts unless some judgement here kept them (by
  // id: a miss, say after main moved, costs the follow-up query that would read them anyway).
  plan.changeTexts = plan.changes !== null && known?.changesTree === undefined;
  return { plan, recent };
}

/**
 * Adds what a push of the head touched: the texts of those files at the base and the head, and
 * for records the change records' folder, the head's record folders (with their listings when
 * a record was added: that folder is new at this head) and the records' evidence.
 */
function addPushed(plan: FirstPlan, pushed: PushedPaths, folders: Record<RecordKind, string>) {
  const union = (a: string[], b: string[], max: number) => [...new Set([...a, ...b])].slice(0, max);
  plan.basePaths = union(plan.basePaths, pushed.base, MAX_PUSHED_PATHS);
  plan.headPaths = union(plan.headPaths, pushed.head, MAX_PUSHED_PATHS);
  const config = { ...DEFAULT_CONFIG, records: folders };
  const isRecord = (path: string) => recordKindForPath(path, config) !== null;
  const records = [...pushed.head, ...pushed.base].filter(isRecord);
  if (records.length === 0) return;
  const dirs = Object.values(folders).map((dir) => dir.replace(/\/+$/, ""));
  plan.changes ??= folders.ChangeRequest.replace(/\/+$/, "");
  plan.evidence = union(plan.evidence, records.map(idOfPath).sort(), MAX_EVIDENCE);
  if (pushed.added.some(isRecord)) {
    plan.records = union(plan.records, dirs, dirs.length);
    plan.listRecords = true;
  }
}

/**
 * What the first query read on a guess, by path: texts at the base and at the head, and the
 * head's record folders by id. Used only for a path the judgement needs, on the commit it needs
 * it from: head answers only when the commit they were read from is the head the pull request
 * now has.
 */
export function guessedAnswers(
  plan: FirstPlan,
  base: Partial<Record<`g${number}`, EntryNode | null | undefined>>,
  headCommit:
    | (Partial<Record<`h${number}` | `rt${number}`, EntryNode | null | undefined>> & {
        oid?: string;
      })
    | null
    | undefined,
  headSha: string,
): {
  base: Map<string, EntryNode | null>;
  head: Map<string, EntryNode | null>;
  records: Map<string, EntryNode | null>;
} {
  const head = headCommit?.oid === headSha ? headCommit : null;
  return {
    base: new Map(plan.basePaths.map((path, i) => [path, base[`g${i}`] ?? null])),
    head: new Map(head ? plan.headPaths.map((path, i) => [path, head[`h${i}`] ?? null]) : []),
    records: new Map(head ? plan.records.map((path, i) => [path, head[`rt${i}`] ?? null]) : []),
  };
}
