/**
 * One `gatehouse audit --format json` in a process of its own, so that its time and peak
 * memory are its own: prints {"seconds", "maxRssMb", "status", "documents", "ok"}.
 */
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
const report = JSON.parse(out) as { ok: boolean; ledger: { documents: number } };
console.log(
  JSON.stringify({
    seconds,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    status,
    documents: report.ledger.documents,
    ok: report.ok,
  }),
);
