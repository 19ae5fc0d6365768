/**
 * The header of a signed commit payload. What gatehouse trusts about a commit (its tree,
 * parents, author and time) is read from the bytes the signature covers, not from the fields an
 * adapter reported beside them.
 */
import type { Commit, CommitSignature } from "../types.js";

export interface PayloadPerson {
  email: string;
  date: Date;
}

export interface CommitPayload {
  tree: string;
  parents: string[];
  author: PayloadPerson;
  committer: PayloadPerson;
}

const PERSON = /^.* <([^<>]*)> (-?\d+) [+-]\d{4}$/;

/** Reads the header of a commit payload; throws with a readable message when it is malformed. */
export function parseCommitPayload(payload: string): CommitPayload {
  const end = payload.indexOf("\n\n");
  const header = (end === -1 ? payload : payload.slice(0, end)).split("\n");
  let tree: string | undefined;
  const parents: string[] = [];
  let author: PayloadPerson | undefined;
  let committer: PayloadPerson | undefined;
  for (const line of header) {
    if (line.startsWith(" ")) continue; // continuation of a mergetag
    const space = line.indexOf(" ");
    const key = line.slice(0, space);
    const value = line.slice(space + 1);
    // Only the first of each is what git reads; a second tree or author line is forgery.
    if (key === "tree") {
      if (tree !== undefined) throw new Error("the signed payload has two tree lines");
      tree = value;
    } else if (key === "parent") parents.push(value);
    else if (key === "author") {
      if (author !== undefined) throw new Error("the signed payload has two author lines");
      author = person(value, "author");
    } else if (key === "committer") {
      if (committer !== undefined) throw new Error("the signed payload has two committer lines");
      committer = person(value, "committer");
    }
  }
  if (tree === undefined || author === undefined || committer === undefined) {
    throw new Error("the signed payload is not a commit (it lacks a tree, author or committer)");
  }
  return { tree, parents, author, committer };
}

function person(value: string, role: string): PayloadPerson {
  const match = PERSON.exec(value);
  if (!match) throw new Error(`the ${role} line of the signed payload is malformed`);
  return { email: (match[1] ?? "").trim(), date: new Date(Number(match[2]) * 1000) };
}

/**
 * Why a signed payload does not describe the commit it came with, or null when it does. A
 * payload of another commit (same author, other tree) would otherwise lend its valid signature.
 */
export function payloadMismatch(commit: Commit, payload: CommitPayload): string | null {
  if (commit.tree !== undefined && payload.tree !== commit.tree) {
    return `has a signed payload for tree ${payload.tree.slice(0, 7)}, but the commit's tree is ${commit.tree.slice(0, 7)}`;
  }
  if (payload.parents.join(" ") !== commit.parents.join(" ")) {
    return "has a signed payload whose parents differ from the commit's parents";
  }
  if (payload.author.email.toLowerCase() !== commit.author.email.trim().toLowerCase()) {
    return "has a signed payload that names another author than the commit";
  }
  if (payload.committer.date.getTime() !== commit.committer.date.getTime()) {
    return "has a signed payload whose commit time differs from the commit's";
  }
  return null;
}

/** The kind of an armored signature, from its first line. */
export function signatureFormat(armored: string): CommitSignature["format"] {
  const text = armored.trimStart();
  if (text.startsWith("-----BEGIN PGP SIGNATURE-----")) return "openpgp";
  if (text.startsWith("-----BEGIN SSH SIGNATURE-----")) return "ssh";
  if (text.startsWith("-----BEGIN SIGNED MESSAGE-----")) return "x509";
  return "unknown";
}
