/**
 * Verifying a whole ledger for `gatehouse audit`: every document's signature, its place (the
 * note it sits in must be the note of its subject), the one hash chain through all documents,
 * the tip, and the index against the notes. Each problem says what happened and where:
 * an edited, deleted, reordered, moved or foreign document, or one whose key is no longer valid
 * (invalid-key), with its position.
 */
import type { Keyring } from "../../signatures/keyring.js";
import { namedIds } from "../baseline.js";
import { parseEnvelope, payloadDigest } from "../dsse.js";
import { indexDir, indexEntryName, parseTip, sequenceOfEntry } from "../ledger-layout.js";
import type { EvidenceStatement, VerifiedDocument } from "../model.js";
import { evidenceKeyring, verifyDocument, type DocumentCheck } from "../verify-document.js";

/** The ledger as read from git: notes by annotated commit, index entries by path, the tip. */
export interface LedgerContents {
  notes: Map<string, { path: string; lines: string[] }>;
  index: Map<string, string>;
  tip: string | null;
  strays: string[];
}

export type ProblemKind =
  | "edited"
  | "foreign"
  | "invalid-key"
  | "unreadable"
  | "deleted"
  | "reordered"
  | "moved"
  | "forked"
  | "index"
  | "tip"
  | "stray";

export interface LedgerProblem {
  kind: ProblemKind;
  /** Where: "#12 (note of 3f2a1b0, line 1)". */
  position: string;
  sequence?: number;
  commit?: string;
  message: string;
}

/** A verified document with where it sits. */
export interface PlacedDocument extends VerifiedDocument {
  sequence: number;
  /** The commit whose note holds it. */
  commit: string;
}

export interface LedgerVerification {
  documents: PlacedDocument[];
  problems: LedgerProblem[];
  /** How many document lines the notes hold. */
  total: number;
}

/**
 * Verifies every note line as of `now` (the evidence key must still be valid then); `progress`
 * is told after each one (for a progress line).
 */
export async function verifyLedger(
  contents: LedgerContents,
  keyring: Keyring,
  now: Date,
  progress: (done: number, total: number) => void = () => undefined,
): Promise<LedgerVerification> {
  const evidenceKeys = evidenceKeyring(keyring);
  const problems: LedgerProblem[] = [];
  const documents: PlacedDocument[] = [];
  const checked = new Map<string, DocumentCheck>();
  const lines = [...contents.notes].flatMap(([commit, note]) =>
    note.lines.map((line, i) => ({ commit, line, at: i + 1 })),
  );
  let done = 0;
  for (const { commit, line, at } of lines) {
    const check = await verifyDocument(line, now, evidenceKeys, keyring);
    checked.set(line.trim(), check);
    progress(++done, lines.length);
    const claimed = claimedSequence(line);
    const where = `${claimed === null ? "a document" : `#${claimed}`} (note of ${commit.slice(0, 7)}, line ${at})`;
    if (!check.ok) {
      problems.push({
        kind: check.problem,
        position: where,
        ...(claimed === null ? {} : { sequence: claimed }),
        commit,
        message: `${where} ${check.reason}`,
      });
      continue;
    }
    const subject = check.statement.subject[0]?.digest.gitCommit;
    if (subject !== commit) {
      problems.push({
        kind: "moved",
        position: where,
        sequence: check.statement.predicate.sequence,
        commit,
        message: `${where} is about ${subject?.slice(0, 7) ?? "another commit"}, not the commit it annotates: it was copied or moved`,
      });
      continue;
    }
    documents.push({ ...check, sequence: check.statement.predicate.sequence, commit });
  }
  documents.sort((a, b) => a.sequence - b.sequence);
  problems.push(...chainProblems(documents, problems));
  problems.push(...tipProblems(contents.tip, documents));
  problems.push(...indexProblems(contents.index, documents, checked));
  for (const path of contents.strays) {
    problems.push({
      kind: "stray",
      position: path,
      message: `${path} is in the ledger but gatehouse never writes such a file`,
    });
  }
  return { documents, problems, total: lines.length };
}

/** The sequence a document says it has, signature or not, for locating it. */
function claimedSequence(line: string): number | null {
  const parsed = parseEnvelope(line.trim());
  if (!parsed.ok) return null;
  try {
    const value = (JSON.parse(Buffer.from(parsed.payload).toString("utf8")) as EvidenceStatement)
      .predicate?.sequence;
    return typeof value === "number" ? value : null;
  } catch {
    return null;
  }
}

const at = (d: PlacedDocument) => `#${d.sequence} (note of ${d.commit.slice(0, 7)})`;

function chainProblems(documents: PlacedDocument[], found: LedgerProblem[]): LedgerProblem[] {
  const problems: LedgerProblem[] = [];
  const unverified = new Set(found.flatMap((p) => (p.sequence === undefined ? [] : [p.sequence])));
  let before: PlacedDocument | undefined;
  for (const doc of documents) {
    if (before && before.sequence === doc.sequence) {
      problems.push({
        kind: "forked",
        position: at(doc),
        sequence: doc.sequence,
        commit: doc.commit,
        message: `${at(doc)} and ${at(before)} both claim place #${doc.sequence}: the ledger forked`,
      });
      continue;
    }
    const expected = (before?.sequence ?? 0) + 1;
    const gap = [];
    for (let s = expected; s < doc.sequence; s++) if (!unverified.has(s)) gap.push(s);
    if (gap.length > 0) {
      const range = gap.length === 1 ? `#${gap[0]}` : `#${gap[0]}–#${gap.at(-1)}`;
      problems.push({
        kind: "deleted",
        position: before ? `after ${at(before)}` : "at the start",
        sequence: gap[0]!,
        message: `${range} ${gap.length === 1 ? "is" : "are"} missing ${before ? `between ${at(before)} and ${at(doc)}` : `before ${at(doc)}`}: deleted from the ledger`,
      });
    } else if (doc.sequence === expected) {
      const previous = doc.statement.predicate.previous;
      // Around a document that failed verification the link cannot be judged; it is reported.
      const linked = before ? previous === before.digest : previous === null;
      if (!linked && !(before === undefined && unverified.has(doc.sequence - 1))) {
        problems.push({
          kind: "reordered",
          position: at(doc),
          sequence: doc.sequence,
          commit: doc.commit,
          message: before
            ? `${at(doc)} does not follow ${at(before)}: the documents were reordered or one was replaced`
            : `${at(doc)} says a document comes before it, but it is the first: earlier documents were deleted`,
        });
      }
    }
    before = doc;
  }
  return problems;
}

function tipProblems(text: string | null, documents: PlacedDocument[]): LedgerProblem[] {
  const last = documents.at(-1);
  if (!last) return [];
  const tip = parseTip(text);
  if (!tip) {
    return [{ kind: "tip", position: "tip", message: "the ledger's tip is missing or unreadable" }];
  }
  if (tip.sequence > last.sequence) {
    const range =
      tip.sequence === last.sequence + 1
        ? `#${tip.sequence}`
        : `#${last.sequence + 1}–#${tip.sequence}`;
    return [
      {
        kind: "deleted",
        position: `after ${at(last)}`,
        sequence: last.sequence + 1,
        message: `${range} ${range.includes("–") ? "are" : "is"} missing at the end: the tip says the ledger reaches #${tip.sequence}, its documents end at ${at(last)}`,
      },
    ];
  }
  if (tip.sequence !== last.sequence || tip.digest !== last.digest) {
    return [
      {
        kind: "tip",
        position: "tip",
        message: `the ledger's tip names #${tip.sequence} ${tip.digest.slice(0, 15)}…, but its newest document is ${at(last)}`,
      },
    ];
  }
  return [];
}

/** Every verified document is in the index of each record it names, and nothing else is. */
function indexProblems(
  index: Map<string, string>,
  documents: PlacedDocument[],
  checked: Map<string, DocumentCheck>,
): LedgerProblem[] {
  const problems: LedgerProblem[] = [];
  const expected = new Map<string, PlacedDocument>();
  for (const doc of documents) {
    for (const id of new Set(namedIds(doc.statement))) {
      expected.set(`${indexDir(id)}/${indexEntryName(doc.sequence)}`, doc);
    }
  }
  for (const [path, doc] of expected) {
    const text = index.get(path);
    if (text === undefined) {
      problems.push({
        kind: "index",
        position: path,
        sequence: doc.sequence,
        message: `${path} is missing: ${at(doc)} is not in the index of a record it names, so judgements do not see it`,
      });
    } else if (digestOf(text, checked) !== doc.digest) {
      problems.push({
        kind: "index",
        position: path,
        sequence: doc.sequence,
        message: `${path} is not ${at(doc)}: the index was edited, so judgements see another document`,
      });
    }
  }
  for (const path of index.keys()) {
    if (expected.has(path)) continue;
    const name = path.slice(path.lastIndexOf("/") + 1);
    const check = checked.get((index.get(path) ?? "").trim());
    problems.push({
      kind: "index",
      position: path,
      ...(sequenceOfEntry(name) === null ? {} : { sequence: sequenceOfEntry(name)! }),
      message: `${path} holds ${check?.ok === false ? "a document that does not verify" : "a document that no note holds"}: the index was edited`,
    });
  }
  return problems;
}

/**
 * The digest of an index entry's document. An entry is almost always a note line verbatim, whose
 * check already holds it: a baseline document (about 100 KB) is filed under up to a thousand
 * records, and decoding and hashing each copy again was most of an audit's time.
 */
function digestOf(text: string, checked: Map<string, DocumentCheck>): string | null {
  const known = checked.get(text.trim());
  if (known?.ok) return known.digest;
  const parsed = parseEnvelope(text.trim());
  return parsed.ok ? payloadDigest(parsed.payload) : null;
}
