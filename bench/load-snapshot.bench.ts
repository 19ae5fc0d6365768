/**
 * The local snapshot loader on a real repository: a branch that changes N record files, with
 * the finance pack as policy. The loader must stay at a handful of git processes, whatever N.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { initFiles } from "../src/cli/init-files.js";
import { loadLocalSnapshot } from "../src/git/load-snapshot.js";

const SIZES = [10, 1000, 5000];
const RUNS = 3;

export async function run(): Promise<void> {
  const pack = await initFiles("finance");
  for (const n of SIZES) {
    const dir = mkdtempSync(join(tmpdir(), "gatehouse-bench-"));
    try {
      const git = (...args: string[]) =>
        execFileSync(
          "git",
          ["-c", "user.name=Bench", "-c", "user.email=bench@bank.example", ...args],
          {
            cwd: dir,
            env: { ...process.env, GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1" },
            stdio: "ignore",
            maxBuffer: 1 << 28,
          },
        );
      const write = (path: string, text: string) => {
        mkdirSync(dirname(join(dir, path)), { recursive: true });
        writeFileSync(join(dir, path), text);
      };
      git("init", "-q", "-b", "main");
      for (const [path, text] of pack) write(path, text);
      // Half the records exist on main and are modified on the branch; half are new.
      for (let i = 0; i < n / 2; i++) write(recordPath(i), record(i, "draft"));
      git("add", "-A");
      git("commit", "-q", "-m", "base");
      git("checkout", "-q", "-b", "topic");
      for (let i = 0; i < n; i++) write(recordPath(i), record(i, "requested"));
      git("add", "-A");
      git("commit", "-q", "-m", "change");

      const times: number[] = [];
      let files = 0;
      for (let r = 0; r < RUNS; r++) {
        const start = performance.now();
        const snapshot = await loadLocalSnapshot({ repo: dir, context: { author: "bench" } });
        times.push(performance.now() - start);
        files = snapshot.base.files.size + snapshot.head.files.size;
      }
      const best = Math.min(...times);
      console.log(
        `${String(n).padStart(5)} changed records: ${files} files read, best of ${RUNS} ${best.toFixed(0)} ms` +
          ` (${((best / n) * 1000).toFixed(0)} µs per changed file)`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

const recordPath = (i: number) => `changes/CHG-2026-${String(i + 1).padStart(4, "0")}.yaml`;

function record(i: number, state: string): string {
  const id = recordPath(i).slice("changes/".length, -".yaml".length);
  return `apiVersion: gatehouse/v1\nkind: ChangeRequest\nid: ${id}\ntitle: Change ${i}\nstate: ${state}\ntype: normal\n`;
}
