/**
 * Folders and files of a commit kept in the {@link SnapshotCache} under the git object id GitHub
 * gave them, one repository at a time: the policy directory and CODEOWNERS of a base commit,
 * its change records, the record listing of a head. A kept listing is handed back only when it
 * proves to be the object of that id (src/github/verify-tree.ts), so a cached policy can never
 * stand in for another base: another byte, another id; another repository, another key.
 */
import type { EntryNode, TreeNode } from "./graphql-types.js";
import type { SnapshotCache } from "./snapshot-cache.js";
import { verifyBlobEntry, verifyTree } from "./verify-tree.js";

/** What a cached folder is: the policy directory, the change records, or a head's record names. */
export type TreeKind = "policy" | "changes" | "records";

/** Where a folder or file was read: the repository (GitHub's id for it), the path and its id. */
export interface ObjectPlace {
  repoId: number;
  path: string;
  oid: string;
}

const VERSION = 1;

export function treeKey(kind: TreeKind, place: ObjectPlace): string {
  return `tree:${kind}:${place.repoId}:${place.oid}:${place.path}`;
}

export function blobKey(place: ObjectPlace): string {
  return `blob:${place.repoId}:${place.oid}:${place.path}`;
}

/** Parses a cache entry of this version, or null (an older version, garbage). */
function entryOf(text: string | null, field: "tree" | "blob"): unknown {
  if (text === null) return null;
  try {
    const parsed = JSON.parse(text) as Record<string, unknown> | null;
    return parsed && parsed.v === VERSION ? (parsed[field] ?? null) : null;
  } catch {
    return null;
  }
}

/** True when `tree` is wholly the folder at `place`; a record listing holds names, no texts. */
function proves(kind: TreeKind, place: ObjectPlace, tree: TreeNode | null | undefined): boolean {
  return verifyTree(tree, place.oid, place.path, kind !== "records");
}

/** The listing of a folder from `text` (a cache entry), if it proves to be `place`. */
export function provenTree(
  text: string | null,
  kind: TreeKind,
  place: ObjectPlace,
): TreeNode | null {
  const tree = entryOf(text, "tree") as TreeNode | null;
  return tree && proves(kind, place, tree) ? tree : null;
}

/** A file entry from `text` (a cache entry), if it proves to be `place`. */
export function provenBlob(text: string | null, place: ObjectPlace): EntryNode | null {
  const entry = entryOf(text, "blob") as (EntryNode & { oid?: string }) | null;
  return entry && verifyBlobEntry(entry, place.oid) ? entry : null;
}

/** Reads one folder from the cache; null unless it proves to be `place`. */
export async function cachedTree(
  cache: SnapshotCache,
  kind: TreeKind,
  place: ObjectPlace,
): Promise<TreeNode | null> {
  const [text] = await cache.get([treeKey(kind, place)]);
  return provenTree(text ?? null, kind, place);
}

/**
 * Keeps a folder GitHub just listed, if it proves to be `place` (a folder with a text GitHub gave
 * only in part or not at all, or a name it spells otherwise than git, is not kept and is simply
 * read again).
 */
export async function keepTree(
  cache: SnapshotCache,
  kind: TreeKind,
  place: ObjectPlace,
  tree: TreeNode | null | undefined,
): Promise<void> {
  if (!tree || !proves(kind, place, tree)) return;
  await put(cache, kind, place, tree);
}

/** Keeps a listing already proved to be `place`. */
async function put(cache: SnapshotCache, kind: TreeKind, place: ObjectPlace, tree: TreeNode) {
  await cache.set(treeKey(kind, place), JSON.stringify({ v: VERSION, tree }), "content");
}

/** Keeps a file GitHub just gave, if it proves to be `place`. */
export async function keepBlob(
  cache: SnapshotCache,
  place: ObjectPlace,
  entry: (EntryNode & { oid?: string }) | null | undefined,
): Promise<void> {
  if (!entry || !verifyBlobEntry(entry, place.oid)) return;
  await cache.set(blobKey(place), JSON.stringify({ v: VERSION, blob: entry }), "content");
}

/**
 * A folder the first query named by id (`fresh`, asked at the same path): null when the commit
 * has no such folder (nothing to read), its listing when the cache proves it, or when the first
 * query read the listing too and it proves to be that folder (it is then kept), undefined when
 * it must be read from GitHub (not asked, or not cached).
 */
export async function knownTree(
  cache: SnapshotCache | undefined,
  kind: TreeKind,
  where: { repoId: number | null; path: string },
  fresh: { oid?: string; type: string; object?: unknown } | null | undefined,
): Promise<TreeNode | null | undefined> {
  if (fresh === undefined) return undefined;
  // No folder there (or a file): the listing is empty, as reading it would find.
  if (fresh === null || fresh.type !== "tree") return null;
  if (!fresh.oid) return undefined;
  const place = { ...where, repoId: where.repoId ?? 0, oid: fresh.oid };
  const store = where.repoId === null ? undefined : cache;
  const cached = store ? await cachedTree(store, kind, place) : null;
  if (cached) return cached;
  const listed = fresh.object as TreeNode | null | undefined;
  if (!listed || !proves(kind, place, listed)) return undefined;
  if (store) await put(store, kind, place, listed);
  return listed;
}
