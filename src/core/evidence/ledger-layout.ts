/**
 * Where things live in the ledger's tree (the tree of `refs/notes/gatehouse`'s commit):
 *
 *   ab/cdef…(38 hex)             the git note of merge commit abcdef…: its documents, one
 *                                DSSE envelope per line (`git log --show-notes=gatehouse`)
 *   index/CHG-2026/CHG-2026-0042/0000000012
 *                                the index: the same blob as document #12, once per record it
 *                                names, so a record's whole history is one tree read
 *   tip                          {"sequence", "digest", "commit"} of the newest document, so a
 *                                writer chains to it without reading the ledger
 *
 * git keeps entries of a notes tree that are not notes (`index/`, `tip`) when it rewrites the
 * tree, and accepts notes at any fan-out; readers here accept both too.
 *
 * How it scales (100,000 merges, say 20,000 records): the notes are spread over 256 folders of
 * about 400 entries, as git itself does; the index over one folder per kind and year (at most
 * 10,000 records each, from the id format) and one small folder per record (a record is touched
 * by a handful of pull requests). Finding a record's evidence reads that record's folder only,
 * one request however long the history; an append rewrites five small trees on the paths it
 * touches. Blobs are shared, so the index costs tree entries, not copies of documents.
 */

/** The tree path of the tip pointer. */
export const TIP_PATH = "tip";
/** The folder of the per-record index. */
export const INDEX_DIR = "index";

const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const SHA = /^[0-9a-f]{40}$/;

/** The note's path for a commit: two hex digits of fan-out, as git writes larger note trees. */
export function notePath(commit: string): string {
  return `${commit.slice(0, 2)}/${commit.slice(2)}`;
}

/** The commit a note path annotates, at any fan-out ("ab/cd/ef…", "abcdef…"), or null. */
export function noteCommit(path: string): string | null {
  const flat = path.replaceAll("/", "");
  return SHA.test(flat) && /^([0-9a-f]{2}\/)*[0-9a-f]+$/.test(path) ? flat : null;
}

/**
 * The index folder of a record: `index/<id up to its last dash>/<id>`, so that one folder holds
 * the records of one kind and year. An id with other characters (not one gatehouse writes) is
 * kept apart under `index/_/` in hex, so it can never name a path outside its folder.
 */
export function indexDir(id: string): string {
  if (!SAFE_ID.test(id) || id === "." || id === "..") {
    return `${INDEX_DIR}/_/${Buffer.from(id, "utf8").toString("hex").slice(0, 200)}`;
  }
  const dash = id.lastIndexOf("-");
  const prefix = dash > 0 ? id.slice(0, dash) : "_";
  return `${INDEX_DIR}/${prefix}/${id}`;
}

/** The index entry of document `sequence` in a record's folder: zero-padded, so names sort. */
export function indexEntryName(sequence: number): string {
  return String(sequence).padStart(10, "0");
}

/** The sequence an index entry's name gives, or null for a name gatehouse does not write. */
export function sequenceOfEntry(name: string): number | null {
  return /^\d{10}$/.test(name) ? Number(name) : null;
}

/** The tip pointer's content. */
export interface Tip {
  sequence: number;
  digest: string;
  commit: string;
}

/** Reads the tip pointer; null when it is absent or not what gatehouse writes. */
export function parseTip(text: string | null | undefined): Tip | null {
  if (!text) return null;
  try {
    const value = JSON.parse(text) as Partial<Tip>;
    if (
      typeof value.sequence === "number" &&
      Number.isSafeInteger(value.sequence) &&
      value.sequence >= 1 &&
      typeof value.digest === "string" &&
      typeof value.commit === "string"
    ) {
      return { sequence: value.sequence, digest: value.digest, commit: value.commit };
    }
  } catch {
    // Not gatehouse's: the writer refuses to guess where the chain stands (see planAppend).
  }
  return null;
}

/** The tip pointer as written. */
export function tipText(tip: Tip): string {
  return `${JSON.stringify(tip)}\n`;
}
