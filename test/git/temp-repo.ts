import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

export interface TempRepo {
  dir: string;
  git(...args: string[]): string;
  write(files: Record<string, string | Buffer>): void;
  remove(...paths: string[]): void;
  /** Stages everything and commits as the given person; returns the new sha. */
  commit(message: string, who?: { name: string; email: string }): string;
  dispose(): void;
}

const DEFAULT_PERSON = { name: "Wang Jun", email: "wang.jun@acme.example" };

/** A real repository in a temporary directory, on branch main, with no global config used. */
export function tempRepo(prefix = "gatehouse-git-"): TempRepo {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const env = { ...process.env, GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1" };
  const git = (...args: string[]) =>
    execFileSync("git", args, {
      cwd: dir,
      env,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
  git("init", "-q", "-b", "main");
  return {
    dir,
    git,
    write(files) {
      for (const [path, content] of Object.entries(files)) {
        mkdirSync(dirname(join(dir, path)), { recursive: true });
        writeFileSync(join(dir, path), content);
      }
    },
    remove(...paths) {
      git("rm", "-q", "--", ...paths);
    },
    commit(message, who = DEFAULT_PERSON) {
      git("add", "-A");
      git(
        "-c",
        `user.name=${who.name}`,
        "-c",
        `user.email=${who.email}`,
        "-c",
        "commit.gpgsign=false",
        "commit",
        "-q",
        "--allow-empty",
        "-m",
        message,
      );
      return git("rev-parse", "HEAD").trim();
    },
    dispose() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
