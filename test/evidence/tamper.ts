/* eslint-disable @typescript-eslint/no-explicit-any -- statements are edited as plain JSON */
/**
 * Tampering with a ledger as someone with push access to `refs/notes/gatehouse` could: every
 * change is a new commit of the notes ref made with plain git plumbing, as an attacker would.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TempRepo } from "../git/temp-repo.js";

export const NOTES = "refs/notes/gatehouse";

/** Path -> blob sha of every file of the ledger's tree. */
export function ledgerFiles(repo: TempRepo): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of repo.git("ls-tree", "-r", NOTES).split("\n")) {
    const tab = line.indexOf("\t");
    if (tab > 0) out.set(line.slice(tab + 1), line.slice(0, tab).split(" ")[2]!);
  }
  return out;
}

export function blobText(repo: TempRepo, sha: string): string {
  return repo.git("cat-file", "blob", sha);
}

export function writeBlob(repo: TempRepo, text: string): string {
  return execFileSync("git", ["hash-object", "-w", "--stdin"], {
    cwd: repo.dir,
    input: text,
    encoding: "utf8",
  }).trim();
}

/** Commits a new version of the ledger: `edit` changes path -> blob sha (delete to remove). */
export function rewriteLedger(repo: TempRepo, edit: (files: Map<string, string>) => void): void {
  const files = ledgerFiles(repo);
  edit(files);
  const dir = mkdtempSync(join(tmpdir(), "gatehouse-tamper-"));
  const env = { ...process.env, GIT_INDEX_FILE: join(dir, "index") };
  try {
    const lines = [...files].map(([path, sha]) => `100644 ${sha}\t${path}`).join("\n");
    execFileSync("git", ["update-index", "--add", "--index-info"], {
      cwd: repo.dir,
      env,
      input: lines + "\n",
    });
    const tree = execFileSync("git", ["write-tree"], {
      cwd: repo.dir,
      env,
      encoding: "utf8",
    }).trim();
    const parent = repo.git("rev-parse", NOTES).trim();
    const commit = repo
      .git(
        "-c",
        "user.name=mallory",
        "-c",
        "user.email=mallory@bank.example",
        "commit-tree",
        "--no-gpg-sign",
        tree,
        "-p",
        parent,
        "-m",
        "tidy up",
      )
      .trim();
    repo.git("update-ref", NOTES, commit);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The index path of a record's document. */
export function indexPath(files: Map<string, string>, id: string, sequence: number): string {
  const name = String(sequence).padStart(10, "0");
  const path = [...files.keys()].find(
    (p) => p.startsWith("index/") && p.endsWith(`/${id}/${name}`),
  );
  if (!path) throw new Error(`no index entry #${sequence} of ${id}`);
  return path;
}

/** A document with one field of its signed payload changed, signature kept. */
export function editedDocument(
  text: string,
  edit: (statement: Record<string, any>) => void,
): string {
  const envelope = JSON.parse(text.trim());
  const statement = JSON.parse(Buffer.from(envelope.payload, "base64").toString("utf8"));
  edit(statement);
  envelope.payload = Buffer.from(JSON.stringify(statement)).toString("base64");
  return JSON.stringify(envelope) + "\n";
}
