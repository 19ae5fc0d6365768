/** A path a pull request changes, and what git object it holds on each side. */

export type FileStatus = "added" | "modified" | "removed" | "renamed";

/**
 * What a path holds in a commit's tree: a regular file (executable or not), a symbolic link
 * (its content is the target's name), or a submodule entry (a commit of another repository).
 */
export type EntryType = "file" | "symlink" | "submodule";

export interface ChangedFile {
  path: string;
  status: FileStatus;
  /** For a rename: the path in the base commit. */
  previousPath?: string;
  /** What the path holds on each side, where that is not a regular file. */
  entry?: { base?: EntryType; head?: EntryType };
}
