import { pathMatcher } from "../../core/paths/path-matcher.js";
import { createReadStream } from "node:fs";
import { open, readdir, stat } from "node:fs/promises";
import { join, relative, resolve, sep } from "node:path";
import { DETECTORS } from "../../core/privacy/detector.js";
import type { ScanOptions } from "../../core/privacy/find-hits.js";
import { scanText, type Hit } from "../../core/privacy/scan-text.js";
import { maskText } from "../../core/privacy/stream-masker.js";
import { AllowSuggestions } from "../allow-suggestions.js";
import type { Command } from "../command.js";
import { EXIT, UsageError } from "../errors.js";
import type { CliIO } from "../io.js";
import { repositoryPrivacyPolicy, scanOptionsOf } from "../privacy-options.js";
import { scanStaged } from "../scan-staged.js";
import { scanStream } from "../stream-mask.js";
import { encodingOf } from "../../git/decode-text.js";

const SKIPPED_DIRS = new Set([".git", "node_modules"]);
/** A NUL byte in the first bytes marks a binary file, as git and grep decide. */
const BINARY_PROBE = 8000;

export const command: Command = {
  name: "scan",
  summary: "Find personal data (IDs, cards, phones, addresses, secrets) in files",
  usage:
    "gatehouse scan [PATH...|-] [--staged] [--format text|json | --suggest-allow] [--policy FILE]",
  details: `Arguments:
  PATH...          Files or directories to scan; - reads standard input. Directories are
                   walked, skipping .git, node_modules and binary files. Without PATH, the
                   files the privacy policy scans (its paths, and the record directories when
                   it sets records: true), found under the current directory as the
                   repository root, as the pull-request gate scans them; without a policy,
                   the whole current directory.

Options:
  --staged         Scan what the next commit records: the staged content of the files it
                   adds or changes (those the privacy policy scans, or under PATH; every
                   one without a policy). The pre-commit hook of 'gatehouse hooks install'
                   runs this.
  --format FORMAT  text (default): one line per finding, path:line:column detector
                   (confidence) masked-value; json: {"findings": [...], "count": N}.
  --policy FILE    A privacy.yml whose detectors, allow-list and paths to apply (default:
                   privacy.yml in the policies directory of the current directory, when it
                   exists).
  --suggest-allow  Print allow-list entries for what is found, as YAML to paste under
                   allow: of privacy.yml: each names its value by a sha256 digest, never by
                   the value. Values that pass every check of real personal data (an ID with
                   its check digit, a mobile number, a card with its Luhn digit, an e-mail
                   address, a key or token) are not offered: desensitise them instead.

File names are scanned as well as contents. Values are only ever shown masked. Exit status: 0 when nothing is found, 1 when personal
data is found, 2 for a usage error.`,
  options: {
    format: { type: "string" },
    policy: { type: "string" },
    staged: { type: "boolean" },
    "suggest-allow": { type: "boolean" },
  },
  allowPositionals: true,
  async run(args, io) {
    const format = (args.values.format as string | undefined) ?? "text";
    if (format !== "text" && format !== "json") {
      throw new UsageError(`--format must be text or json, not "${format}".`);
    }
    const policy = await repositoryPrivacyPolicy(args.values.policy as string | undefined, io);
    const options = policy === null ? {} : scanOptionsOf(policy.policy);
    const suggest = args.values["suggest-allow"] === true;
    if (suggest && args.values.format !== undefined) {
      throw new UsageError(
        "--suggest-allow prints allow-list entries as YAML; leave out --format.",
      );
    }
    const out = new BlockWriter(io);
    const suggestions = new AllowSuggestions();
    const report: Report = suggest
      ? (path, hit, raw) => suggestions.add(maskText(path, options), hit, raw)
      : reporter(format, out, options);
    // A file's name is scanned too: a name holding personal data is committed with it.
    const reportName = (path: string): number => {
      const hits = scanText(path, options);
      for (const hit of hits) report(path, hit, hit.read ?? path.slice(hit.start, hit.end), true);
      return hits.length;
    };
    let count = 0;
    const staged = args.values.staged === true;
    if (staged) {
      const globs = policy === null ? null : policy.globs;
      count += await scanStaged(io.cwd, args.positionals, globs, options, report, reportName);
    } else if (args.positionals.length === 0 && policy !== null) {
      const files = await filesOfPolicy(io.cwd, policy.globs);
      if (files.length === 0) {
        io.stderr.write(
          `gatehouse scan: no file here is in the paths ${policy.shown} scans; name the files to scan, or run it in the repository root.\n`,
        );
      }
      for (const shown of files) {
        count += reportName(shown);
        const input = createReadStream(join(io.cwd, shown), { highWaterMark: 64 * 1024 });
        count += await scanStream(input, { ...options, onHit: (h, raw) => report(shown, h, raw) });
      }
    }
    const targets = staged
      ? []
      : args.positionals.length > 0
        ? args.positionals
        : policy === null
          ? ["."]
          : [];
    for (const target of targets) {
      if (target === "-") {
        count += await scanStream(io.stdin, { ...options, onHit: (h, raw) => report("-", h, raw) });
        continue;
      }
      const root = resolve(io.cwd, target);
      for (const file of await filesOf(root, target)) {
        // Paths as the user typed them, so they can be pasted back into an editor or a command.
        const below = relative(root, file).split(sep).join("/");
        const shown = below === "" ? target : `${target.replace(/\/+$/, "")}/${below}`;
        count += reportName(shown);
        const input = createReadStream(file, { highWaterMark: 64 * 1024 });
        count += await scanStream(input, { ...options, onHit: (h, raw) => report(shown, h, raw) });
      }
    }
    if (suggest) {
      out.write(suggestions.render(policy?.shown ?? "policies/privacy.yml"));
      out.flush();
      return EXIT.clear;
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

/**
 * The text files under `root` that the globs match, as paths relative to it, in a stable
 * order. Directories no glob can reach are still walked: globs may start with a wildcard.
 */
async function filesOfPolicy(root: string, globs: string[]): Promise<string[]> {
  if (globs.length === 0) return [];
  const matches = pathMatcher(globs);
  const out: string[] = [];
  for (const file of await filesOf(root, ".", (path) => matches(relativePath(root, path)))) {
    out.push(relativePath(root, file));
  }
  return out;
}

function relativePath(root: string, file: string): string {
  return relative(root, file).split(sep).join("/");
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
/** Where a hit goes: the path it was found in, the hit, its value as read, whether in the name. */
type Report = (path: string, hit: Hit, raw: string, inName?: boolean) => void;

function reporter(format: "text" | "json", out: BlockWriter, options: ScanOptions): Report {
  // Paths are shown masked, as every output is; one file's hits share one masking.
  let lastPath = "";
  let lastShown = "";
  const shownPath = (path: string): string => {
    if (path !== lastPath) [lastPath, lastShown] = [path, maskText(path, options)];
    return lastShown;
  };
  if (format === "text") {
    return (path, hit, _raw, inName) =>
      out.write(
        `${shownPath(path)}:${hit.line}:${hit.column} ${inName ? "file name: " : ""}${hit.detector} (${hit.confidence.toFixed(2)}) ${hit.masked}\n`,
      );
  }
  out.write(`{"findings": [`);
  let first = true;
  // Written by hand, in the order JSON.stringify of the finding would give: a large log may
  // have a hundred thousand findings, and stringifying an object each time shows in the profile.
  const quoted = new Map<string, string>();
  const quote = (text: string): string => {
    let json = quoted.get(text);
    if (json === undefined) quoted.set(text, (json = JSON.stringify(text)));
    return json;
  };
  return (path, hit, _raw, inName) => {
    const finding =
      `{"path":${quote(shownPath(path))},"line":${hit.line},"column":${hit.column},` +
      `"code":"privacy/${inName ? "name/" : ""}${hit.detector}","detector":"${hit.detector}",` +
      `"title":${quote(DETECTORS[hit.detector].title)},"confidence":${hit.confidence},` +
      `"masked":${JSON.stringify(hit.masked)}}`;
    out.write(`${first ? "\n" : ",\n"}  ${finding}`);
    first = false;
  };
}

/** The text files of a path: itself, or everything under it except .git, node_modules and binaries. */
async function filesOf(
  path: string,
  shown: string,
  wanted: (file: string) => boolean = () => true,
): Promise<string[]> {
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
      } else if (entry.isFile() && wanted(full) && !(await isBinary(full))) {
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
    // UTF-16 text holds NUL bytes, but it is text: scanStream reads it.
    const head = probe.subarray(0, bytesRead);
    return encodingOf(head) === "utf-8" && head.includes(0);
  } finally {
    await handle.close();
  }
}
