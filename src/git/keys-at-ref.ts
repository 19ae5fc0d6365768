/**
 * The policy files and keyring of a local clone, at a commit or in the working tree, for
 * `gatehouse keys` and `validate`. At a commit, files are read from git objects (`git ls-tree`
 * and one `git cat-file --batch`), never from the work tree, so that uncommitted keys are never
 * trusted; the working tree is read only to show what a commit would hold.
 */
import { existsSync } from "node:fs";
import { readFile, readdir } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { simpleGit } from "simple-git";
import { CONFIG_PATH } from "../core/policy/load-config.js";
import type { KeyFiles } from "../core/signatures/keyring.js";
import { decodeText } from "./decode-text.js";
import { policiesDirectory } from "./policies-directory.js";
import { readBlobs } from "./read-blobs.js";
import { listPolicyTree } from "./tree-entries.js";

/** The policy files at a commit: `.github/gatehouse.yml` and the policies directory it names. */
export interface PolicyFilesAt {
  /** The policies directory, such as "policies". */
  dir: string;
  /** Path -> content of the config and every text file of the policies directory. */
  files: Map<string, string>;
  /** Path -> content of the files under `<dir>/keys/`: text, or bytes when not text. */
  keys: KeyFiles;
}

/** Reads the policy files of commit `sha` from git objects. */
export async function readPolicyFilesAt(root: string, sha: string): Promise<PolicyFilesAt> {
  const simple = simpleGit({ baseDir: root });
  const configEntries = await listPolicyTree(simple, sha, [CONFIG_PATH]);
  const configBlobs = await readBlobs(
    root,
    configEntries.map((e) => e.sha),
  );
  const configBlob = configEntries[0] && configBlobs.get(configEntries[0].sha);
  const configText = configBlob && decodeText(configBlob);
  const dir = policiesDirectory(configText).replace(/\/+$/, "");
  const entries = await listPolicyTree(simple, sha, [`${dir}/`]);
  const blobs = await readBlobs(
    root,
    entries.map((e) => e.sha),
  );
  return collect(
    dir,
    configText,
    entries.flatMap((e) => {
      const blob = blobs.get(e.sha);
      return blob ? [[e.path, blob] as const] : [];
    }),
  );
}

/** Reads the policy files as the working tree of `root` has them, committed or not. */
export async function readWorkingPolicyFiles(root: string): Promise<PolicyFilesAt> {
  const configPath = join(root, CONFIG_PATH);
  const configText = existsSync(configPath) ? await readFile(configPath, "utf8") : undefined;
  const dir = policiesDirectory(configText).replace(/\/+$/, "");
  const files: Array<readonly [string, Uint8Array]> = [];
  if (existsSync(join(root, dir))) {
    const entries = await readdir(join(root, dir), { recursive: true, withFileTypes: true });
    for (const entry of entries.filter((e) => e.isFile())) {
      const absolute = join(entry.parentPath, entry.name);
      files.push([relative(root, absolute).split(sep).join("/"), await readFile(absolute)]);
    }
  }
  return collect(
    dir,
    configText,
    files.sort(([a], [b]) => (a < b ? -1 : 1)),
  );
}

function collect(
  dir: string,
  configText: string | undefined,
  blobs: Iterable<readonly [string, Uint8Array]>,
): PolicyFilesAt {
  const files = new Map<string, string>();
  if (configText !== undefined) files.set(CONFIG_PATH, configText);
  const keys = new Map<string, string | Uint8Array>();
  for (const [path, blob] of blobs) {
    const text = decodeText(blob);
    if (text !== undefined) files.set(path, text);
    if (path.startsWith(`${dir}/keys/`)) keys.set(path, text ?? blob);
  }
  return { dir, files, keys };
}
