/**
 * Reading the evidence ledger (`refs/notes/gatehouse`) of a local clone: the index folders of
 * the records a judgement needs, the state a writer appends to, and every document for
 * `gatehouse audit`. A handful of git processes whatever the ledger's length.
 */
import { execFile } from "node:child_process";
import { simpleGit } from "simple-git";
import {
  noteLines,
  recordHead,
  type IndexEntry,
  type LedgerState,
} from "../core/evidence/append.js";
import {
  indexDir,
  INDEX_DIR,
  noteCommit,
  notePath,
  parseTip,
  TIP_PATH,
} from "../core/evidence/ledger-layout.js";
import { NOTES_REF } from "../core/evidence/model.js";
import { documentCommits, type LedgerRead } from "../core/evidence/record-evidence.js";
import { readBlobs } from "./read-blobs.js";
import { revParse } from "./refs.js";

/** One blob of the ledger's tree. */
export interface LedgerBlob {
  path: string;
  sha: string;
}

/** The commit of the ledger ref, or null when the clone has none. */
export function ledgerCommit(root: string, ref = NOTES_REF): Promise<string | null> {
  return revParse(root, `${ref}^{commit}`).then((sha) => sha ?? null);
}

/** The blobs under the given paths of the ledger commit (all of them without paths). */
export async function ledgerBlobs(
  root: string,
  commit: string,
  paths: string[] = [],
): Promise<LedgerBlob[]> {
  const output = await simpleGit({ baseDir: root }).raw([
    "ls-tree",
    "-r",
    "-z",
    "--full-tree",
    commit,
    "--",
    ...paths,
  ]);
  const blobs: LedgerBlob[] = [];
  for (const record of output.split("\0")) {
    const tab = record.indexOf("\t");
    if (tab < 0) continue;
    const [, type, sha = ""] = record.slice(0, tab).split(" ");
    if (type === "blob") blobs.push({ path: record.slice(tab + 1), sha });
  }
  return blobs;
}

/** The texts of blobs by sha, read in one `git cat-file --batch`. */
export async function blobTexts(root: string, shas: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const [sha, bytes] of await readBlobs(root, shas)) out.set(sha, bytes.toString("utf8"));
  return out;
}

/**
 * The index folders of the given records, for a judgement against `base`: which documents are
 * about commits in the base's history is asked of git, so that a check against an older base
 * (a replay) compares each record with the evidence of its time.
 */
export async function readRecordLedger(
  root: string,
  ids: string[],
  base?: string,
): Promise<LedgerRead> {
  const records = new Map<string, IndexEntry[]>(ids.map((id) => [id, []]));
  const commit = await ledgerCommit(root);
  if (commit === null || ids.length === 0) return { exists: commit !== null, records };
  const dirs = new Map(ids.map((id) => [`${indexDir(id)}/`, id]));
  const blobs = await ledgerBlobs(root, commit, [...dirs.keys()]);
  const texts = await blobTexts(
    root,
    blobs.map((b) => b.sha),
  );
  for (const blob of blobs) {
    const slash = blob.path.lastIndexOf("/");
    const id = dirs.get(blob.path.slice(0, slash + 1));
    if (id === undefined) continue;
    records.get(id)!.push({ name: blob.path.slice(slash + 1), text: texts.get(blob.sha) ?? null });
  }
  const read: LedgerRead = { exists: true, records };
  if (base !== undefined) read.inBase = await ancestorsOf(root, documentCommits(read), base);
  return read;
}

/**
 * Those of `commits` that are `base` or among its ancestors. `merge-base --is-ancestor` says so
 * by its exit status alone, which simple-git does not report, hence execFile.
 */
async function ancestorsOf(root: string, commits: string[], base: string): Promise<Set<string>> {
  const found = new Set<string>();
  for (const commit of commits) {
    const inHistory = await new Promise<boolean>((resolve) => {
      execFile("git", ["merge-base", "--is-ancestor", commit, base], { cwd: root }, (error) =>
        resolve(error === null),
      );
    });
    if (inHistory) found.add(commit);
  }
  return found;
}

/** The ledger as a writer appending a document about `commit` and `ids` sees it. */
export async function readLedgerState(
  root: string,
  commit: string,
  ids: string[],
): Promise<LedgerState> {
  const head = await ledgerCommit(root);
  if (head === null) {
    return { commit: null, tip: null, noteCommit: commit, note: null, heads: new Map() };
  }
  const blobs = await ledgerBlobs(root, head, [
    TIP_PATH,
    notePath(commit),
    commit,
    ...ids.map((id) => `${indexDir(id)}/`),
  ]);
  const texts = await blobTexts(
    root,
    blobs.map((b) => b.sha),
  );
  const text = (path: string) => {
    const blob = blobs.find((b) => b.path === path);
    return blob ? (texts.get(blob.sha) ?? null) : null;
  };
  const note = blobs.find((b) => noteCommit(b.path) === commit);
  const heads = new Map(
    ids.map((id) => {
      const prefix = `${indexDir(id)}/`;
      const entries = blobs
        .filter((b) => b.path.startsWith(prefix))
        .map((b) => ({ name: b.path.slice(prefix.length), text: texts.get(b.sha) ?? null }));
      return [id, recordHead(entries)] as const;
    }),
  );
  const state: LedgerState = {
    commit: head,
    tip: parseTip(text(TIP_PATH)),
    noteCommit: commit,
    note: null,
    heads,
  };
  if (note) {
    state.note = texts.get(note.sha) ?? null;
    state.notePath = note.path;
  }
  return state;
}

/** Every document of the ledger: the notes by commit, and the index entries by path. */
export interface LedgerContents {
  commit: string | null;
  /** Annotated commit -> its note's document lines, with the note's path. */
  notes: Map<string, { path: string; lines: string[] }>;
  /** Index path ("index/CHG-2026/CHG-2026-0001/0000000012") -> document text. */
  index: Map<string, string>;
  tip: string | null;
  /** Tree entries that are neither notes, nor index entries, nor the tip. */
  strays: string[];
}

/** Reads the whole ledger, for `gatehouse audit`. */
export async function readLedgerContents(root: string, ref = NOTES_REF): Promise<LedgerContents> {
  const commit = await ledgerCommit(root, ref);
  const contents: LedgerContents = {
    commit,
    notes: new Map(),
    index: new Map(),
    tip: null,
    strays: [],
  };
  if (commit === null) return contents;
  const blobs = await ledgerBlobs(root, commit);
  const texts = await blobTexts(
    root,
    blobs.map((b) => b.sha),
  );
  for (const blob of blobs) {
    const text = texts.get(blob.sha) ?? "";
    const annotated = noteCommit(blob.path);
    if (annotated !== null)
      contents.notes.set(annotated, { path: blob.path, lines: noteLines(text) });
    else if (blob.path.startsWith(`${INDEX_DIR}/`)) contents.index.set(blob.path, text);
    else if (blob.path === TIP_PATH) contents.tip = text;
    else contents.strays.push(blob.path);
  }
  return contents;
}
