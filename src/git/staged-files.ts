import { simpleGit } from "simple-git";

/**
 * The files staged for the next commit that the commit adds or changes (not deletions), as
 * "/"-separated paths from the top of the clone, with their staged content: what `git commit`
 * would record, whatever the working tree now holds. Honours GIT_INDEX_FILE, which git sets for
 * the pre-commit hook of `git commit -a` or `git commit <path>`.
 */
export async function stagedFiles(root: string): Promise<Array<{ path: string; content: Buffer }>> {
  const git = simpleGit({ baseDir: root });
  const changed = await git.raw([
    "-c",
    "core.quotePath=false",
    "diff",
    "--cached",
    "--name-only",
    "-z",
    "--no-renames",
    "--diff-filter=ACMT",
  ]);
  const wanted = new Set(changed.split("\0").filter((p) => p !== ""));
  if (wanted.size === 0) return [];
  // Each index entry: "<mode> <blob> <stage>\t<path>".
  const index = await git.raw(["-c", "core.quotePath=false", "ls-files", "--stage", "-z"]);
  const files: Array<{ path: string; content: Buffer }> = [];
  for (const entry of index.split("\0")) {
    const match = /^(\d+) ([0-9a-f]+) \d\t(.*)$/s.exec(entry);
    if (!match || !wanted.has(match[3]!)) continue;
    // A submodule entry or a symbolic link has no text of its own to scan.
    if (match[1] === "160000" || match[1] === "120000") continue;
    files.push({ path: match[3]!, content: await git.binaryCatFile(["blob", match[2]!]) });
  }
  return files;
}
