/**
 * One `gatehouse audit --format json` in a process of its own, so that its time and peak
 * memory are its own: prints {"seconds", "cpuSeconds", "maxRssMb", "status", "documents", "ok"}.
 * CPU time (user + system, git's children included) is printed beside the wall time: on a
 * shared, loaded machine it is the steadier figure.
 */
import { readFileSync } from "node:fs";
import { main } from "../src/cli/main.js";

process.env = { ...process.env };
const dir = process.argv[2] ?? ".";
let out = "";
const started = performance.now();
const status = await main(["audit", "--repo", dir, "--format", "json"], {
  stdout: { write: (t: string) => (out += t) },
  stderr: { write: () => true },
  stdin: process.stdin,
  cwd: process.cwd(),
  env: process.env,
});
const seconds = (performance.now() - started) / 1000;
const usage = process.resourceUsage();
const cpuSeconds = (usage.userCPUTime + usage.systemCPUTime) / 1e6 + childrenCpuSeconds();
const report = JSON.parse(out) as { ok: boolean; ledger: { documents: number } };
console.log(
  JSON.stringify({
    seconds,
    cpuSeconds,
    maxRssMb: usage.maxRSS / 1024,
    status,
    documents: report.ledger.documents,
    ok: report.ok,
  }),
);

/** CPU seconds of this process's finished children (the git processes the audit ran). */
function childrenCpuSeconds(): number {
  try {
    // /proc/self/stat fields 16 and 17: cutime and cstime, in clock ticks (100 a second).
    const fields = readFileSync("/proc/self/stat", "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return 0;
  }
}
