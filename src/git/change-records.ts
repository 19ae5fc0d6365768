import type { SimpleGit } from "simple-git";
import { loadConfig } from "../core/policy/load-config.js";
import { recordKindForPath } from "../core/records/parse-record.js";
import { readBlobs } from "./read-blobs.js";
import { listTree } from "./tree-entries.js";

/** Change records larger than this are left out (a record is a small YAML file). */
const MAX_RECORD_BYTES = 1024 * 1024;

/**
 * The ChangeRequest files of a commit (path -> text), for the rules that look past the pull
 * request: the change a deployment names, overlapping windows, overdue emergency changes. One
 * listing and one `git cat-file --batch`, whatever the number of records.
 */
export async function changeRecordsAt(
  git: SimpleGit,
  root: string,
  sha: string,
  configText: string | undefined,
): Promise<Map<string, string>> {
  const { config } = loadConfig(configText);
  const dir = `${config.records.ChangeRequest.replace(/\/+$/, "")}/`;
  const entries = (await listTree(git, sha, [dir])).filter(
    (e) => recordKindForPath(e.path, config) === "ChangeRequest" && e.size <= MAX_RECORD_BYTES,
  );
  const blobs = await readBlobs(
    root,
    entries.map((e) => e.sha),
  );
  const files = new Map<string, string>();
  for (const entry of entries) {
    const blob = blobs.get(entry.sha);
    if (blob !== undefined) files.set(entry.path, blob.toString("utf8"));
  }
  return files;
}
