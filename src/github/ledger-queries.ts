/**
 * The GraphQL documents the App reads the evidence ledger with. A judgement needs one request
 * (the index folders of the records it touches); a writer needs one more at the notes commit it
 * appends to (the tip, the merge commit's note, the folders of the records it names). Folder
 * reads are aliases of one query, so their number does not grow with the ledger's length.
 */
import { NOTES_REF } from "../core/evidence/model.js";

export const LEDGER_FOLDER = `fragment LedgerFolder on Tree {
  entries { name type object { ... on Blob { text isBinary isTruncated } } }
}`;
const BLOB = `fragment LedgerBlob on Blob { text isBinary isTruncated }`;

export interface LedgerBlobNode {
  text?: string | null;
  isBinary?: boolean | null;
  isTruncated?: boolean;
}

export interface LedgerFolderNode {
  entries?: Array<{ name: string; type: string; object: LedgerBlobNode | null }> | null;
}

/** What {@link ledgerFolderParts} reads, in whichever query it is part of. */
export interface LedgerFolders {
  ledger?: { target: { oid: string } | null } | null;
  [alias: `f${number}`]: LedgerFolderNode | null | undefined;
}

/** The answer of {@link recordFoldersQuery}. */
export interface RecordFoldersAnswer {
  repository: {
    ledger: { target: { oid: string } | null } | null;
    [alias: `f${number}`]: LedgerFolderNode | null;
  } | null;
}

/**
 * One query for the index folders of `folders` ("index/CHG-2026/CHG-2026-0001"), read at the
 * notes ref's current commit, with whether the ref exists.
 */
export function recordFoldersQuery(
  repo: { owner: string; name: string },
  folders: string[],
): { query: string; variables: Record<string, unknown> } {
  const params = ["$owner: String!", "$name: String!"];
  const variables: Record<string, unknown> = { owner: repo.owner, name: repo.name };
  const parts = ledgerFolderParts(folders, { params, variables });
  const query = `query GatehouseEvidence(${params.join(", ")}) {
  repository(owner: $owner, name: $name) {
    ${parts.join("\n    ")}
  }
}
${folders.length > 0 ? LEDGER_FOLDER : ""}`;
  return { query, variables };
}

/**
 * The parts of a query under `repository` that read the index folders `folders` at the notes
 * ref's current commit (aliases f0, f1, …; they need {@link LEDGER_FOLDER}) and whether the ref
 * exists (alias `ledger`): the evidence query's, and a judgement's first query's when the last
 * judgement of the pull request needed the evidence of these records.
 */
export function ledgerFolderParts(
  folders: string[],
  into: { params: string[]; variables: Record<string, unknown> },
): string[] {
  into.params.push("$ledger: String!");
  into.variables.ledger = NOTES_REF;
  const parts = [`ledger: ref(qualifiedName: $ledger) { target { oid } }`];
  folders.forEach((folder, i) => {
    into.params.push(`$f${i}: String!`);
    into.variables[`f${i}`] = `${NOTES_REF}:${folder}`;
    parts.push(`f${i}: object(expression: $f${i}) { ... on Tree { ...LedgerFolder } }`);
  });
  return parts;
}

/** The answer of {@link ledgerStateQuery}. */
export interface LedgerStateAnswer {
  repository: {
    tip?: LedgerBlobNode | null;
    [note: `n${number}`]: LedgerBlobNode | null;
    [folder: `f${number}`]: LedgerFolderNode | null;
    [records: `r${number}`]: RecordTreeNode | null;
  } | null;
}

export interface RecordTreeNode {
  entries?: Array<{
    path: string;
    type: string;
    oid: string;
    object: RecordTreeNode | null;
  }> | null;
}

const RECORD_TREE = `fragment LedgerRecordTree on Tree {
  entries {
    path type oid
    object {
      ... on Tree {
        entries { path type oid object { ... on Tree { entries { path type oid } } } }
      }
    }
  }
}`;

/**
 * One query for what a writer appending at notes commit `commit` needs: the tip, the notes the
 * merge commit may already have (at either fan-out), and the index folders of its records.
 * When the ledger does not exist yet, `recordDirs` ("<sha>:changes") lists the records its
 * baseline must name instead (three folders deep, names and blob ids only).
 */
export function ledgerStateQuery(
  repo: { owner: string; name: string },
  at: { commit: string | null; notePaths: string[]; folders: string[]; recordDirs: string[] },
): { query: string; variables: Record<string, unknown> } {
  const params = ["$owner: String!", "$name: String!"];
  const variables: Record<string, unknown> = { owner: repo.owner, name: repo.name };
  const parts: string[] = [];
  const expression = (alias: string, value: string, selection: string) => {
    params.push(`$${alias}: String!`);
    variables[alias] = value;
    parts.push(`${alias}: object(expression: $${alias}) { ${selection} }`);
  };
  if (at.commit !== null) {
    expression("tip", `${at.commit}:tip`, "... on Blob { ...LedgerBlob }");
    at.notePaths.forEach((path, i) =>
      expression(`n${i}`, `${at.commit}:${path}`, "... on Blob { ...LedgerBlob }"),
    );
    at.folders.forEach((folder, i) =>
      expression(`f${i}`, `${at.commit}:${folder}`, "... on Tree { ...LedgerFolder }"),
    );
  }
  at.recordDirs.forEach((dir, i) =>
    expression(`r${i}`, dir, "... on Tree { ...LedgerRecordTree }"),
  );
  if (parts.length === 0) parts.push("id");
  // GraphQL refuses a document with a fragment it does not use.
  const fragments = [
    at.commit !== null ? BLOB : "",
    at.commit !== null && at.folders.length > 0 ? LEDGER_FOLDER : "",
    at.recordDirs.length > 0 ? RECORD_TREE : "",
  ].filter((f) => f !== "");
  const query = `query GatehouseLedgerState(${params.join(", ")}) {
  repository(owner: $owner, name: $name) {
    ${parts.join("\n    ")}
  }
}
${fragments.join("\n")}`;
  return { query, variables };
}

/** The text of a blob GitHub gave whole, or null (binary or cut short). */
export function wholeText(blob: LedgerBlobNode | null | undefined): string | null {
  if (!blob || typeof blob.text !== "string" || blob.isBinary || blob.isTruncated) return null;
  return blob.text;
}
