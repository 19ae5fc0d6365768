/**
 * Appending a document to the ledger, decided purely: the adapter reads the ledger's state at
 * its current commit, this places the document (sequence, chain links) and says which tree
 * entries to write; the adapter signs, writes them in one commit and moves the ref only if no
 * other writer moved it first (a fast-forward), reading the state again when one did.
 */
import { parseEnvelope, payloadDigest } from "./dsse.js";
import {
  indexDir,
  indexEntryName,
  notePath,
  sequenceOfEntry,
  TIP_PATH,
  tipText,
  type Tip,
} from "./ledger-layout.js";
import { namedIds } from "./baseline.js";
import type { Digest, EvidenceStatement } from "./model.js";

/** The ledger as a writer sees it at one commit of the notes ref. */
export interface LedgerState {
  /** The notes ref's commit; null when the ledger does not exist yet. */
  commit: string | null;
  /** The tip pointer at that commit (null when absent or unreadable). */
  tip: Tip | null;
  /** The commit whose note was read (the one the new document annotates). */
  noteCommit?: string;
  /** The note of that commit, or null when it has none. */
  note: string | null;
  /** Where that note lives when it exists (git may have written it at another fan-out). */
  notePath?: string;
  /** Record id -> the digest of its newest document, or null when it has none. */
  heads: Map<string, Digest | null>;
}

/** One entry of a record's index folder, as read. */
export interface IndexEntry {
  name: string;
  /** The document's text; null when it could not be read. */
  text: string | null;
}

/** The digest of a record's newest document in its index folder, or null when it has none. */
export function recordHead(entries: IndexEntry[]): Digest | null {
  let newest: IndexEntry | undefined;
  let newestSequence = 0;
  for (const entry of entries) {
    const sequence = sequenceOfEntry(entry.name);
    if (sequence !== null && sequence > newestSequence) {
      newest = entry;
      newestSequence = sequence;
    }
  }
  if (!newest) return null;
  const parsed = parseEnvelope((newest.text ?? "").trim());
  // An unreadable newest document is linked by a digest no document has: the next reader then
  // finds the chain broken at that place, which is where the damage is.
  return parsed.ok ? payloadDigest(parsed.payload) : `sha256:${"0".repeat(64)}`;
}

/** The document lines of a note (blank lines, as `git notes append` leaves, are skipped). */
export function noteLines(note: string | null): string[] {
  return (note ?? "").split("\n").filter((line) => line.trim() !== "");
}

/**
 * Whether the note already holds a document of the same event for the same pull request (and,
 * for a deployment status, the same status): then a redelivered webhook or a second replica
 * writes nothing.
 */
export function alreadyWritten(note: string | null, draft: EvidenceStatement): boolean {
  return writtenBefore(note, draft) !== null;
}

/**
 * The document of the note that {@link alreadyWritten} finds, as it was written (not verified:
 * a redelivery reads what it wrote before, for instance whether the merge was a bypass).
 */
export function writtenBefore(
  note: string | null,
  draft: EvidenceStatement,
): EvidenceStatement | null {
  for (const line of noteLines(note)) {
    const parsed = parseEnvelope(line);
    if (!parsed.ok) continue;
    try {
      const statement = JSON.parse(Buffer.from(parsed.payload).toString("utf8")) as {
        predicate?: {
          event?: unknown;
          pullRequest?: { number?: unknown } | null;
          deployment?: { statusId?: unknown };
        };
      };
      const p = statement.predicate;
      if (
        p?.event === draft.predicate.event &&
        (p.pullRequest?.number ?? null) === (draft.predicate.pullRequest?.number ?? null) &&
        (p.deployment?.statusId ?? null) === (draft.predicate.deployment?.statusId ?? null)
      ) {
        return statement as EvidenceStatement;
      }
    } catch {
      // Not a statement: it neither counts as written nor stops this one.
    }
  }
  return null;
}

/**
 * Places drafts in the ledger, in order: each one's sequence follows the one before, it chains
 * to its digest, and each record entry chains to that record's newest document (a baseline
 * document starts the chain of the records it lists). `digestOf` gives a placed statement's
 * digest once signed. Throws when the ledger exists but its tip cannot be read: guessing where
 * the chain stands would fork it.
 */
export async function placeStatements(
  drafts: EvidenceStatement[],
  state: LedgerState,
  sign: (statement: EvidenceStatement) => Promise<{ line: string; digest: Digest }>,
): Promise<Placed[]> {
  if (state.commit !== null && state.tip === null) {
    throw new Error(
      `the ledger ${state.commit.slice(0, 7)} has no readable "${TIP_PATH}", so gatehouse cannot tell where its chain stands; run "gatehouse audit" on a clone to see what happened to it`,
    );
  }
  let sequence = state.tip?.sequence ?? 0;
  let previous = (state.tip?.digest ?? null) as Digest | null;
  const heads = new Map(state.heads);
  const placed: Placed[] = [];
  for (const draft of drafts) {
    sequence += 1;
    const statement: EvidenceStatement = {
      ...draft,
      predicate: {
        ...draft.predicate,
        sequence,
        previous,
        records: draft.predicate.records.map((r) => ({ ...r, previous: heads.get(r.id) ?? null })),
      },
    };
    const { line, digest } = await sign(statement);
    for (const id of namedIds(statement)) heads.set(id, digest);
    previous = digest;
    placed.push({ statement, line, digest });
  }
  return placed;
}

/** A document placed in the ledger and signed: its statement, its envelope line, its digest. */
export interface Placed {
  statement: EvidenceStatement;
  line: string;
  digest: Digest;
}

/** A tree entry to write: a path and its blob's text. */
export interface LedgerEntry {
  path: string;
  text: string;
}

/** The tree entries that add signed documents to the ledger, in one commit. */
export function appendEntries(state: LedgerState, placed: Placed[]): LedgerEntry[] {
  const notes = new Map<string, { path: string; lines: string[] }>();
  const entries: LedgerEntry[] = [];
  for (const { statement, line } of placed) {
    const commit = statement.subject[0]?.digest.gitCommit ?? statement.predicate.merge.sha;
    let note = notes.get(commit);
    if (!note) {
      const existing = commit === state.noteCommit ? state : null;
      note = {
        path: existing?.notePath ?? notePath(commit),
        lines: noteLines(existing?.note ?? null),
      };
      notes.set(commit, note);
    }
    note.lines.push(line);
    for (const id of new Set(namedIds(statement))) {
      entries.push({
        path: `${indexDir(id)}/${indexEntryName(statement.predicate.sequence)}`,
        text: `${line}\n`,
      });
    }
  }
  for (const note of notes.values())
    entries.push({ path: note.path, text: note.lines.join("\n") + "\n" });
  const last = placed.at(-1);
  if (last) {
    const commit =
      last.statement.subject[0]?.digest.gitCommit ?? last.statement.predicate.merge.sha;
    entries.push({
      path: TIP_PATH,
      text: tipText({ sequence: last.statement.predicate.sequence, digest: last.digest, commit }),
    });
  }
  return entries;
}
