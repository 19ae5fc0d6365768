/**
 * The trusted keyring of a local clone at a given commit, for `gatehouse keys`. Files are read
 * from git objects (`git ls-tree` and one `git cat-file --batch`), never from the work tree, so
 * that uncommitted keys are never trusted.
 */
import { CONFIG_PATH } from "../core/policy/load-config.js";
import { simpleGit } from "simple-git";
import { policiesDirectory } from "./policies-directory.js";
import { readBlobs } from "./read-blobs.js";
import { listPolicyTree } from "./tree-entries.js";

/** The policy files at a commit: `.github/gatehouse.yml` and the policies directory it names. */
export interface PolicyFilesAt {
  /** The policies directory, such as "policies". */
  dir: string;
  /** Path -> content of the config and every file of the policies directory. */
  files: Map<string, string>;
  /** Path -> content of the files under `<dir>/keys/`. */
  keys: Map<string, string>;
}

/** Reads the policy files of commit `sha` from git objects. */
export async function readPolicyFilesAt(root: string, sha: string): Promise<PolicyFilesAt> {
  const simple = simpleGit({ baseDir: root });
  const configEntries = await listPolicyTree(simple, sha, [CONFIG_PATH]);
  const configBlobs = await readBlobs(
    root,
    configEntries.map((e) => e.sha),
  );
  const configText = configEntries[0]
    ? configBlobs.get(configEntries[0].sha)?.toString("utf8")
    : undefined;
  const dir = policiesDirectory(configText).replace(/\/+$/, "");
  const entries = await listPolicyTree(simple, sha, [`${dir}/`]);
  const blobs = await readBlobs(
    root,
    entries.map((e) => e.sha),
  );
  const files = new Map<string, string>();
  if (configText !== undefined) files.set(CONFIG_PATH, configText);
  const keys = new Map<string, string>();
  for (const entry of entries) {
    const content = blobs.get(entry.sha)?.toString("utf8");
    if (content === undefined) continue;
    files.set(entry.path, content);
    if (entry.path.startsWith(`${dir}/keys/`)) keys.set(entry.path, content);
  }
  return { dir, files, keys };
}
