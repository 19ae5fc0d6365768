/** Converters from GitHub's GraphQL nodes to the words of the core. */
import type {
  ChangedFile,
  Commit,
  EntryType,
  FileStatus,
  Person,
  Review,
  ReviewState,
} from "../core/types.js";
import type {
  ActorNode,
  BlobNode,
  ChangedFileNode,
  CommitNode,
  ContextNode,
  EntryNode,
  ReviewNode,
  TreeNode,
} from "./graphql-types.js";
import { signatureFormat } from "../core/signatures/commit-payload.js";

const FILE_STATUS: Record<string, FileStatus> = {
  ADDED: "added",
  COPIED: "added",
  DELETED: "removed",
  RENAMED: "renamed",
  MODIFIED: "modified",
  CHANGED: "modified",
};

export function toChangedFile(node: ChangedFileNode): ChangedFile {
  return { path: node.path, status: FILE_STATUS[node.changeType] ?? "modified" };
}

function toPerson(actor: ActorNode | null): Person {
  const person: Person = {
    name: actor?.name ?? "",
    email: actor?.email ?? "",
    date: new Date(actor?.date ?? 0),
  };
  if (actor?.user) person.login = actor.user.login;
  return person;
}

export function toCommit(node: CommitNode): Commit {
  const commit: Commit = {
    sha: node.oid,
    parents: (node.parents.nodes ?? []).flatMap((p) => (p ? [p.oid] : [])),
    tree: node.tree.oid,
    author: toPerson(node.author),
    committer: toPerson(node.committer),
    message: node.message,
  };
  if (node.signature) {
    commit.signature = {
      format: signatureFormat(node.signature.signature),
      signature: node.signature.signature,
      payload: node.signature.payload,
    };
  }
  return commit;
}

const REVIEW_STATES: readonly ReviewState[] = [
  "APPROVED",
  "CHANGES_REQUESTED",
  "COMMENTED",
  "DISMISSED",
  "PENDING",
];

/** A review of a deleted account cannot be attributed to anyone, so it is left out. */
export function toReview(node: ReviewNode): Review | null {
  if (!node.author) return null;
  const state = REVIEW_STATES.find((s) => s === node.state);
  if (!state) return null;
  return {
    user: node.author.login,
    state,
    commit: node.commit?.oid ?? "",
    submittedAt: new Date(node.submittedAt ?? 0),
  };
}

/**
 * Adds check runs and statuses to `checks` as name -> "success", "failure", "pending", ...
 * gatehouse's own check is left out: its last verdict must never feed the next one.
 */
export function addChecks(
  checks: Record<string, string>,
  nodes: Array<ContextNode | null>,
  ownName: string,
): void {
  for (const node of nodes) {
    if (!node) continue;
    if (node.__typename === "CheckRun") {
      if (node.name === ownName) continue;
      checks[node.name] =
        node.status === "COMPLETED" ? (node.conclusion ?? "neutral").toLowerCase() : "pending";
    } else if (node.__typename === "StatusContext") {
      checks[node.context] = node.state.toLowerCase();
    }
  }
}

/**
 * The text of a blob, or null when GitHub cannot give it whole (binary or truncated). A record
 * that is left out is judged invalid by the core, which is the safe side.
 */
export function blobText(blob: BlobNode | null | undefined): string | null {
  if (!blob || typeof blob.text !== "string" || blob.isBinary || blob.isTruncated) return null;
  return blob.text;
}

const SYMLINK_MODE = 0o120000;

/**
 * What a tree entry holds, from GitHub's `type` ("blob", "tree", "commit") and `mode`: a
 * submodule entry is a "commit", a symbolic link a blob of mode 120000. Null for a folder.
 */
export function entryTypeOf(node: { type?: string; mode?: number }): EntryType | null {
  if (node.type === "commit") return "submodule";
  if (node.type === "tree") return null;
  return node.mode === SYMLINK_MODE ? "symlink" : "file";
}

/** The text of a commit's file and what the entry holds; both null when there is no such path. */
export function entryText(node: EntryNode | null | undefined): {
  text: string | null;
  type: EntryType | null;
} {
  if (!node) return { text: null, type: null };
  const type = entryTypeOf(node);
  return { text: type === "file" ? blobText(node.object) : null, type };
}

/**
 * Every readable blob of a (nested) tree, by its full path. Returns the paths it could not read
 * (binary, over GitHub's size limit, a symbolic link or a submodule entry, whose object GitHub
 * does not give, or a folder deeper than the query reaches).
 */
export function flattenTree(
  tree: TreeNode | null | undefined,
  into: Map<string, string>,
): string[] {
  const unreadable: string[] = [];
  for (const entry of tree?.entries ?? []) {
    if (!entry.path) continue;
    const type = entryTypeOf(entry);
    if (type === "symlink" || type === "submodule" || !entry.object) {
      unreadable.push(entry.path);
      continue;
    }
    const text = blobText(entry.object);
    if (text !== null) into.set(entry.path, text);
    else if (entry.object.entries) unreadable.push(...flattenTree(entry.object, into));
    else unreadable.push(entry.path);
  }
  return unreadable;
}

/**
 * The file paths of a listed (nested) tree. Returns the folders it could not list because they
 * lie deeper than the query reaches.
 */
export function treePaths(tree: TreeNode | null | undefined, into: string[]): string[] {
  const deeper: string[] = [];
  for (const entry of tree?.entries ?? []) {
    if (!entry.path) continue;
    if (entry.type === "blob") into.push(entry.path);
    else if (entry.type === "tree") {
      if (entry.object?.entries) deeper.push(...treePaths(entry.object, into));
      else deeper.push(entry.path);
    }
  }
  return deeper;
}

/** A text to read: where it goes, and for which changed file and side. */
export interface Blob {
  expression: string;
  into: Map<string, string>;
  path: string;
  file: ChangedFile;
  side: "base" | "head";
}

/** Takes a file GitHub gave (text, or the kind of entry it is) into the snapshot. */
export function takeEntry(
  blob: Omit<Blob, "expression">,
  node: EntryNode | null | undefined,
): void {
  const { text, type } = entryText(node);
  if (text !== null) blob.into.set(blob.path, text);
  // A link or submodule is a change of its path like any other; the core judges it.
  if (type === "symlink" || type === "submodule") {
    blob.file.entry = { ...blob.file.entry, [blob.side]: type };
  }
}
