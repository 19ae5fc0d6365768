import { simpleGit } from "simple-git";

/** A git setting as the clone at `root` sees it (local, then global), or undefined. */
export async function gitConfig(root: string, name: string): Promise<string | undefined> {
  const value = await simpleGit({ baseDir: root })
    .raw(["config", "--get", name])
    .catch(() => "");
  return value.trim() === "" ? undefined : value.trim();
}
