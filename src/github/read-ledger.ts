/**
 * The App's reads of the evidence ledger: the index folders a judgement needs (one request,
 * whatever the ledger's length), and the state a writer appends to.
 */
import {
  noteLines,
  recordHead,
  type IndexEntry,
  type LedgerState,
} from "../core/evidence/append.js";
import { indexDir, notePath, parseTip } from "../core/evidence/ledger-layout.js";
import type { BaselineEntry } from "../core/evidence/model.js";
import type { LedgerRead } from "../core/evidence/record-evidence.js";
import { recordKindForPath } from "../core/records/parse-record.js";
import { idOfPath } from "../core/records/record-ids.js";
import type { Config } from "../core/policy/model.js";
import {
  ledgerStateQuery,
  recordFoldersQuery,
  wholeText,
  type LedgerFolderNode,
  type LedgerFolders,
  type LedgerStateAnswer,
  type RecordFoldersAnswer,
  type RecordTreeNode,
} from "./ledger-queries.js";
import type { GraphQLClient } from "./load-snapshot.js";

export interface RepoRef {
  owner: string;
  repo: string;
}

/** The index folders of the given records, in one request. */
export async function readRecordLedger(
  github: GraphQLClient,
  repo: RepoRef,
  ids: string[],
): Promise<LedgerRead> {
  const { query, variables } = recordFoldersQuery(
    { owner: repo.owner, name: repo.repo },
    ids.map(indexDir),
  );
  const answer = await github.graphql<RecordFoldersAnswer>(query, variables);
  const repository = answer.repository;
  if (!repository) throw new Error(`the repository ${repo.owner}/${repo.repo} was not found.`);
  return ledgerOfAnswer(repository, ids);
}

/** The ledger as a query with {@link ledgerFolderParts} for `ids` (in that order) read it. */
export function ledgerOfAnswer(repository: LedgerFolders, ids: string[]): LedgerRead {
  const records = new Map<string, IndexEntry[]>();
  ids.forEach((id, i) => records.set(id, folderEntries(repository[`f${i}`])));
  return { exists: Boolean(repository.ledger?.target?.oid), records };
}

function folderEntries(folder: LedgerFolderNode | null | undefined): IndexEntry[] {
  return (folder?.entries ?? []).map((entry) => ({
    name: entry.name,
    text: entry.type === "blob" ? wholeText(entry.object) : null,
  }));
}

/** What a writer reads at the notes commit `commit` (null: the ledger does not exist yet). */
export interface WriterRead {
  state: LedgerState;
  /** When the ledger does not exist: the records the baseline lists. */
  baseline: BaselineEntry[];
}

/** The ledger's state for appending documents about `subject` and `ids`, in one request. */
export async function readLedgerState(
  github: GraphQLClient,
  repo: RepoRef,
  at: { commit: string | null; subject: string; ids: string[]; baselineAt: string; config: Config },
): Promise<WriterRead> {
  const notePaths = [notePath(at.subject), at.subject];
  const folders = at.ids.map(indexDir);
  const dirs = Object.values(at.config.records).map((d) => d.replace(/\/+$/, ""));
  const { query, variables } = ledgerStateQuery(
    { owner: repo.owner, name: repo.repo },
    {
      commit: at.commit,
      notePaths,
      folders,
      recordDirs: at.commit === null ? dirs.map((d) => `${at.baselineAt}:${d}`) : [],
    },
  );
  const answer = await github.graphql<LedgerStateAnswer>(query, variables);
  const repository = answer.repository;
  if (!repository) throw new Error(`the repository ${repo.owner}/${repo.repo} was not found.`);
  if (at.commit === null) {
    const baseline: BaselineEntry[] = [];
    dirs.forEach((_, i) => listRecords(repository[`r${i}`], at.config, baseline));
    return {
      state: { commit: null, tip: null, noteCommit: at.subject, note: null, heads: new Map() },
      baseline,
    };
  }
  const state: LedgerState = {
    commit: at.commit,
    tip: parseTip(wholeText(repository.tip)),
    noteCommit: at.subject,
    note: null,
    heads: new Map(at.ids.map((id, i) => [id, recordHead(folderEntries(repository[`f${i}`]))])),
  };
  notePaths.forEach((path, i) => {
    const text = wholeText(repository[`n${i}`]);
    if (text !== null && state.note === null) {
      state.note = noteLines(text).join("\n");
      state.notePath = path;
    }
  });
  return { state, baseline: [] };
}

/** The record files of a listed tree (three folders deep), with their blob ids. */
function listRecords(
  tree: RecordTreeNode | null | undefined,
  config: Config,
  into: BaselineEntry[],
): void {
  for (const entry of tree?.entries ?? []) {
    if (entry.type === "tree") {
      if (!entry.object) {
        throw new Error(
          `${entry.path} lies more than three folders deep in a record directory, so gatehouse cannot list the records its ledger begins with; keep records at most two folders deep`,
        );
      }
      listRecords(entry.object, config, into);
    } else if (entry.type === "blob" && recordKindForPath(entry.path, config) !== null) {
      into.push({ id: idOfPath(entry.path), path: entry.path, blob: entry.oid });
    }
  }
}
