/**
 * `npm run bench -- hostile`: the personal-data scan and the whole judgement on hostile input at
 * 1, 4 and 16 MB, beside ordinary logs and logs where every line holds a value. Every detector
 * and the judgement are linear in the input (see src/core/privacy/find-hits.ts for the bound):
 * the time at 4 and 16 MB must stay near 4 and 16 times the time at 1 MB, whatever the input.
 *
 * The scan is the core scanner over one text (what `scan` and `mask` run); the judgement is
 * `evaluate` on a pull request that adds the text to an incident folder of the finance pack, cut
 * into 1 MB files (the adapters leave files over 5 MB out, and fail them closed), so that 1, 4
 * and 16 MB are 1, 4 and 16 files: everything `check` and the App run after reading the files.
 */
import { readdirSync, readFileSync } from "node:fs";
import { evaluate } from "../src/core/evaluate/evaluate.js";
import { forgetLoadedPolicies } from "../src/core/policy/load-policy.js";
import { StreamMasker } from "../src/core/privacy/stream-masker.js";
import type { ChangedFile, Snapshot } from "../src/core/types.js";

const MB = 1024 * 1024;
const SIZES = (process.env.HOSTILE_BENCH_MB ?? "1,4,16").split(",").map(Number);
/** Where the issue puts the limit: 1 MB of `6222 6222 …` took longer than 15 s in `check`. */
const TARGET =
  "ratio 4 MB/1 MB near 4 and 16 MB/1 MB near 16 for every input; 1 MB well under 15 s";

/** Each input: a unit repeated (or lines generated) to the size asked. */
const INPUTS: Array<[string, (bytes: number) => string]> = [
  ["digit groups `6222 6222 …`", repeat("6222 ")],
  ["one run of digits", repeat("1")],
  ["digits and dashes `138-0013-8`", repeat("138-0013-8")],
  ["full-width digits", repeat("１３８")],
  ["digits between zero-width spaces", repeat("1\u200b3\u200b8\u200b")],
  ["escaped digits `\\u0031\\x38`", repeat("\\u0031\\x38")],
  ["dotted quads `1.2.3.4.`", repeat("1.2.3.4.")],
  ["version words and quads", repeat("version: 10.12.3.4.")],
  ["colons and hex `1:a:`", repeat("1:a:")],
  ["at signs `a@a.`", repeat("a@a.")],
  ["local-part characters `a.b_`", repeat("a.b_")],
  ["card keyword and digits `卡号6222`", repeat("卡号6222 ")],
  ["phone keyword and digits `tel 010-`", repeat("tel 010-")],
  ["passport keyword `passport E1`", repeat("passport E1")],
  ["key headers without an end", repeat("-----BEGIN PRIVATE KEY-----\n")],
  ["token prefixes `ghp_`", repeat("ghp_")],
  ["ordinary log lines", lines(ordinaryLine)],
  ["a value on every line", lines(valueLine)],
];

function repeat(unit: string): (bytes: number) => string {
  return (bytes) => unit.repeat(Math.ceil(bytes / Buffer.byteLength(unit))).slice(0, bytes);
}

function lines(line: (i: number) => string): (bytes: number) => string {
  return (bytes) => {
    const out: string[] = [];
    let size = 0;
    for (let i = 0; size < bytes; i++) {
      const text = line(i) + "\n";
      out.push(text);
      size += text.length;
    }
    return out.join("");
  };
}

const pad = (n: number, width: number) => String(n).padStart(width, "0");

function ordinaryLine(i: number): string {
  return `2026-11-25T10:${pad(i % 60, 2)}:${pad((i * 7) % 60, 2)}.${pad(i % 1000, 3)}+08:00 INFO [exec-${i % 64}] c.a.p.Gateway - request handled status=200 user=u${i % 100000} took ${i % 500}ms order=ORD${pad(i, 16)}`;
}

/** Valid values of every kind, in turn: each line holds one. */
const VALUES = [
  "13800138000",
  "110101199003074573",
  "6222600260001072444",
  "zhang.wei@acme-bank.cn",
  "10.12.3.4",
  "2001:db8::8a2e:370:7334",
];

function valueLine(i: number): string {
  return `2026-11-25T10:00:00.000+08:00 WARN [exec-${i % 64}] c.a.p.Gateway - caller ${VALUES[i % VALUES.length]} retry ${i}`;
}

/**
 * CPU seconds of this process (the machine is shared: wall time counts the time others hold
 * the cores, CPU time only the work done), and wall seconds beside them.
 */
function timed<T>(work: () => T): { value: T; cpu: number; wall: number } {
  const wall = performance.now();
  const cpu = process.cpuUsage();
  const value = work();
  const used = process.cpuUsage(cpu);
  return { value, cpu: (used.user + used.system) / 1e6, wall: (performance.now() - wall) / 1000 };
}

function scanSeconds(text: string): { seconds: number; wall: number; hits: number } {
  const {
    value: hits,
    cpu,
    wall,
  } = timed(() => {
    let found = 0;
    const masker = new StreamMasker({ scanOnly: true, onHit: () => void found++ });
    for (let at = 0; at < text.length; at += MB) masker.push(text.slice(at, at + MB));
    masker.end();
    return found;
  });
  return { seconds: cpu, wall, hits };
}

const PACK = new URL("../policies/finance/", import.meta.url);
const pack = new Map(
  readdirSync(PACK).map((n) => [`policies/${n}`, readFileSync(new URL(n, PACK), "utf8")]),
);

/** A pull request adding the text as 1 MB logs under an incident folder, judged whole. */
async function judgeSeconds(text: string): Promise<{ seconds: number; wall: number }> {
  const head = new Map(pack);
  const changed: ChangedFile[] = [];
  for (let at = 0, n = 0; at < text.length; at += MB, n++) {
    const path = `incidents/INC-2026-0001/part-${n}.log`;
    head.set(path, text.slice(at, at + MB));
    changed.push({ path, status: "added" });
  }
  const who = { name: "dev", email: "dev@bank.example", date: new Date(0) };
  const snapshot: Snapshot = {
    repo: "acme/bench",
    author: "example-wang-jun",
    base: { sha: "b".repeat(40), files: pack },
    head: { sha: "a".repeat(40), files: head },
    changed,
    commits: [{ sha: "c".repeat(40), parents: [], author: who, committer: who, message: "m" }],
    approvals: [],
    teams: {},
    labels: [],
    checks: {},
    now: new Date("2026-03-03T15:00:00Z"),
  };
  forgetLoadedPolicies();
  const wall = performance.now();
  const cpu = process.cpuUsage();
  await evaluate(snapshot);
  const used = process.cpuUsage(cpu);
  return {
    seconds: (used.user + used.system) / 1e6,
    wall: (performance.now() - wall) / 1000,
  };
}

const fmt = (s: number) => `${s.toFixed(2).padStart(6)} s`;

export async function run(): Promise<void> {
  console.log(
    `sizes: ${SIZES.join(", ")} MB; scan = core scanner, judge = evaluate (whole judgement); times and ratios in CPU seconds`,
  );
  // Warm up (the JIT compiles the detectors' hot paths), so that 1 MB is not timed cold.
  for (const [, make] of INPUTS) {
    const text = make(MB / 4);
    scanSeconds(text);
    await judgeSeconds(text);
  }
  let worst = 0;
  for (const [name, make] of INPUTS) {
    const cells: string[] = [];
    const scans: number[] = [];
    const judges: number[] = [];
    for (const size of SIZES) {
      const text = make(size * MB);
      const scan = scanSeconds(text);
      const judge = await judgeSeconds(text);
      scans.push(scan.seconds);
      judges.push(judge.seconds);
      cells.push(
        `${String(size).padStart(2)} MB scan ${fmt(scan.seconds)} CPU (${(size / scan.seconds).toFixed(1)} MB/s; wall ${fmt(scan.wall)}; ${scan.hits} hits)  judge ${fmt(judge.seconds)} CPU (wall ${fmt(judge.wall)})`,
      );
    }
    const ratio = (times: number[]) =>
      times
        .slice(1)
        .map((t) => (t / (times[0] || 1e-9)).toFixed(1))
        .join("/");
    const perMb = (times: number[]) =>
      Math.max(...times.map((t, i) => t / (SIZES[i] ?? 1))) / ((times[0] ?? 0) / (SIZES[0] ?? 1));
    // Below 0.1 s at 1 MB, the clock's grain and a stray collection outweigh the work.
    for (const times of [scans, judges]) {
      if ((times[0] ?? 0) >= 0.1) worst = Math.max(worst, perMb(times));
    }
    console.log(
      `${name}\n  ${cells.join("\n  ")}\n  ratio scan ${ratio(scans)}, judge ${ratio(judges)}`,
    );
  }
  console.log(
    `worst CPU time per MB at a larger size over that at ${SIZES[0]} MB (inputs taking 0.1 s or more at ${SIZES[0]} MB): ${worst.toFixed(2)} (1 is linear)`,
  );
  console.log(`targets: ${TARGET}`);
}
