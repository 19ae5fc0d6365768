import { readdir } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { simpleGit } from "simple-git";

/**
 * The files of a work tree that git would commit: tracked ones and untracked ones that are not
 * ignored, as "/"-separated paths from `root`. Outside a git clone, every file below `root`
 * except `.git` and `node_modules`.
 */
export async function workTreeFiles(root: string): Promise<string[]> {
  try {
    const output = await simpleGit({ baseDir: root }).raw([
      "-c",
      "core.quotePath=false",
      "ls-files",
      "-z",
      "--cached",
      "--others",
      "--exclude-standard",
      "--",
      ".",
    ]);
    return [...new Set(output.split("\0").filter((path) => path !== ""))].sort();
  } catch {
    const entries = await readdir(root, { recursive: true, withFileTypes: true });
    return entries
      .filter((e) => e.isFile())
      .map((e) => relative(root, join(e.parentPath, e.name)).split(sep).join("/"))
      .filter((path) => !/(^|\/)(\.git|node_modules)\//.test(path))
      .sort();
  }
}
