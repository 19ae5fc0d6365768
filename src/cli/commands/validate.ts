import { verdictMasker } from "../../core/privacy/mask-verdict.js";
import { existsSync, statSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { join, relative, resolve, sep } from "node:path";
import { loadPolicy } from "../../core/policy/load-policy.js";
import { CONFIG_PATH } from "../../core/policy/load-config.js";
import type { Config } from "../../core/policy/model.js";
import { parseRecord, recordKindForPath } from "../../core/records/parse-record.js";
import { isRecordFile } from "../../core/records/record-place.js";
import { workTreeFiles } from "../../git/work-tree-files.js";
import { readWorkTreeFile, workTreeText, type NotTextFile } from "../work-tree-text.js";
import { notTextMessage } from "../../git/decode-text.js";
import { sharedIds } from "../../core/records/record-ids.js";
import type { Finding } from "../../core/types.js";
import { readWorkingPolicyFiles } from "../../git/keys-at-ref.js";
import type { Command } from "../command.js";
import { ConfigError, EXIT } from "../errors.js";
import { policyFileFindings, recordFindings } from "../policy-file-findings.js";
import { loadRepositoryConfig } from "../repository-config.js";
import { repositoryDir } from "../repository-dir.js";
import { parseNow } from "../parse-now.js";
import { gateParity } from "../validate/gate-parity.js";

export const command: Command = {
  name: "validate",
  summary: "Check before you push what the gate would refuse: policy, records, personal data",
  usage: "gatehouse validate [--repo DIR] [--now ISO] [PATH...]",
  details: `Arguments:
  PATH...      Files or directories to report on (default: the whole repository). The
               policy is always checked.

Options:
  --repo DIR   The repository (default: the one the current directory is in).
  --now ISO    Judge as of this time, ISO 8601 with an offset (default: now).

Says "valid" only when the gate would not refuse the working tree if it were pushed:
  - the configuration, roles, OWNERS, workflows, calendar, privacy and keys/ load, the
    roles no longer hold the example members 'gatehouse init' wrote, and required
    signatures have at least one trusted key;
  - every record matches its schema (no template placeholder left), is in a state its
    workflow knows, and has a window that ends after it starts;
  - no file the privacy policy scans holds personal data (every such file, not only
    changed ones);
  - in a git clone, the working tree (committed or not) is judged against the default
    branch as 'gatehouse check' judges a pull request: transitions, complete sections,
    conditions, windows and freezes, deployments, the signatures of your commits.
    Missing approvals are not mistakes and are not reported; your uncommitted changes
    are not expected to be signed yet.

Prints one line per problem, as path:line:column message (path: message when it is about a
commit rather than a line). Exit status: 0 when everything is valid, 1 when there are
problems, 2 for a usage or configuration error.`,
  options: { repo: { type: "string" }, now: { type: "string" } },
  allowPositionals: true,
  async run(args, io) {
    const repo = await repositoryDir(io.cwd, args.values.repo as string | undefined);
    if (!existsSync(repo) || !statSync(repo).isDirectory()) {
      throw new ConfigError(`${repo} is not a directory; pass --repo with the repository's path.`);
    }
    // An invalid configuration gives the defaults here; loadPolicy reports its findings.
    const { config, text } = await loadRepositoryConfig(repo);
    const { files: policyFiles, notText } = await readPolicyFiles(repo, config, text);
    const load = loadPolicy(policyFiles);
    const findings: Finding[] = [...notText, ...load.findings];
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
        if (isRecordFile(path, await workTreeText(repo, path), config)) paths.add(path);
        // A file named on its own that is not a record is a mistake; in a directory, clutter.
        else if (named && files.length === 1 && path === target && !isPolicyPath(path, config)) {
          findings.push(notARecord(path, config));
        }
      }
    }
    for (const path of [...paths].sort()) {
      const text = await readWorkTreeFile(repo, path);
      if (typeof text === "object") {
        notText.push(notTextFinding(path, text));
        continue;
      }
      const record = parseRecord(path, text ?? "", config);
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

    const now = parseNow(args.values.now as string | undefined) ?? new Date();
    const parity = await gateParity(repo, policy, policyFiles, named ? targets : null, now);
    findings.push(...parity.findings);
    if (parity.note !== undefined) {
      io.stderr.write(
        `gatehouse validate: note: ${parity.note}, so the rules that judge a pull request were not applied; the files were checked on their own.\n`,
      );
    }
    // A file that is not text is one problem, said once with its remedy: what the loaders and
    // the gate then find missing or unreadable in it follows from that.
    const unread = new Set(notText.map((f) => f.path));
    const shown = distinct([
      ...notText,
      ...findings.filter((f) => !unread.has(f.path) || f.code === "file/not-text"),
    ]);
    if (shown.length > 0) {
      // Paths, unknown names and quoted values reach findings: shown masked, as every output is.
      const mask = verdictMasker();
      for (const f of shown) io.stdout.write(`${mask(`${place(f)} ${f.message}`)}\n`);
      const n = shown.length;
      io.stderr.write(`gatehouse validate: ${n} ${n === 1 ? "problem" : "problems"} found.\n`);
      return EXIT.blocked;
    }
    const n = paths.size;
    io.stdout.write(`${n} ${n === 1 ? "record" : "records"} and the policy are valid.\n`);
    return EXIT.clear;
  },
};

/** Each finding once: several checks can meet the same mistake (a key file, personal data). */
function distinct(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.path}\0${f.line}\0${f.column}\0${f.code}\0${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** "path:line:col", or "path:" for a finding about no one line (a commit, the whole change). */
function place(f: Finding): string {
  return f.line > 0 ? `${f.path}:${f.line}:${f.column}` : `${f.path}:`;
}

/**
 * The files `loadPolicy` reads, keyed by their path in the repository, as the base commit has
 * them; those that are not text (as the git loader decides) are left out, with a finding each.
 */
async function readPolicyFiles(repo: string, config: Config, configText: string | undefined) {
  const files = new Map<string, string>();
  const notText: Finding[] = [];
  const keysDir = `${config.policies.replace(/\/+$/, "")}/keys`;
  if (configText !== undefined) files.set(CONFIG_PATH, configText);
  const codeowners = existsSync(join(repo, ".github", "CODEOWNERS")) ? [".github/CODEOWNERS"] : [];
  for (const path of [...codeowners, ...(await filesUnder(repo, config.policies))]) {
    const text = await readWorkTreeFile(repo, path);
    if (typeof text === "string") files.set(path, text);
    // A key file that is not text is read as bytes and named by the keyring's own findings.
    else if (text !== undefined && !path.startsWith(`${keysDir}/`)) {
      notText.push(notTextFinding(path, text));
    }
  }
  return { files, notText };
}

function notTextFinding(path: string, file: NotTextFile): Finding {
  const message = notTextMessage(file.notText);
  return { path, line: 1, column: 1, code: "file/not-text", message };
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
