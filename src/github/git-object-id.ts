/**
 * Git's object ids, computed as git computes them, so that a text or a tree listing kept from
 * an earlier judgement can be proved to be exactly what GitHub now names by its id: the cache
 * of the snapshot loader trusts nothing it cannot recompute. SHA-1 for the 40-digit ids GitHub
 * uses, SHA-256 for the 64-digit ids of SHA-256 repositories.
 */
import { createHash } from "node:crypto";

/** A tree entry as git hashes it: its mode (a number, as GitHub's GraphQL gives it), name and id. */
export interface GitTreeEntry {
  mode: number;
  name: string;
  oid: string;
}

const TREE_MODE = 0o40000;

function hasher(oidLike: string) {
  return createHash(oidLike.length === 64 ? "sha256" : "sha1");
}

/** The id of a blob holding `text` (UTF-8), for an id of the same length as `like`. */
export function blobOid(text: string, like: string): string {
  const body = Buffer.from(text, "utf8");
  return hasher(like).update(`blob ${body.length}\0`).update(body).digest("hex");
}

/**
 * The id of a tree with these entries, in git's order (a folder sorts as if its name ended in
 * "/"). Null when an entry cannot be part of a git tree (a malformed id, an empty or slashed name).
 */
export function treeOid(entries: readonly GitTreeEntry[], like: string): string | null {
  const width = like.length;
  const parts: Buffer[] = [];
  const sorted = [...entries].sort((a, b) => Buffer.compare(sortKey(a), sortKey(b)));
  for (const entry of sorted) {
    if (entry.oid.length !== width || !/^[0-9a-f]+$/.test(entry.oid)) return null;
    if (entry.name === "" || entry.name.includes("/") || entry.name.includes("\0")) return null;
    if (!Number.isInteger(entry.mode) || entry.mode <= 0) return null;
    parts.push(
      Buffer.from(`${entry.mode.toString(8)} ${entry.name}\0`, "utf8"),
      Buffer.from(entry.oid, "hex"),
    );
  }
  const body = Buffer.concat(parts);
  return hasher(like).update(`tree ${body.length}\0`).update(body).digest("hex");
}

function sortKey(entry: GitTreeEntry): Buffer {
  return Buffer.from(entry.mode === TREE_MODE ? `${entry.name}/` : entry.name, "utf8");
}
