import { CONFIG_PATH } from "../core/policy/load-config.js";
import type { SimpleGit } from "simple-git";
import { DEFAULT_CONFIG } from "../core/policy/model.js";
import { readText, type NotText } from "./decode-text.js";
import { policiesDirectory } from "./policies-directory.js";
import { readBlobSizes, readBlobs } from "./read-blobs.js";
import { diffTrees, listPolicyTree, type TreeChange, type TreeEntry } from "./tree-entries.js";

const CODEOWNERS_PATH = ".github/CODEOWNERS";

/** A file the loader did not put into the snapshot, and why. */
export interface SkippedFile {
  path: string;
  side: "base" | "head";
  reason: NotText | "too large";
}

export interface SnapshotFiles {
  changes: TreeChange[];
  base: Map<string, string>;
  /** Files of the base's keys directory that are not text, as bytes (see Snapshot.base). */
  binaryKeys: Map<string, Uint8Array>;
  head: Map<string, string>;
  skipped: SkippedFile[];
}

/** The commits a snapshot reads: the change is `mergeBase..headSha`, the base side `baseTip`. */
export interface SnapshotCommits {
  mergeBase: string;
  baseTip: string;
  headSha: string;
}

/**
 * The files of a snapshot: the configuration and policy files of the base branch's tip, the
 * tip's version of every file the change touches, and the head's. What changed is the diff
 * from the merge base to the head, as GitHub lists a pull request's files; the base side is
 * read at the tip, as the GitHub App reads it. A handful of git processes whatever the number
 * of files: one listing per tree, one size query, one read.
 */
export async function snapshotFiles(
  git: SimpleGit,
  root: string,
  { mergeBase, baseTip, headSha }: SnapshotCommits,
  maxBytes: number,
): Promise<SnapshotFiles> {
  // Most repositories keep the default policies directory: list it together with the config,
  // and list again only when the config names another one.
  const defaultDir = `${DEFAULT_CONFIG.policies}/`;
  const [changes, atTip, listed] = await Promise.all([
    diffTrees(git, mergeBase, headSha),
    tipVersions(git, mergeBase, baseTip),
    listPolicyTree(git, baseTip, [CONFIG_PATH, CODEOWNERS_PATH, defaultDir]),
  ]);
  for (const change of changes) {
    const basePath = change.previousPath ?? change.path;
    if (change.status === "added" || !atTip.has(basePath)) continue;
    const sha = atTip.get(basePath);
    if (sha === undefined) delete change.baseSha;
    else change.baseSha = sha;
  }
  const sizes = new Map<string, number>(listed.map((e) => [e.sha, e.size]));
  const changedShas = changes.flatMap((c) => [c.baseSha, c.headSha]).filter((s) => s !== undefined);
  for (const [sha, size] of await readBlobSizes(
    root,
    changedShas.filter((s) => !sizes.has(s)),
  )) {
    sizes.set(sha, size);
  }
  const blobs = await readBlobs(root, smallOnes(sizes, maxBytes));

  let entries: TreeEntry[] = listed;
  const config = listed.find((e) => e.path === CONFIG_PATH);
  const dir = policiesDirectory(config && blobs.get(config.sha)?.toString("utf8"));
  if (`${dir}/` !== defaultDir) {
    const policies = await listPolicyTree(git, baseTip, [`${dir}/`]);
    entries = [...listed.filter((e) => !e.path.startsWith(defaultDir)), ...policies];
    const more = new Map(policies.filter((e) => !blobs.has(e.sha)).map((e) => [e.sha, e.size]));
    for (const [sha, blob] of await readBlobs(root, smallOnes(more, maxBytes)))
      blobs.set(sha, blob);
  }

  const baseWanted = new Map<string, string>(entries.map((e) => [e.path, e.sha]));
  const headWanted = new Map<string, string>();
  for (const change of changes) {
    const basePath = change.previousPath ?? change.path;
    if (change.baseSha !== undefined && !baseWanted.has(basePath)) {
      baseWanted.set(basePath, change.baseSha);
    }
    if (change.headSha !== undefined) headWanted.set(change.path, change.headSha);
  }
  const skipped: SkippedFile[] = [];
  const binaryKeys = new Map<string, Uint8Array>();
  const fill = (wanted: Map<string, string>, side: "base" | "head") => {
    const files = new Map<string, string>();
    for (const [path, sha] of wanted) {
      const blob = blobs.get(sha);
      const text = blob === undefined ? { notText: "too large" as const } : readText(blob);
      // A binary key file is read as bytes, so that a private key exported without --armor
      // is called out like an armored one.
      if (typeof text === "string") files.set(path, text);
      else if (blob && side === "base" && path.startsWith(`${dir}/keys/`)) {
        binaryKeys.set(path, blob);
      } else skipped.push({ path, side, reason: text.notText });
    }
    return files;
  };
  const base = fill(baseWanted, "base");
  return { changes, base, binaryKeys, head: fill(headWanted, "head"), skipped };
}

/**
 * Path -> blob at the base tip, for the paths the base branch changed since the merge base
 * (undefined: gone from the tip). Paths it did not change are as the merge base has them.
 */
async function tipVersions(
  git: SimpleGit,
  mergeBase: string,
  baseTip: string,
): Promise<Map<string, string | undefined>> {
  const versions = new Map<string, string | undefined>();
  if (mergeBase === baseTip) return versions;
  for (const change of await diffTrees(git, mergeBase, baseTip)) {
    if (change.previousPath !== undefined) versions.set(change.previousPath, undefined);
    versions.set(change.path, change.headSha);
  }
  return versions;
}

function smallOnes(sizes: Map<string, number>, maxBytes: number): string[] {
  return [...sizes].filter(([, size]) => size <= maxBytes).map(([sha]) => sha);
}
