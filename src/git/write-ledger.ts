/**
 * Appending a signed document to the ledger of a local clone, the way the App does it on GitHub:
 * read the state at the ref's commit, place and sign the document, write its blobs and one new
 * commit on top, and move the ref only if it still points where it did (a fast-forward),
 * reading the state again when another writer moved it first. The demo and the tests use it.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { simpleGit } from "simple-git";
import { alreadyWritten, appendEntries, placeStatements } from "../core/evidence/append.js";
import { baselineDrafts } from "../core/evidence/baseline.js";
import { NOTES_REF, type BaselineEntry, type EvidenceStatement } from "../core/evidence/model.js";
import { signedLine, type SigningKey } from "../core/evidence/sign.js";
import { CONFIG_PATH, loadConfig } from "../core/policy/load-config.js";
import { recordKindForPath } from "../core/records/parse-record.js";
import { idOfPath } from "../core/records/record-ids.js";
import { readLedgerState } from "./read-ledger.js";
import { listTree } from "./tree-entries.js";

/** How often a writer reads the state again after another writer moved the ref. */
export const WRITE_ATTEMPTS = 5;

export type AppendOutcome =
  | { kind: "written"; statements: EvidenceStatement[]; commit: string; attempts: number }
  | { kind: "exists" };

/**
 * Appends the document unless the note of its commit already holds it. When the ledger does
 * not exist yet, the baseline of the records at `baselineAt` (the base branch before the
 * merge) is written first, in the same commit.
 */
export async function appendLocalEvidence(
  root: string,
  draft: EvidenceStatement,
  signer: SigningKey,
  baselineAt: string,
): Promise<AppendOutcome> {
  const subject = draft.subject[0]?.digest.gitCommit ?? draft.predicate.merge.sha;
  const ids = draft.predicate.records.map((r) => r.id);
  for (let attempt = 1; attempt <= WRITE_ATTEMPTS; attempt++) {
    const state = await readLedgerState(root, subject, ids);
    if (alreadyWritten(state.note, draft)) return { kind: "exists" };
    const baseline =
      state.commit === null
        ? baselineDrafts({
            repository: draft.predicate.repository,
            baseRef: draft.predicate.base.ref,
            commit: baselineAt,
            records: await recordsAt(root, baselineAt),
            writtenAt: new Date(draft.predicate.writtenAt),
          })
        : [];
    const placed = await placeStatements([...baseline, draft], state, (statement) =>
      signedLine(statement, signer),
    );
    const tree = await writeTree(root, state.commit, appendEntries(state, placed));
    const last = placed.at(-1)!.statement.predicate;
    const message = `gatehouse evidence #${last.sequence} for ${subject}\n`;
    const commit = (
      await run(
        root,
        ["commit-tree", "--no-gpg-sign", tree, ...(state.commit ? ["-p", state.commit] : [])],
        { input: message, env: identity(last.writtenAt) },
      )
    ).trim();
    // update-ref with the old value refuses when the ref moved: git's own compare-and-swap.
    const moved = await run(root, ["update-ref", NOTES_REF, commit, state.commit ?? ""]).then(
      () => false,
      () => true,
    );
    if (!moved) {
      return {
        kind: "written",
        statements: placed.map((p) => p.statement),
        commit,
        attempts: attempt,
      };
    }
  }
  throw new Error(
    `${NOTES_REF} kept moving while gatehouse wrote evidence for ${subject} (${WRITE_ATTEMPTS} attempts); try again`,
  );
}

/** The record files at a commit, with their blobs: what a baseline lists. */
export async function recordsAt(root: string, commit: string): Promise<BaselineEntry[]> {
  const git = simpleGit({ baseDir: root });
  const configText = await git.show([`${commit}:${CONFIG_PATH}`]).catch(() => undefined);
  const { config } = loadConfig(configText);
  const dirs = Object.values(config.records).map((dir) => `${dir.replace(/\/+$/, "")}/`);
  return (await listTree(git, commit, dirs))
    .filter((entry) => recordKindForPath(entry.path, config) !== null)
    .map((entry) => ({ id: idOfPath(entry.path), path: entry.path, blob: entry.sha }));
}

/** A tree: the ledger's tree at `base` with the entries written over it. */
async function writeTree(
  root: string,
  base: string | null,
  entries: Array<{ path: string; text: string }>,
): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "gatehouse-ledger-"));
  const env = { GIT_INDEX_FILE: join(dir, "index") };
  try {
    if (base) await run(root, ["read-tree", `${base}^{tree}`], { env });
    const lines: string[] = [];
    for (const entry of entries) {
      const sha = (await run(root, ["hash-object", "-w", "--stdin"], { input: entry.text })).trim();
      lines.push(`100644 ${sha}\t${entry.path}`);
    }
    await run(root, ["update-index", "--add", "--index-info"], {
      env,
      input: lines.join("\n") + "\n",
    });
    return (await run(root, ["write-tree"], { env })).trim();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function identity(when: string): Record<string, string> {
  return {
    GIT_AUTHOR_NAME: "gatehouse",
    GIT_AUTHOR_EMAIL: "gatehouse-evidence@users.noreply.github.com",
    GIT_AUTHOR_DATE: when,
    GIT_COMMITTER_NAME: "gatehouse",
    GIT_COMMITTER_EMAIL: "gatehouse-evidence@users.noreply.github.com",
    GIT_COMMITTER_DATE: when,
  };
}

/** Runs git in `root` with optional stdin and extra environment; rejects with its stderr. */
function run(
  root: string,
  args: string[],
  options: { input?: string; env?: Record<string, string> } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn("git", args, {
      cwd: root,
      env: { ...process.env, ...options.env },
      stdio: [options.input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr?.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolve(Buffer.concat(out).toString("utf8"));
      else reject(new Error(`git ${args[0]} failed: ${Buffer.concat(err).toString().trim()}`));
    });
    if (options.input !== undefined) {
      // A git that exits early (a refused update) closes its stdin; its exit code says why.
      child.stdin?.on("error", () => undefined);
      child.stdin?.end(options.input);
    }
  });
}
