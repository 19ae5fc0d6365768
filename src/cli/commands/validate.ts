import { existsSync, statSync } from "node:fs";
import { readFile, readdir } from "node:fs/promises";
import { join, relative, resolve, sep } from "node:path";
import { loadPolicy } from "../../core/policy/load-policy.js";
import { CONFIG_PATH } from "../../core/policy/load-config.js";
import type { Config } from "../../core/policy/model.js";
import { parseRecord, recordKindForPath } from "../../core/records/parse-record.js";
import { isRecordFile } from "../../core/records/record-place.js";
import { workTreeFiles } from "../../git/work-tree-files.js";
import { sharedIds } from "../../core/records/record-ids.js";
import type { Finding } from "../../core/types.js";
import { readWorkingPolicyFiles } from "../../git/keys-at-ref.js";
import type { Command } from "../command.js";
import { ConfigError, EXIT } from "../errors.js";
import { policyFileFindings, recordFindings } from "../policy-file-findings.js";
import { loadRepositoryConfig } from "../repository-config.js";

export const command: Command = {
  name: "validate",
  summary: "Check the policy files and records of the working tree for mistakes",
  usage: "gatehouse validate [--repo DIR] [PATH...]",
  details: `Arguments:
  PATH...      Record files or directories to check (default: every record of the
               repository): their schema, a state their workflow knows, and a window
               that ends after it starts. The policy is always checked: the
               configuration, roles, OWNERS, workflows, calendar, privacy and keys/.

Options:
  --repo DIR   The repository (default: the current directory).

Prints one line per problem, as path:line:column message. Exit status: 0 when everything is
valid, 1 when there are problems, 2 for a usage or configuration error.`,
  options: { repo: { type: "string" } },
  allowPositionals: true,
  async run(args, io) {
    const repo = resolve(io.cwd, (args.values.repo as string | undefined) ?? ".");
    if (!existsSync(repo) || !statSync(repo).isDirectory()) {
      throw new ConfigError(`${repo} is not a directory; pass --repo with the repository's path.`);
    }
    // An invalid configuration gives the defaults here; loadPolicy reports its findings.
    const { config, text } = await loadRepositoryConfig(repo);
    const policyFiles = await readPolicyFiles(repo, config, text);
    const load = loadPolicy(policyFiles);
    const findings: Finding[] = [...load.findings];
    const keys = (await readWorkingPolicyFiles(repo)).keys;
    findings.push(...(await policyFileFindings(policyFiles, config, keys)));
    const policy = load.ok ? load.policy : null;

    // A record is judged wherever it stands, so without named paths every file of the work
    // tree is a candidate: record folders, look-alikes of them, and record-shaped content.
    const named = args.positionals.length > 0;
    const targets = named ? args.positionals.map((p) => repoPath(repo, resolve(io.cwd, p))) : ["."];
    const paths = new Set<string>();
    for (const target of targets) {
      const files = named ? await filesUnder(repo, target, true) : await workTreeFiles(repo);
      for (const path of files) {
        if (isRecordFile(path, await candidateText(repo, path), config)) paths.add(path);
        // A file named on its own that is not a record is a mistake; in a directory, clutter.
        else if (named && files.length === 1 && path === target && !isPolicyPath(path, config)) {
          findings.push(notARecord(path, config));
        }
      }
    }
    for (const path of [...paths].sort()) {
      const record = parseRecord(path, await readFile(join(repo, path), "utf8"), config);
      findings.push(...record.findings, ...recordFindings(record, policy));
    }
    // An id names one record: look across every record of the repository, named or not
    // (without named paths, `paths` already holds them all).
    const allRecords =
      args.positionals.length === 0
        ? [...paths].filter((path) => recordKindForPath(path, config) !== null)
        : (await Promise.all(Object.values(config.records).map((dir) => filesUnder(repo, dir))))
            .flat()
            .filter((path) => recordKindForPath(path, config) !== null);
    for (const [id, files] of sharedIds(allRecords)) {
      for (const path of files.filter((p) => paths.has(p))) {
        const others = files.filter((p) => p !== path);
        findings.push({
          path,
          line: 1,
          column: 1,
          code: "record/duplicate-id",
          message: `${id} is also the id of ${others.join(" and ")}; an id names one record only, so renumber the newer one (its file name and its id)`,
        });
      }
    }

    if (findings.length > 0) {
      for (const f of findings) io.stdout.write(`${f.path}:${f.line}:${f.column} ${f.message}\n`);
      const n = findings.length;
      io.stderr.write(`gatehouse validate: ${n} ${n === 1 ? "problem" : "problems"} found.\n`);
      return EXIT.blocked;
    }
    const n = paths.size;
    io.stdout.write(`${n} ${n === 1 ? "record" : "records"} and the policy are valid.\n`);
    return EXIT.clear;
  },
};

/** Bigger files are never records (the loaders leave them out of a snapshot as well). */
const MAX_CANDIDATE_BYTES = 5 * 1024 * 1024;

/** The text of a file that might declare a record kind, or undefined (gone, big or binary). */
async function candidateText(repo: string, path: string): Promise<string | undefined> {
  try {
    const absolute = join(repo, path);
    if (statSync(absolute).size > MAX_CANDIDATE_BYTES) return undefined;
    const bytes = await readFile(absolute);
    if (bytes.subarray(0, 8000).includes(0)) return undefined;
    return bytes.toString("utf8");
  } catch {
    return undefined;
  }
}

/** The files `loadPolicy` reads, keyed by their path in the repository, as the base commit has them. */
async function readPolicyFiles(repo: string, config: Config, configText: string | undefined) {
  const files = new Map<string, string>();
  if (configText !== undefined) files.set(CONFIG_PATH, configText);
  const codeowners = join(repo, ".github", "CODEOWNERS");
  if (existsSync(codeowners)) files.set(".github/CODEOWNERS", await readFile(codeowners, "utf8"));
  for (const path of await filesUnder(repo, config.policies)) {
    files.set(path, await readFile(join(repo, path), "utf8"));
  }
  return files;
}

/** Files at or under a repository path, as "/"-separated repository paths. */
async function filesUnder(repo: string, path: string, required = false): Promise<string[]> {
  const absolute = join(repo, path);
  if (!existsSync(absolute)) {
    if (required) throw new ConfigError(`${path} does not exist in ${repo}; check the path.`);
    return [];
  }
  if (statSync(absolute).isFile()) return [path];
  const entries = await readdir(absolute, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => repoPath(repo, join(e.parentPath, e.name)))
    .sort();
}

function repoPath(repo: string, absolute: string): string {
  const path = relative(repo, absolute);
  if (path.startsWith("..")) {
    throw new ConfigError(`${absolute} is outside the repository ${repo}; name files inside it.`);
  }
  return path.split(sep).join("/");
}

function isPolicyPath(path: string, config: Config): boolean {
  return path.startsWith(`${config.policies}/`) || path.startsWith(".github/");
}

function notARecord(path: string, config: Config): Finding {
  const dirs = Object.values(config.records)
    .map((d) => `${d}/`)
    .join(", ");
  return {
    path,
    line: 1,
    column: 1,
    code: "record/not-a-record",
    message: `is not a record: records are .yaml files in ${dirs}; move it there or leave it out.`,
  };
}
