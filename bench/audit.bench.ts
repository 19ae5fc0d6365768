/**
 * `npm run bench -- audit`: `gatehouse audit` over synthetic ledgers of 2,500 and 10,000
 * signed documents (one per merge on main, plus the baseline), each audit in a process of its
 * own: time, peak memory, and the ratio between the sizes (close to 4 means linear). The
 * target is under 20 s for 10,000 on the project's machine.
 */
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { benchKey, syntheticRepository } from "./ledger-fixture.js";

const SIZES = [2_500, 10_000];

export async function run(): Promise<void> {
  const key = await benchKey();
  const child = fileURLToPath(new URL("audit-child.ts", import.meta.url));
  const results: Array<{ merges: number; seconds: number; cpuSeconds: number }> = [];
  for (const merges of SIZES) {
    const ledger = await syntheticRepository(merges, key);
    try {
      const line = execFileSync(process.execPath, ["--import", "tsx", child, ledger.dir], {
        encoding: "utf8",
        maxBuffer: 256 * 1024 * 1024,
      });
      const result = JSON.parse(line.trim().split("\n").at(-1)!) as {
        seconds: number;
        cpuSeconds: number;
        maxRssMb: number;
        status: number;
        documents: number;
        ok: boolean;
      };
      if (result.status !== 0 || !result.ok) {
        throw new Error(`the audit of ${merges} merges did not come out clear (${line.trim()})`);
      }
      results.push({ merges, seconds: result.seconds, cpuSeconds: result.cpuSeconds });
      console.log(
        `audit of ${result.documents.toLocaleString("en-US")} documents (${merges.toLocaleString("en-US")} merges + baseline): ${result.seconds.toFixed(1)} s (CPU ${result.cpuSeconds.toFixed(1)} s), peak ${result.maxRssMb.toFixed(0)} MB (building the ledger took ${ledger.buildSeconds.toFixed(1)} s)`,
      );
    } finally {
      rmSync(ledger.dir, { recursive: true, force: true });
    }
  }
  const [small, large] = results;
  if (small && large) {
    console.log(
      `10,000 / 2,500: ${(large.seconds / small.seconds).toFixed(2)}x the time (${(large.cpuSeconds / small.cpuSeconds).toFixed(2)}x the CPU time) for 4x the documents (target: under 20 s for 10,000)`,
    );
  }
}
