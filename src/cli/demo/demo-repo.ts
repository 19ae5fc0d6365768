import { execFileSync } from "node:child_process";
import {
  appendFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { Login } from "../../core/types.js";
import { emailOf, person } from "./cast.js";

/**
 * Where the demo writes the context file of each judgement, inside the repository but ignored by
 * git (`.git/info/exclude`), so that a kept repository can replay every step's `gatehouse check`.
 */
export const CONTEXT_DIR = ".gatehouse-demo";

/**
 * The demo's temporary repository. Every commit is made as the person acting, through real
 * `git` (and signed with their throwaway SSH key when ssh-keygen is there), so that the
 * snapshot the demo judges is exactly what `gatehouse check` would see.
 */
export class DemoRepo {
  readonly dir: string;
  private readonly keysDir: string;
  private readonly env: NodeJS.ProcessEnv;
  private readonly signing: boolean;

  private constructor(dir: string, keysDir: string, signing: boolean) {
    this.dir = dir;
    this.keysDir = keysDir;
    this.signing = signing;
    // The user's own git configuration (a default signing key, hooks) must not leak in.
    this.env = {
      ...process.env,
      GIT_CONFIG_GLOBAL: "/dev/null",
      GIT_CONFIG_NOSYSTEM: "1",
      GIT_TERMINAL_PROMPT: "0",
    };
  }

  /** A fresh repository on branch main; `signing` when throwaway SSH keys can be made. */
  static create(): DemoRepo {
    const dir = mkdtempSync(join(tmpdir(), "gatehouse-demo-"));
    const keysDir = mkdtempSync(join(tmpdir(), "gatehouse-demo-keys-"));
    const repo = new DemoRepo(dir, keysDir, hasSshKeygen());
    repo.git(["init", "-q", "-b", "main"]);
    // git's templates (which make .git/info) may be missing on a minimal system.
    mkdirSync(join(dir, ".git", "info"), { recursive: true });
    appendFileSync(join(dir, ".git", "info", "exclude"), `/${CONTEXT_DIR}/\n`);
    return repo;
  }

  get signs(): boolean {
    return this.signing;
  }

  /** Makes a throwaway ed25519 key for a person and returns its public line. */
  makeKey(login: Login): string {
    const key = join(this.keysDir, login);
    execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", emailOf(login), "-f", key], {
      stdio: "ignore",
    });
    return readFileSync(`${key}.pub`, "utf8");
  }

  /**
   * Lets `git log --show-signature` in a kept repository verify the demo's signatures, as a
   * reader would expect; gatehouse itself verifies against policies/keys/, not this file.
   */
  allowSigners(keys: Map<Login, string>): void {
    const file = join(this.dir, ".git", "allowed_signers");
    const lines = [...keys].map(([login, key]) => `${emailOf(login)} ${key.trim()}\n`);
    writeFileSync(file, lines.join(""));
    this.git(["config", "gpg.ssh.allowedSignersFile", file]);
  }

  git(args: string[]): string {
    return execFileSync("git", args, {
      cwd: this.dir,
      env: this.env,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
  }

  /** Writes files (null removes one), stages them, and commits as `login`. */
  commit(login: Login, message: string, files: Record<string, string | null>): void {
    for (const [path, content] of Object.entries(files)) {
      const absolute = join(this.dir, path);
      if (content === null) unlinkSync(absolute);
      else {
        mkdirSync(dirname(absolute), { recursive: true });
        writeFileSync(absolute, content);
      }
    }
    this.git(["add", "-A"]);
    const who = person(login);
    const identity = ["-c", `user.name=${who.name}`, "-c", `user.email=${emailOf(login)}`];
    const sign = this.signing
      ? ["-c", "gpg.format=ssh", "-c", `user.signingkey=${join(this.keysDir, login)}`]
      : [];
    this.git([
      ...identity,
      ...sign,
      "commit",
      "-q",
      ...(this.signing ? ["-S"] : []),
      "-m",
      message,
    ]);
  }

  /** The abbreviated name of a commit, as the printed commands give it. */
  short(ref: string): string {
    return this.git(["rev-parse", "--short", ref]).trim();
  }

  /** Puts main's files in the working tree, for commands that read it (validate, audit). */
  checkoutMain(): void {
    this.git(["checkout", "-q", "main"]);
  }

  /** Writes a file that is not part of the story's commits (a step's context file). */
  writeAside(path: string, content: string): void {
    const absolute = join(this.dir, path);
    mkdirSync(dirname(absolute), { recursive: true });
    writeFileSync(absolute, content);
  }

  /** Starts a branch from main's tip. */
  branch(name: string): void {
    this.git(["checkout", "-q", "-B", name, "main"]);
  }

  /**
   * Brings a judged branch into main with a merge commit by `by`, as GitHub's merge button does.
   * Every branch starts at main's tip (see `branch`), so the merge's tree is the branch's.
   * Main moves only here, and only from where it was. Returns main before and the merge.
   */
  mergeCommit(name: string, number: number, by: Login): { before: string; merge: string } {
    const before = this.git(["rev-parse", "main"]).trim();
    const who = person(by);
    const merge = this.git([
      "-c",
      `user.name=${who.name}`,
      "-c",
      `user.email=${emailOf(by)}`,
      "commit-tree",
      "--no-gpg-sign",
      `${name}^{tree}`,
      "-p",
      "main",
      "-p",
      name,
      "-m",
      `Merge pull request #${number} from ${name}`,
    ]).trim();
    this.git(["update-ref", "refs/heads/main", merge, before]);
    return { before, merge };
  }

  read(path: string): string {
    return readFileSync(join(this.dir, path), "utf8");
  }

  /** Removes the repository, unless it is kept for the reader to look at; keys always go. */
  dispose(keep: boolean): void {
    rmSync(this.keysDir, { recursive: true, force: true });
    // A kept repository is left on main, where the story ends, not on its last refused branch.
    if (keep) this.checkoutMain();
    if (!keep) rmSync(this.dir, { recursive: true, force: true });
  }
}

function hasSshKeygen(): boolean {
  try {
    execFileSync("ssh-keygen", ["-?"], { stdio: "ignore" });
    return true;
  } catch (error) {
    // ssh-keygen prints its usage and exits 1 for -?; only a missing program is ENOENT.
    return (error as { code?: string }).code !== "ENOENT";
  }
}
