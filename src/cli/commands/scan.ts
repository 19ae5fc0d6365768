import { createReadStream, existsSync } from "node:fs";
import { open, readdir, stat } from "node:fs/promises";
import { join, relative, resolve, sep } from "node:path";
import { DETECTORS } from "../../core/privacy/detector.js";
import type { ScanOptions } from "../../core/privacy/find-hits.js";
import type { Hit } from "../../core/privacy/scan-text.js";
import type { Command } from "../command.js";
import { EXIT, UsageError } from "../errors.js";
import type { CliIO } from "../io.js";
import { privacyOptions } from "../privacy-options.js";
import { scanStream } from "../stream-mask.js";

const SKIPPED_DIRS = new Set([".git", "node_modules"]);
/** A NUL byte in the first bytes marks a binary file, as git and grep decide. */
const BINARY_PROBE = 8000;

export const command: Command = {
  name: "scan",
  summary: "Find personal data (IDs, cards, phones, addresses, secrets) in files",
  usage: "gatehouse scan [PATH...|-] [--format text|json] [--policy FILE]",
  details: `Arguments:
  PATH...          Files or directories to scan (default: the current directory); - reads
                   standard input. Directories are walked, skipping .git, node_modules and
                   binary files.

Options:
  --format FORMAT  text (default): one line per finding, path:line:column detector
                   (confidence) masked-value; json: {"findings": [...], "count": N}.
  --policy FILE    A privacy.yml whose detectors and allow-list to apply (default:
                   policies/privacy.yml of the current directory, when it exists).

Values are only ever shown masked. Exit status: 0 when nothing is found, 1 when personal
data is found, 2 for a usage error.`,
  options: { format: { type: "string" }, policy: { type: "string" } },
  allowPositionals: true,
  async run(args, io) {
    const format = (args.values.format as string | undefined) ?? "text";
    if (format !== "text" && format !== "json") {
      throw new UsageError(`--format must be text or json, not "${format}".`);
    }
    const options = await scanOptions(args.values.policy as string | undefined, io);
    const targets = args.positionals.length === 0 ? ["."] : args.positionals;
    const out = new BlockWriter(io);
    const report = reporter(format, out);
    let count = 0;
    for (const target of targets) {
      if (target === "-") {
        count += await scanStream(io.stdin, { ...options, onHit: (hit) => report("-", hit) });
        continue;
      }
      const root = resolve(io.cwd, target);
      for (const file of await filesOf(root, target)) {
        // Paths as the user typed them, so they can be pasted back into an editor or a command.
        const below = relative(root, file).split(sep).join("/");
        const shown = below === "" ? target : `${target.replace(/\/+$/, "")}/${below}`;
        const input = createReadStream(file, { highWaterMark: 64 * 1024 });
        count += await scanStream(input, { ...options, onHit: (hit) => report(shown, hit) });
      }
    }
    if (format === "json") out.write(`${count === 0 ? "" : "\n"}], "count": ${count}}\n`);
    out.flush();
    if (count > 0 && format === "text") {
      io.stderr.write(
        `gatehouse scan: ${count} ${count === 1 ? "value" : "values"} of personal data found; desensitise with 'gatehouse mask'.\n`,
      );
    }
    return count > 0 ? EXIT.blocked : EXIT.clear;
  },
};

async function scanOptions(policy: string | undefined, io: CliIO): Promise<ScanOptions> {
  if (policy !== undefined) return privacyOptions(resolve(io.cwd, policy), io.cwd);
  const standard = join(io.cwd, "policies", "privacy.yml");
  return existsSync(standard) ? privacyOptions(standard, io.cwd) : {};
}

/** Collects output lines and writes them in blocks: a scan of a large log may find a lot. */
class BlockWriter {
  private parts: string[] = [];
  private size = 0;
  constructor(private readonly io: CliIO) {}
  write(text: string): void {
    this.parts.push(text);
    this.size += text.length;
    if (this.size >= 64 * 1024) this.flush();
  }
  flush(): void {
    if (this.parts.length > 0) this.io.stdout.write(this.parts.join(""));
    this.parts = [];
    this.size = 0;
  }
}

/** Prints hits as they come, so a large scan needs no memory for its findings. */
function reporter(format: "text" | "json", out: BlockWriter): (path: string, hit: Hit) => void {
  if (format === "text") {
    return (path, hit) =>
      out.write(
        `${path}:${hit.line}:${hit.column} ${hit.detector} (${hit.confidence.toFixed(2)}) ${hit.masked}\n`,
      );
  }
  out.write(`{"findings": [`);
  let first = true;
  return (path, hit) => {
    const finding = {
      path,
      line: hit.line,
      column: hit.column,
      code: `privacy/${hit.detector}`,
      detector: hit.detector,
      title: DETECTORS[hit.detector].title,
      confidence: hit.confidence,
      masked: hit.masked,
    };
    out.write(`${first ? "\n" : ",\n"}  ${JSON.stringify(finding)}`);
    first = false;
  };
}

/** The text files of a path: itself, or everything under it except .git, node_modules and binaries. */
async function filesOf(path: string, shown: string): Promise<string[]> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new UsageError(
      `cannot read ${shown}: there is no such file or directory. Check the path.`,
    );
  }
  if (info.isFile()) return [path];
  if (!info.isDirectory()) throw new UsageError(`${shown} is neither a file nor a directory.`);
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) await walk(full);
      } else if (entry.isFile() && !(await isBinary(full))) {
        out.push(full);
      }
    }
  };
  await walk(path);
  return out;
}

async function isBinary(file: string): Promise<boolean> {
  const handle = await open(file, "r");
  try {
    const probe = Buffer.alloc(BINARY_PROBE);
    const { bytesRead } = await handle.read(probe, 0, BINARY_PROBE, 0);
    return probe.subarray(0, bytesRead).includes(0);
  } finally {
    await handle.close();
  }
}
