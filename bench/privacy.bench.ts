/**
 * `npm run bench -- privacy`: how fast `gatehouse scan` and `gatehouse mask` run on a large log,
 * how much memory they need, whether they find everything (recall) and nothing else (false
 * positives) on labelled data, and how GNU `grep -P -c` with the raw patterns compares.
 *
 * The log is generated from a seeded random source: realistic application lines with personal
 * data in a few percent of them and decoys (order numbers, timestamps, UUIDs, hashes, amounts,
 * versions, numbers failing their checksum) in many more. Every planted value is labelled with
 * its line, column and detector; the labels are regenerated in lockstep to check the hits, so
 * nothing of the 200 MB is held in memory.
 */
import { spawn, spawnSync } from "node:child_process";
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { once } from "node:events";
import { StreamMasker } from "../src/core/privacy/stream-masker.js";
import type { DetectorCode } from "../src/core/privacy/detector.js";

const MB = 1024 * 1024;
const LOG_MB = Number(process.env.PRIVACY_BENCH_MB ?? 200);
const BIG_REPEAT = Number(process.env.PRIVACY_BENCH_REPEAT ?? 5);

/** A small, fast, seeded PRNG (mulberry32), so the log and its labels can be regenerated. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Label {
  line: number;
  column: number;
  detector: DetectorCode;
}

/** One entry of the log: its text (one or more lines, ending with a newline) and its labels. */
interface Entry {
  text: string;
  labels: Label[];
  lines: number;
}

const PROVINCES = [
  11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 44, 50, 51, 61,
];
const DECOY_PROVINCES = [11, 12, 13, 14, 15, 21, 22, 23, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53];
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const NAMES = ["zhang.wei", "li.na", "wang.fang", "liu.yang", "chen.jie", "zhao.min", "sun.li"];
const DOMAINS = ["acme-bank.example", "mail.example.cn", "corp.example.com"];
const LEVELS = ["INFO", "INFO", "INFO", "DEBUG", "WARN", "ERROR"];
const LOGGERS = ["c.acme.pay.TransferService", "c.acme.core.AccountDao", "o.s.web.Dispatcher"];
const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

export class LogGenerator {
  private line = 1;
  private readonly rnd: () => number;
  constructor(seed: number) {
    this.rnd = random(seed);
  }
  private int(n: number): number {
    return Math.floor(this.rnd() * n);
  }
  private pick<T>(list: readonly T[]): T {
    return list[this.int(list.length)] as T;
  }
  private digits(n: number): string {
    let s = "";
    for (let i = 0; i < n; i++) s += String(this.int(10));
    return s;
  }
  private hex(n: number): string {
    let s = "";
    for (let i = 0; i < n; i++) s += "0123456789abcdef"[this.int(16)];
    return s;
  }
  private alnum(n: number): string {
    let s = "";
    for (let i = 0; i < n; i++) s += ALNUM[this.int(ALNUM.length)];
    return s;
  }
  private luhnComplete(body: string, valid: boolean): string {
    for (let d = 0; d < 10; d++) {
      const n = body + String(d);
      let sum = 0;
      for (let i = 0; i < n.length; i++) {
        let v = n.charCodeAt(n.length - 1 - i) - 48;
        if (i % 2 === 1) v = v * 2 > 9 ? v * 2 - 9 : v * 2;
        sum += v;
      }
      if ((sum % 10 === 0) === valid) return n;
    }
    return body + "0";
  }
  private residentId(provinces: number[], valid: boolean): string {
    const year = 1950 + this.int(55);
    const month = 1 + this.int(12);
    const day = 1 + this.int(28);
    const body =
      String(this.pick(provinces)) +
      String(1 + this.int(9)).padStart(2, "0") +
      String(1 + this.int(20)).padStart(2, "0") +
      String(year) +
      String(month).padStart(2, "0") +
      String(day).padStart(2, "0") +
      this.digits(3);
    let sum = 0;
    for (let i = 0; i < 17; i++) sum += (body.charCodeAt(i) - 48) * (ID_WEIGHTS[i] ?? 0);
    const check = "10X98765432"[sum % 11] ?? "0";
    const wrong = "10X98765432"[(sum + 1 + this.int(9)) % 11] ?? "1";
    return body + (valid ? check : wrong);
  }

  /** Personal data: [prefix text, value, detector]. */
  private personal(): [string, string, DetectorCode] {
    switch (this.int(10)) {
      case 0:
        return ["customer mobile=", "1" + String(3 + this.int(7)) + this.digits(9), "cn-mobile"];
      case 1:
        return [
          "contact tel ",
          `+86 1${3 + this.int(7)}${this.digits(1)} ${this.digits(4)} ${this.digits(4)}`,
          "cn-mobile",
        ];
      case 2:
        return ["idNo=", this.residentId(PROVINCES, true), "cn-id"];
      case 3:
        return [
          "pay card ",
          this.luhnComplete("622202" + this.digits(9 + 3 * this.int(2)), true),
          "bank-card",
        ];
      case 4:
        // 19 digits: an 18-digit one could also be a valid resident ID, which it would be read as.
        return ["卡号:", this.luhnComplete("62" + this.digits(16), false), "bank-card"];
      case 5:
        return ["notify ", `${this.pick(NAMES)}${this.int(100)}@${this.pick(DOMAINS)}`, "email"];
      case 6:
        return ["client ip ", `10.${this.int(256)}.${this.int(256)}.${1 + this.int(254)}`, "ipv4"];
      case 7:
        return ["peer [", `2001:db8:${this.hex(4)}::${this.hex(3)}:${this.int(9)}`, "ipv6"];
      case 8:
        return ["passport no. ", `E${this.digits(8)}`, "passport"];
      default:
        return ["auth header token ", `ghp_${this.alnum(36)}`, "token"];
    }
  }

  /** Decoys that must not fire. */
  private decoy(nearKeyword = false): string {
    // A 62-prefixed number right after a card keyword is a card by the rules; not a decoy there.
    const kind = this.int(12);
    switch (nearKeyword && kind === 10 ? 11 : kind) {
      case 0:
        return `order ORD${this.digits(16)} created`;
      case 1:
        return `orderNo=2026${this.digits(16)}`;
      case 2:
        return `amount=${this.int(100000000)}.${this.digits(2)} CNY`;
      case 3:
        return `ts=17${this.digits(11)} elapsed=${this.int(900)}ms`;
      case 4:
        return `trace=${this.hex(8)}-${this.hex(4)}-4${this.hex(3)}-a${this.hex(3)}-${this.hex(12)}`;
      case 5:
        return `sha256=${this.hex(64)} commit ${this.hex(40)}`;
      case 6:
        return `loaded requests==${this.int(9)}.${this.int(20)}.${this.int(20)}.${this.int(9)} version: ${this.int(9)}.${this.int(9)}.${this.int(99)}.${this.int(9)}`;
      case 7:
        return `ref ${this.residentId(DECOY_PROVINCES, false)} rejected`;
      case 8:
        return `batch ${this.luhnComplete("4" + this.digits(14), false)} retry`;
      case 9:
        return `seq=12${this.digits(9)} port=${8000 + this.int(1000)}`;
      case 10:
        return `refund ${this.luhnComplete("62" + this.digits(16), false)} queued`;
      default:
        return `window 13:${this.int(60)}:${this.int(60)} netmask 255.255.255.0`;
    }
  }

  /** The next entry of the log. */
  next(): Entry {
    const labels: Label[] = [];
    const hour = String(this.int(24)).padStart(2, "0");
    let text =
      `2026-11-25T${hour}:${String(this.int(60)).padStart(2, "0")}:${String(this.int(60)).padStart(2, "0")}.` +
      `${this.digits(3)}+08:00 ${this.pick(LEVELS)} [exec-${this.int(64)}] ${this.pick(LOGGERS)} - `;
    const roll = this.rnd();
    if (roll < 0.0005) {
      const key = `-----BEGIN RSA PRIVATE KEY-----\n${this.alnum(64)}\n${this.alnum(64)}\n-----END RSA PRIVATE KEY-----`;
      text += "key material follows\n";
      labels.push({ line: this.line + 1, column: 1, detector: "private-key" });
      text += key + "\n";
      const lines = 5;
      this.line += lines;
      return { text, labels, lines };
    }
    if (roll < 0.06) {
      const [prefix, value, detector] = this.personal();
      text += prefix;
      labels.push({ line: this.line, column: text.length + 1, detector });
      text += value + (prefix.endsWith("[") ? "]:443" : "") + " " + this.decoy(true);
    } else if (roll < 0.5) {
      text += this.decoy();
    } else {
      text += `request handled status=200 user=u${this.int(100000)} took ${this.int(500)}ms`;
    }
    text += "\n";
    this.line += 1;
    return { text, labels, lines: 1 };
  }
}

/** Writes about `mb` megabytes of log to `path`; returns the number of labels planted. */
async function writeLog(path: string, mb: number): Promise<number> {
  const out = createWriteStream(path);
  const gen = new LogGenerator(42);
  let size = 0;
  let labels = 0;
  let batch: string[] = [];
  while (size < mb * MB) {
    const entry = gen.next();
    batch.push(entry.text);
    size += Buffer.byteLength(entry.text);
    labels += entry.labels.length;
    if (batch.length === 2000) {
      if (!out.write(batch.join(""))) await once(out, "drain");
      batch = [];
    }
  }
  out.end(batch.join(""));
  await once(out, "finish");
  return labels;
}

/** Streams the file through the core scanner and checks every hit against the regenerated labels. */
async function accuracy(
  path: string,
  planted: number,
): Promise<{ recall: number; falsePositives: number; hits: number }> {
  const gen = new LogGenerator(42);
  let pending: Label[] = [];
  let matched = 0;
  let falsePositives = 0;
  let hits = 0;
  let generatedLines = 0;
  const expectedAt = (line: number): Label[] => {
    while (generatedLines < line) {
      const entry = gen.next();
      pending = pending.filter((l) => l.line >= generatedLines - 10);
      pending.push(...entry.labels);
      generatedLines += entry.lines;
    }
    return pending;
  };
  const masker = new StreamMasker({
    scanOnly: true,
    onHit: (hit) => {
      hits++;
      const labels = expectedAt(hit.line);
      const i = labels.findIndex(
        (l) => l.line === hit.line && l.column === hit.column && l.detector === hit.detector,
      );
      if (i === -1) falsePositives++;
      else {
        matched++;
        labels.splice(i, 1);
      }
    },
  });
  for await (const chunk of createReadStream(path, { encoding: "utf8", highWaterMark: MB })) {
    masker.push(chunk as string);
  }
  masker.end();
  return { recall: planted === 0 ? 1 : matched / planted, falsePositives, hits };
}

const root = fileURLToPath(new URL("..", import.meta.url));

/** Runs `gatehouse` in a child process; returns seconds and the child's peak RSS in MB. */
async function runCli(
  args: string[],
  stdinFrom?: { path: string; times: number },
): Promise<{ seconds: number; cpuSeconds: number; peakMb: number; code: number }> {
  // seconds: the command itself, measured in the child (without Node and tsx starting up and
  // transpiling); cpuSeconds: the child's whole CPU time, start-up included, which a busy
  // shared machine inflates less than wall time.
  const script =
    `import { main } from ${JSON.stringify(join(root, "src/cli/main.ts"))};` +
    // Load (and, under tsx, transpile) the command first: the built CLI does not pay for that.
    `await import(${JSON.stringify(join(root, `src/cli/commands/${args[0]}.ts`))});` +
    `const t0 = performance.now();` +
    `const code = await main(${JSON.stringify(args)});` +
    `const seconds = (performance.now() - t0) / 1000;` +
    `const cpu = process.cpuUsage();` +
    `process.stderr.write("\\nBENCH " + JSON.stringify({ code, seconds, maxRSS: process.resourceUsage().maxRSS, cpu: (cpu.user + cpu.system) / 1e6 }) + "\\n");`;
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
    cwd: root,
    stdio: [stdinFrom ? "pipe" : "ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  if (stdinFrom && child.stdin) {
    for (let i = 0; i < stdinFrom.times; i++) {
      for await (const chunk of createReadStream(stdinFrom.path, { highWaterMark: MB })) {
        if (!child.stdin.write(chunk)) await once(child.stdin, "drain");
      }
    }
    child.stdin.end();
  }
  await once(child, "close");
  const report = /BENCH (\{.*\})/.exec(stderr)?.[1];
  if (!report) throw new Error(`gatehouse ${args.join(" ")} failed: ${stderr.slice(0, 500)}`);
  const { code, seconds, maxRSS, cpu } = JSON.parse(report) as {
    code: number;
    seconds: number;
    maxRSS: number;
    cpu: number;
  };
  return { seconds, cpuSeconds: cpu, peakMb: maxRSS / 1024, code };
}

/** Equivalent raw patterns for `grep -P`: the same families, without the validators. */
const GREP_PATTERN = [
  String.raw`(?<![\dA-Za-z])(?:\+86[ -]?)?1[3-9]\d(?:[ -]?\d{4}){2}(?!\d)`,
  String.raw`(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])`,
  String.raw`(?<![\dA-Za-z])\d{13,19}(?![\dA-Za-z])`,
  String.raw`[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}`,
  String.raw`(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w.])`,
  String.raw`[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{0,4}){2,7}`,
  String.raw`(?:passport|护照)\D{0,20}[A-Z]{1,2}\d{6,8}`,
  String.raw`-----BEGIN [A-Z ]*PRIVATE KEY-----|gh[pousr]_[A-Za-z0-9]{36}|AKIA[0-9A-Z]{16}`,
].join("|");

function timeGrep(path: string): { seconds: number; count: string } | null {
  const started = performance.now();
  const result = spawnSync("grep", ["-P", "-c", GREP_PATTERN, path], { encoding: "utf8" });
  if (result.error || (result.status !== 0 && result.status !== 1)) return null;
  return { seconds: (performance.now() - started) / 1000, count: result.stdout.trim() };
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "gatehouse-privacy-bench-"));
  try {
    const log = join(dir, "app.log");
    const planted = await writeLog(log, LOG_MB);
    const size = statSync(log).size / MB;
    console.log(`log: ${size.toFixed(0)} MB, ${planted} labelled values`);

    const acc = await accuracy(log, planted);
    console.log(
      `accuracy (core, labelled data): recall ${(acc.recall * 100).toFixed(2)}%, ` +
        `false positives ${acc.falsePositives} (of ${acc.hits} hits)`,
    );

    const rate = (mb: number, run: { seconds: number; cpuSeconds: number }): string =>
      `${(mb / run.seconds).toFixed(1)} MB/s (${(mb / run.cpuSeconds).toFixed(1)} MB/s of CPU time, start-up included)`;
    const scan = await runCli(["scan", log, "--format", "json"]);
    console.log(
      `scan: ${rate(size, scan)}, peak RSS ${scan.peakMb.toFixed(0)} MB, exit ${scan.code}`,
    );
    const mask = await runCli(["mask", log, "--output", join(dir, "masked.log")]);
    console.log(`mask: ${rate(size, mask)}, peak RSS ${mask.peakMb.toFixed(0)} MB`);
    rmSync(join(dir, "masked.log"), { force: true });

    const grep = timeGrep(log);
    if (grep) {
      const grepRate = size / grep.seconds;
      console.log(
        `grep -P -c: ${grepRate.toFixed(1)} MB/s (${grep.count} matching lines); ` +
          `gatehouse/grep: scan ${(size / scan.seconds / grepRate).toFixed(2)}, mask ${(size / mask.seconds / grepRate).toFixed(2)}`,
      );
    } else {
      console.log("grep -P -c: not available here (GNU grep with PCRE needed)");
    }

    const big = await runCli(["mask", "-", "--output", "/dev/null"], {
      path: log,
      times: BIG_REPEAT,
    });
    const bigMb = size * BIG_REPEAT;
    console.log(
      `mask ${(bigMb / 1024).toFixed(2)} GB from stdin: ${rate(bigMb, big)}, peak RSS ${big.peakMb.toFixed(0)} MB`,
    );
    console.log(
      "targets: scan and mask >= 50 MB/s, peak RSS < 150 MB on 1 GB, recall 100%, 0 false positives",
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
