/** The seam between the adapters and the core: everything needed to judge one pull request. */
import type { Login, TeamName } from "../types.js";
import type { ChangedFile } from "./changed-file.js";
import type { Commit } from "./commit.js";
import type { Evidence } from "./evidence.js";
import type { Review } from "./review.js";

/**
 * Everything the core needs to judge one pull request.
 *
 * `base.files` holds `.github/gatehouse.yml` (when present), every file under the policies
 * directory (default `policies/`), and the base version of every changed file that existed
 * there. `head.files` holds the head version of every changed file that was not removed.
 * Paths are relative to the repository root, with "/" separators. Binary or oversized files
 * may be left out by an adapter; the core then treats a record it cannot read as invalid.
 */
export interface Snapshot {
  /** "owner/name" on GitHub, or the folder name of a local clone. */
  repo: string;
  number?: number;
  /** Login of the pull request's author. */
  author: Login;
  /**
   * The base branch's tip (`ref` names the branch, for messages): the policy, roles, keys and
   * the base side of changed files are read here, by the App and the CLI alike. `binary` holds
   * the files of the keys directory that are not text, as bytes, so that the keyring can name
   * them (a private key exported without `--armor` above all); they never count as keys.
   */
  base: {
    sha: string;
    files: Map<string, string>;
    ref?: string;
    binary?: Map<string, Uint8Array>;
  };
  head: { sha: string; files: Map<string, string> };
  changed: ChangedFile[];
  commits: Commit[];
  /** The latest review per user. */
  approvals: Review[];
  /** "org/slug" -> member logins, for every team a policy names. */
  teams: Record<TeamName, Login[]>;
  labels: string[];
  /** Check-run or status name -> conclusion ("success", "failure", "pending", ...). */
  checks: Record<string, string>;
  now: Date;
  /**
   * E-mail addresses of the person who reads the verdict (the CLI's user, from git's
   * `user.email`): messages about their own commits show these in full, since masking is for
   * other people's data. The App never sets it: everyone with access reads a check run.
   */
  readerEmails?: string[];
  /** Commit e-mail -> login, the local stand-in for GitHub's knowledge (from `--context`). */
  identities?: Record<string, Login>;
  /** The pull request's body, where a change may be named ("Change: CHG-2026-0042"). */
  body?: string;
  evidence?: Evidence[];
  /**
   * Every record file at the head commit (the `.yaml`/`.yml` files under the record directories
   * of the base configuration), so that a new record's id can be checked to be unused. When an
   * adapter leaves it out, a new record fails closed: its id cannot be shown to be free.
   */
  recordPaths?: string[];
  /**
   * The ChangeRequest files of the base commit (path -> text), for the rules that look past the
   * pull request: the change a deployment names, overlapping windows, overdue emergency changes.
   * Adapters load them when the pull request changes a record or a deployment file; a rule that
   * needs them when they are absent fails closed.
   */
  changeRecords?: Map<string, string>;
  /**
   * What each commit of the pull request added, oldest first, so that personal data added by
   * one commit and removed by a later one is still found: it stays in the branch's history and
   * reaches the default branch with a merge commit. Adapters give it when the pull request has
   * more than one commit or a merge commit; the privacy gate fails closed when it needs it and
   * it is absent.
   */
  additions?: CommitAdditions[];
}

/** What one commit added: the files it added or changed, with the lines it added to each. */
export interface CommitAdditions {
  sha: string;
  files: AddedLines[];
}

/**
 * The lines one commit added to one file. Bounded by the size of the commit's changes, not of
 * its files: an edit of one line of a large log carries that line only.
 */
export interface AddedLines {
  /** The file's path in the commit (its new path when the commit renamed it). */
  path: string;
  /** The added lines in order, joined by "\n"; empty for a rename without changes. */
  text: string;
  /** For each line of `text`, its line number (from 1) in the commit's version of the file. */
  lines: number[];
  /**
   * Set when the adapter could not read what the commit added ("binary", "too large"): the
   * privacy gate then cannot show the commit free of personal data, and fails closed.
   */
  unreadable?: string;
}
