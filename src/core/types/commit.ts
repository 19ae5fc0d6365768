/** A commit of a pull request, with the people it names and its signature. */
import type { Login } from "../types.js";

/** A person as a commit names them. `login` is set when the adapter knows it (GitHub does). */
export interface Person {
  name: string;
  email: string;
  login?: Login;
  date: Date;
}

/**
 * A commit's signature with the exact bytes it signs. Locally `payload` is the raw commit
 * object without its `gpgsig` header; on GitHub it is the commit's `payload` field.
 */
export interface CommitSignature {
  format: "openpgp" | "ssh" | "x509" | "unknown";
  signature: string;
  payload: string;
  /**
   * The signed bytes when `payload` cannot hold them exactly (a commit in a legacy encoding
   * that is not valid UTF-8). Verification uses these bytes when present.
   */
  payloadBytes?: Uint8Array;
}

export interface Commit {
  sha: string;
  parents: string[];
  /** The tree sha; lets a GitHub payload be checked against the commit it claims to sign. */
  tree?: string;
  author: Person;
  committer: Person;
  message: string;
  signature?: CommitSignature;
}
