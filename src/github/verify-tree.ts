/**
 * Proves that a tree listing (as the snapshot queries read it: entries with their name, mode,
 * id, type, path and, for blobs, text) is the tree GitHub names by `oid`: every text hashes to
 * its entry's id, every listed folder to its folder's id, and the entries to the tree's id. A
 * listing that does not prove out is not used and not cached, whatever the reason (a corrupted
 * cache entry, a truncated text, a name GitHub spells differently from git).
 *
 * It must also be whole, as the query reads it: every folder above the deepest level listed and,
 * when texts are asked, every file's text. Ids alone cannot prove a text absent: a listing that
 * left one out ("binary") or left a folder unlisted would hash right yet drop a policy file or a
 * change record from the judgement. So a folder holding a binary file is simply not cached.
 */
import type { EntryNode, TreeNode } from "./graphql-types.js";
import { blobOid, treeOid, type GitTreeEntry } from "./git-object-id.js";

/** The snapshot queries read at most three levels; a deeper listing is not one of theirs. */
const MAX_DEPTH = 3;

const TYPE_OF_MODE: Record<number, string> = { 0o40000: "tree", 0o160000: "commit" };

/**
 * True when `tree`, listed under `dir`, is exactly and wholly the tree whose id is `oid`; with
 * `texts`, every file's text is there too (a policy or change-record listing, not a list of
 * names).
 */
export function verifyTree(
  tree: TreeNode | null | undefined,
  oid: string,
  dir: string,
  texts = true,
): boolean {
  try {
    return listedOid(tree, `${dir.replace(/\/+$/, "")}/`, { like: oid, texts }, 1) === oid;
  } catch {
    return false;
  }
}

/** True when a file entry (`Commit.file`) with its text is exactly the blob whose id is `oid`. */
export function verifyBlobEntry(
  entry: (EntryNode & { oid?: string }) | null,
  oid: string,
): boolean {
  const text = entry?.object?.text;
  return (
    entry?.oid === oid &&
    entry.type === "blob" &&
    typeof text === "string" &&
    entry.object?.isTruncated !== true &&
    blobOid(text, oid) === oid
  );
}

function listedOid(
  tree: TreeNode | null | undefined,
  prefix: string,
  how: { like: string; texts: boolean },
  depth: number,
): string | null {
  const { like, texts } = how;
  if (!tree || !Array.isArray(tree.entries) || depth > MAX_DEPTH) return null;
  const entries: GitTreeEntry[] = [];
  for (const entry of tree.entries) {
    const { name, mode, oid, type, path } = entry;
    if (typeof name !== "string" || typeof mode !== "number" || typeof oid !== "string") {
      return null;
    }
    if (path !== `${prefix}${name}` || type !== (TYPE_OF_MODE[mode] ?? "blob")) return null;
    const object = entry.object;
    if (type === "blob" && texts) {
      if (typeof object?.text !== "string" || object.isTruncated === true) return null;
      if (blobOid(object.text, like) !== oid) return null;
    } else if (object && typeof object.text === "string") return null;
    if (type === "tree" && depth < MAX_DEPTH) {
      if (!object || listedOid(object, `${path}/`, how, depth + 1) !== oid) return null;
    } else if (object && object.entries !== undefined) return null;
    entries.push({ mode, name, oid });
  }
  return treeOid(entries, like);
}
