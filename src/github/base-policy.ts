/**
 * The policy of a base commit as a judgement reads it: `.github/gatehouse.yml` (always in the
 * first query: it says where the rest is), CODEOWNERS and the policies directory — their texts
 * from the first query when it asked for them, else from the cache under the ids the first
 * query gave, else from one more query. Whatever the source, a file that cannot be read as
 * policy fails the judgement closed, naming it.
 */
import YAML from "yaml";
import { CONFIG_PATH } from "../core/policy/load-config.js";
import { displayPath } from "../core/paths/path-name.js";
import type { BasePolicyNode, EntryNode, PullRequestNode, TreeNode } from "./graphql-types.js";
import type { GraphQLClient, PullRequestRef } from "./load-snapshot.js";
import { cachedTree, keepBlob, keepTree, provenBlob, blobKey } from "./cached-trees.js";
import type { PolicyGuess } from "./judgement-hint.js";
import type { SnapshotCache } from "./snapshot-cache.js";
import { entryText, flattenTree } from "./snapshot-parts.js";
import { BASE_POLICY_QUERY } from "./first-query.js";

type BaseTarget = NonNullable<NonNullable<PullRequestNode["baseRef"]>["target"]>;

export interface BasePolicyRead {
  files: Map<string, string>;
  /** Where and by which ids the policy was found (teams filled in by the caller). */
  place: Omit<PolicyGuess, "teams">;
  /** Requests this read made beyond the first query (0 or 1). */
  requests: number;
}

/** Reads the base policy of `target` (the base commit as the first query answered it). */
export async function readBasePolicy(
  github: GraphQLClient,
  pull: PullRequestRef,
  target: BaseTarget,
  options: {
    repoId: number | null;
    policies: string;
    codeowners: string;
    /** Whether the first query asked for the texts (else ids only). */
    texts: boolean;
    resolvedConfig?: Record<string, unknown> | null | undefined;
    cache?: SnapshotCache | undefined;
  },
): Promise<BasePolicyRead> {
  const { repoId, policies, codeowners, cache } = options;
  const place = placeOf(target, { repoId: repoId ?? 0, policies, codeowners });
  const { tree } = place;
  let read: BasePolicyNode = target;
  let requests = 0;
  if (!options.texts) {
    const known = await fromCache(cache, place, target.codeowners ?? null);
    if (known) read = known;
    else {
      // The ids missed (a policy pushed since the last judgement): one query for the texts.
      const answer = await github.graphql<{ repository: { object: BasePolicyNode | null } | null }>(
        BASE_POLICY_QUERY,
        { owner: pull.owner, name: pull.repo, base: target.oid, policies, codeowners },
      );
      requests += 1;
      read = answer.repository?.object ?? {};
    }
  }
  if (cache && repoId !== null) await keepPolicy(cache, place, read);
  const files = new Map<string, string>();
  const unreadable: string[] = [];
  for (const [path, node] of [
    [CONFIG_PATH, target.config],
    [codeowners, read.codeowners],
  ] as const) {
    const { text, type } = entryText(node);
    if (type !== null && type !== "file") unreadable.push(path);
    else if (text !== null) {
      files.set(path, path === CONFIG_PATH ? effectiveConfig(text, options.resolvedConfig) : text);
    }
  }
  // Every file of the keys directory counts: a binary one may be a private key exported
  // without --armor, which must be named, not skipped.
  const keysDir = `${policies.replace(/\/+$/, "")}/keys/`;
  const policyTree = tree === null ? null : read.policies?.object;
  unreadable.push(
    ...flattenTree(policyTree, files).filter(
      (path) => isPolicyRelevant(path) || path.startsWith(keysDir),
    ),
  );
  if (unreadable.length > 0) {
    const keyFile = unreadable.some((path) => path.startsWith(keysDir))
      ? `; a binary file in ${keysDir} may be a private key exported without --armor: if so, remove it from the repository and its history, and rotate it`
      : "";
    throw new Error(
      `${unreadable.slice(0, 3).map(displayPath).join(", ")} in the base commit could not be read as policy (binary, over GitHub's size limit, a symbolic link or submodule entry, or more than three folders deep); keep policy files small regular text files near the top of ${policies}/${keyFile}`,
    );
  }
  return { files, place, requests };
}

/** Where a base commit's policy is and by which ids, as a query answered for the commit. */
export function placeOf(
  node: BasePolicyNode,
  where: { repoId: number; policies: string; codeowners: string },
): Omit<PolicyGuess, "teams"> {
  const tree = node.policies?.type === "tree" ? (node.policies.oid ?? null) : null;
  const codeownersOid = node.codeowners?.type === "blob" ? (node.codeowners.oid ?? null) : null;
  return { ...where, tree, codeownersOid };
}

/** Keeps the policy texts GitHub gave under their ids, each only when it proves to be its id. */
export async function keepPolicy(
  cache: SnapshotCache,
  place: Omit<PolicyGuess, "teams">,
  read: BasePolicyNode,
): Promise<void> {
  const { repoId, policies, tree, codeowners, codeownersOid } = place;
  if (tree !== null) {
    await keepTree(cache, "policy", { repoId, path: policies, oid: tree }, read.policies?.object);
  }
  if (codeownersOid !== null) {
    await keepBlob(cache, { repoId, path: codeowners, oid: codeownersOid }, read.codeowners);
  }
}

/**
 * The policy directory and CODEOWNERS from the cache, when both prove to be the ids the first
 * query gave (an absent one needs nothing); null when either must be read from GitHub.
 */
async function fromCache(
  cache: SnapshotCache | undefined,
  place: Omit<PolicyGuess, "teams">,
  fresh: EntryNode | null,
): Promise<BasePolicyNode | null> {
  if (!cache || place.repoId === 0) return null;
  const { repoId, policies, tree, codeowners, codeownersOid } = place;
  let policyTree: TreeNode | null = null;
  if (tree !== null) {
    policyTree = await cachedTree(cache, "policy", { repoId, path: policies, oid: tree });
    if (!policyTree) return null;
  }
  let owners: EntryNode | null = null;
  if (codeownersOid !== null) {
    const blob = { repoId, path: codeowners, oid: codeownersOid };
    const [text] = await cache.get([blobKey(blob)]);
    const cached = provenBlob(text ?? null, blob);
    if (!cached || !fresh) return null;
    // The text is proved by the id; what kind of entry it is (a link?) is GitHub's fresh word.
    owners = { ...cached, mode: fresh.mode, type: fresh.type };
  }
  return { policies: { object: policyTree }, codeowners: owners };
}

/** True when the cached policy for `place` is at hand, so the first query may ask ids only. */
export async function policyCached(
  cache: SnapshotCache,
  place: Omit<PolicyGuess, "teams">,
): Promise<boolean> {
  const { codeownersOid } = place;
  const owners =
    codeownersOid === null ? null : { oid: codeownersOid, mode: 0, type: "blob", object: null };
  return (await fromCache(cache, place, owners)) !== null;
}

/**
 * A base `.github/gatehouse.yml` that only says `_extends` is replaced by the configuration
 * Probot resolved, so that the core sees the settings an organisation made once for all.
 */
function effectiveConfig(
  text: string,
  resolvedConfig: Record<string, unknown> | null | undefined,
): string {
  if (!resolvedConfig) return text;
  try {
    const parsed: unknown = YAML.parse(text);
    if (parsed && typeof parsed === "object" && "_extends" in parsed) {
      const resolved = { ...resolvedConfig };
      delete resolved._extends;
      return YAML.stringify(resolved);
    }
  } catch {
    // An unparsable file is left as it is: the core reports it with its line and column.
  }
  return text;
}

/** Policy files, trusted keys, and folders whose contents gatehouse could not list. */
function isPolicyRelevant(path: string): boolean {
  const name = path.slice(path.lastIndexOf("/") + 1);
  return name === "OWNERS" || !name.includes(".") || /\.(ya?ml|asc|pub)$/i.test(name);
}
