import { basename } from "node:path";
import { simpleGit, type SimpleGit } from "simple-git";
import { CONFIG_PATH, loadConfig } from "../core/policy/load-config.js";
import { recordKindForPath } from "../core/records/parse-record.js";
import { ConfigError } from "../core/errors.js";
import { identityMap, resolveLogin } from "../core/evaluate/resolve-login.js";
import type { Commit, Login, Review, Snapshot } from "../core/types.js";
import { evidenceIds, recordEvidence } from "../core/evidence/record-evidence.js";
import type { LocalContext } from "./context.js";
import { changeRecordsAt } from "./change-records.js";
import { readRecordLedger } from "./read-ledger.js";
import { keyringIdentities, loadKeyring } from "../core/signatures/keyring.js";
import { showEmail } from "../core/signatures/judge-commit.js";
import { policiesDirectory } from "./policies-directory.js";
import { readAdditions } from "./commit-additions.js";
import { readCommits } from "./raw-commit.js";
import { readerEmails } from "./reader-emails.js";
import { openRepository, resolveRange, revParse } from "./refs.js";
import { snapshotFiles, type SkippedFile } from "./snapshot-files.js";
import { listTree } from "./tree-entries.js";

export type { SkippedFile } from "./snapshot-files.js";

export interface LocalSnapshotOptions {
  /** A directory inside the clone; its top level is used. */
  repo: string;
  /** Judge against this ref instead of the default branch. */
  base?: string;
  /** The commit to judge; HEAD when absent. */
  head?: string;
  context?: LocalContext;
  now?: Date;
  /** The environment, for the reader's own e-mail (GIT_AUTHOR_EMAIL); git config is read too. */
  env?: NodeJS.ProcessEnv;
  /** Files larger than this are left out of the snapshot. Default 5 MiB. */
  maxFileBytes?: number;
}

export interface LocalSnapshot extends Snapshot {
  /** Files left out; the core treats a record it cannot read as invalid. */
  skipped: SkippedFile[];
  /** The branch or ref the base was taken from ("main", "origin/main", or `--base`). */
  baseRef: string;
  /** Where the judged commits start (`mergeBase..head`); the policy is read at `base.sha`. */
  mergeBase: string;
}

const DEFAULT_MAX_FILE_BYTES = 5 * 1024 * 1024;

/**
 * Loads everything the core needs to judge the commits of `head` that are not on the base,
 * from a local clone. The policy comes from the base branch's tip, never from the head, so
 * that a branch cannot approve itself by editing the policy; and from the tip rather than the
 * merge base, so that the CLI judges by the policy the GitHub App applies, including keys
 * revoked or roles changed after the branch was cut.
 */
export async function loadLocalSnapshot(options: LocalSnapshotOptions): Promise<LocalSnapshot> {
  const root = await openRepository(options.repo);
  const git = simpleGit({ baseDir: root });
  const { baseRef, baseTip, mergeBase, headSha } = await resolveRange(
    root,
    options.base,
    options.head ?? "HEAD",
    "pass --base REF",
  );
  // An empty range has nothing a verdict could be about; passing it would read as an approval.
  if (mergeBase === headSha) {
    throw new ConfigError(
      `${options.head ?? "HEAD"} has no commits that are not already on ${baseRef} in ${root}: ` +
        `nothing to judge. Check out the branch of the change, or pass --base REF.`,
    );
  }

  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const [files, commits] = await Promise.all([
    snapshotFiles(git, root, { mergeBase, baseTip, headSha }, maxBytes),
    readCommits(root, `${mergeBase}..${headSha}`),
  ]);
  const context = options.context ?? {};
  const now = options.now ?? new Date();
  const reader = await readerEmails(root, options.env ?? {});
  const snapshot: LocalSnapshot = {
    repo: basename(root),
    author:
      context.author ??
      authorOf(commits, headSha, context, await keyIdentities(files.base), new Set(reader)),
    base: { sha: baseTip, files: files.base, ref: baseRef, binary: files.binaryKeys },
    head: { sha: headSha, files: files.head },
    changed: files.changes.map(({ path, status, previousPath, entry }) => ({
      path,
      status,
      ...(previousPath === undefined ? {} : { previousPath }),
      ...(entry === undefined ? {} : { entry }),
    })),
    commits,
    approvals: await approvalsOf(context, headSha, now, root),
    teams: context.teams ?? {},
    labels: context.labels ?? [],
    checks: context.checks ?? {},
    now,
    skipped: files.skipped,
    baseRef,
    mergeBase,
    recordPaths: await recordPathsAt(git, headSha, files.base.get(CONFIG_PATH)),
    changeRecords: await changeRecordsAt(git, root, baseTip, files.base.get(CONFIG_PATH)),
  };
  // What each commit added, for the personal-data scan of the branch's history; one commit
  // with one parent added exactly what the head shows.
  if (commits.length > 1 || commits.some((c) => c.parents.length > 1)) {
    snapshot.additions = await readAdditions(root, mergeBase, headSha, maxBytes);
  }
  if (reader.length > 0) snapshot.readerEmails = reader;
  if (context.identities) snapshot.identities = context.identities;
  if (context.number !== undefined) snapshot.number = context.number;
  if (context.body !== undefined) snapshot.body = context.body;
  // Evidence given by hand stands in for the ledger (tests, what-if runs); otherwise the
  // clone's own ledger is read, when its notes are fetched.
  if (context.evidence) snapshot.evidence = context.evidence;
  else {
    const ledger = await readRecordLedger(root, evidenceIds(snapshot), baseTip);
    const evidence = await recordEvidence(snapshot, ledger);
    if (evidence.length > 0) snapshot.evidence = evidence;
  }
  return snapshot;
}

/**
 * Who opened the change: the login the head commit's author maps to, by the context's
 * identities, GitHub's noreply addresses, then the e-mails of the base's trusted keys (as the
 * verdict maps every commit).
 */
function authorOf(
  commits: Commit[],
  headSha: string,
  context: LocalContext,
  keys: Map<string, Login>,
  reader: ReadonlySet<string>,
): Login {
  const head = commits.find((c) => c.sha === headSha) ?? commits.at(-1);
  const known = identityMap(Object.entries(context.identities ?? {}));
  const login = head ? resolveLogin(head.author, { known, extra: keys }) : null;
  if (login) return login;
  const email = head ? showEmail(head.author.email, reader) : "(no commit)";
  throw new ConfigError(
    `cannot tell who opened this change: the head commit's author e-mail ${email} maps to no ` +
      `GitHub login, neither through a key in the base's policies/keys nor a noreply address. ` +
      `Add 'author: <login>' (or an 'identities' entry) to a --context file, or add your key ` +
      `with that e-mail (gatehouse keys add).`,
  );
}

/** E-mail -> login from the trusted keys among the base files. */
async function keyIdentities(base: Map<string, string>): Promise<Map<string, Login>> {
  const dir = policiesDirectory(base.get(CONFIG_PATH)).replace(/\/+$/, "");
  const keys = new Map([...base].filter(([path]) => path.startsWith(`${dir}/keys/`)));
  return keys.size === 0 ? new Map() : keyringIdentities(await loadKeyring(keys));
}

/**
 * The record files of a commit: the YAML files under the record directories that the base
 * configuration names (an unreadable configuration gives the defaults, as the core's does).
 */
async function recordPathsAt(
  git: SimpleGit,
  sha: string,
  configText: string | undefined,
): Promise<string[]> {
  const { config } = loadConfig(configText);
  const dirs = Object.values(config.records).map((dir) => `${dir.replace(/\/+$/, "")}/`);
  const entries = await listTree(git, sha, dirs);
  return entries.map((e) => e.path).filter((path) => recordKindForPath(path, config) !== null);
}

async function approvalsOf(
  context: LocalContext,
  headSha: string,
  now: Date,
  root: string,
): Promise<Review[]> {
  const reviews: Review[] = [];
  for (const approval of context.approvals ?? []) {
    // A review names the commit it was given on; a short sha or a ref is resolved here.
    const commit =
      approval.commit === undefined ? headSha : await revParse(root, `${approval.commit}^{commit}`);
    if (commit === undefined) {
      throw new ConfigError(
        `the approval of ${approval.user} names commit '${approval.commit}', which is not in ` +
          `${root}; give the sha of the head it was given on, or leave 'commit' out for the head.`,
      );
    }
    reviews.push({
      user: approval.user,
      state: approval.state ?? "APPROVED",
      commit,
      submittedAt: now,
    });
  }
  return reviews;
}
