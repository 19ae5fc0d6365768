/**
 * The GitHub snapshot loader: everything the core needs to judge one pull request, in as few
 * requests as GitHub allows. One first query brings the pull request with the first page of
 * every connection and the policy files of the base commit; follow-up queries then bring, all
 * at once, the next pages, the blobs of the changed files and the members of the teams the
 * policy names. A pull request with up to 100 files, commits and reviews takes two queries.
 */
import YAML from "yaml";
import { CONFIG_PATH, loadConfig } from "../core/policy/load-config.js";
import { recordKindForPath } from "../core/records/parse-record.js";
import { displayPath } from "../core/paths/path-name.js";
import type { ChangedFile, Login, Snapshot, TeamName } from "../core/types.js";
import type { FollowUpAnswer, PullRequestAnswer } from "./graphql-types.js";
import { changeRecordsOf, needsChangeRecords } from "./change-records.js";
import { PullPages } from "./pull-pages.js";
import type { OwnRun } from "./report-check.js";
import { entryText, flattenTree, treePaths } from "./snapshot-parts.js";
import {
  PULL_REQUEST_QUERY,
  PULL_REQUEST_QUERY_AT,
  followUpQuery,
  isEmptyPlan,
  type FollowUpPlan,
} from "./snapshot-queries.js";

/** The part of an Octokit the loader uses; tests and the CLI hand in their own. */
export interface GraphQLClient {
  graphql<T>(query: string, variables?: Record<string, unknown>): Promise<T>;
}

export interface PullRequestRef {
  owner: string;
  repo: string;
  number: number;
}

export interface LoadOptions {
  /** The policies directory, from the app configuration. */
  policies: string;
  /** Where CODEOWNERS lives when the configuration asks for it. */
  codeowners?: string;
  /** The configuration with `_extends` resolved; replaces a base file that uses `_extends`. */
  resolvedConfig?: Record<string, unknown> | null;
  /**
   * The policies directory that the base commit's `.github/gatehouse.yml` text names; when it
   * is not `policies`, the first query is asked again with it.
   */
  policiesOf?(configText: string | null): string;
  /** Team names the policy in these base files refers to. */
  teamsOf(baseFiles: Map<string, string>): TeamName[];
  /** Previous paths of renamed files (GraphQL does not tell them); asked only when needed. */
  renames?(): Promise<Map<string, string>>;
  /** The name of gatehouse's own check, left out of `checks`. */
  checkName?: string;
  /** The App's id: only its own run of that name is the one to update. */
  appId?: number | undefined;
  /**
   * Judge against this base commit instead of the base branch's tip: a merged pull request is
   * judged again for its evidence against the commit it was merged onto.
   */
  baseAt?: string;
  now?: Date;
}

export interface LoadedPullRequest {
  snapshot: Snapshot;
  state: "OPEN" | "CLOSED" | "MERGED";
  baseRef: string;
  /** GitHub requests this load made, for the request budget and the benchmark. */
  requests: number;
  /** gatehouse's own newest run on the head commit, if any. */
  ownRun: OwnRun | null;
  /** The other open pull requests whose head is this one's head commit. */
  sameHead: Array<{ number: number; base: string }>;
}

/** The most changed files whose blobs one follow-up query fetches (two blobs each). */
const BLOB_FILES_PER_QUERY = 100;
const TEAMS_PER_QUERY = 50;

/** Loads the snapshot of one pull request. Throws when GitHub cannot give it. */
export async function loadSnapshot(
  github: GraphQLClient,
  pull: PullRequestRef,
  options: LoadOptions,
): Promise<LoadedPullRequest> {
  const codeowners = options.codeowners ?? ".github/CODEOWNERS";
  const firstQuery = (policies: string) =>
    github.graphql<PullRequestAnswer>(
      options.baseAt === undefined ? PULL_REQUEST_QUERY : PULL_REQUEST_QUERY_AT,
      {
        owner: pull.owner,
        name: pull.repo,
        number: pull.number,
        policies,
        codeowners,
        ...(options.baseAt === undefined ? {} : { baseAt: options.baseAt }),
      },
    );
  // The base commit: the base branch's tip, or the commit asked for (a merged pull request).
  const baseOf = (answer: PullRequestAnswer) =>
    options.baseAt === undefined
      ? answer.repository?.pullRequest?.baseRef?.target
      : answer.repository?.baseAt;
  let first = await firstQuery(options.policies);
  let requests = 1;
  // The policies directory is a setting of the base commit's configuration: when it is not the
  // one expected, the first query is asked again with the right one (once; then it is known).
  const configured = options.policiesOf?.(entryText(baseOf(first)?.config).text);
  if (configured !== undefined && configured !== options.policies) {
    options = { ...options, policies: configured };
    first = await firstQuery(configured);
    requests += 1;
  }
  const pr = first.repository?.pullRequest;
  if (!first.repository || !pr) {
    throw new Error(`pull request ${pull.owner}/${pull.repo}#${pull.number} was not found.`);
  }
  const target = options.baseAt === undefined ? pr.baseRef?.target : first.repository.baseAt;
  if (!target?.oid) {
    throw new Error(
      options.baseAt === undefined
        ? `the base branch "${pr.baseRefName}" of the pull request no longer exists.`
        : `the commit ${options.baseAt.slice(0, 12)} the pull request was merged onto was not found.`,
    );
  }
  const baseSha = target.oid;
  const headSha = pr.headRefOid;

  const baseFiles = new Map<string, string>();
  // Fail closed: a policy file gatehouse cannot read must not silently drop out of the policy.
  const unreadable: string[] = [];
  for (const [path, node] of [
    [CONFIG_PATH, target.config],
    [codeowners, target.codeowners],
  ] as const) {
    const { text, type } = entryText(node);
    if (type !== null && type !== "file") unreadable.push(path);
    else if (text !== null)
      baseFiles.set(path, path === CONFIG_PATH ? effectiveConfig(text, options) : text);
  }
  // Every file of the keys directory counts: a binary one may be a private key exported
  // without --armor, which must be named, not skipped.
  const keysDir = `${options.policies.replace(/\/+$/, "")}/keys/`;
  unreadable.push(
    ...flattenTree(target.policies?.object, baseFiles).filter(
      (path) => isPolicyRelevant(path) || path.startsWith(keysDir),
    ),
  );
  if (unreadable.length > 0) {
    const keyFile = unreadable.some((path) => path.startsWith(keysDir))
      ? `; a binary file in ${keysDir} may be a private key exported without --armor: if so, remove it from the repository and its history, and rotate it`
      : "";
    throw new Error(
      `${unreadable.slice(0, 3).map(displayPath).join(", ")} in the base commit could not be read as policy (binary, over GitHub's size limit, a symbolic link or submodule entry, or more than three folders deep); keep policy files small regular text files near the top of ${options.policies}/${keyFile}`,
    );
  }

  const acc = new PullPages(pr, options.checkName ?? "gatehouse", {
    openPulls: first.repository.openPulls,
    ownApp: options.appId,
  });
  const teams: Record<TeamName, Login[]> = {};
  const teamTotals: Record<TeamName, number> = {};
  const pendingTeams: FollowUpPlan["teams"] = [];
  for (const name of new Set(options.teamsOf(baseFiles))) {
    const [org, slug] = name.split("/");
    if (!org || !slug) continue;
    teams[name] = [];
    pendingTeams.push({ org, slug, after: null });
  }

  // A new record needs the list of records at the head, to show its id is not taken.
  const { config: recordConfig } = loadConfig(baseFiles.get(CONFIG_PATH));
  const recordDirs = Object.values(recordConfig.records).map((dir) => dir.replace(/\/+$/, ""));
  let recordPaths: string[] | undefined;
  let recordsListed = false;
  let changeRecords: Map<string, string> | undefined;
  let changesAsked = false;

  const headFiles = new Map<string, string>();
  let renames: Map<string, string> | undefined;
  let queued = 0;
  for (;;) {
    const batch = acc.changed.slice(queued, queued + BLOB_FILES_PER_QUERY);
    if (!renames && options.renames && batch.some((f) => f.status === "renamed")) {
      renames = await options.renames();
      requests += 1;
    }
    const blobs: Array<{
      expression: string;
      into: Map<string, string>;
      path: string;
      file: ChangedFile;
      side: "base" | "head";
    }> = [];
    for (const file of batch) {
      if (file.status === "renamed" && renames?.has(file.path)) {
        file.previousPath = renames.get(file.path) as string;
      }
      const basePath = file.previousPath ?? file.path;
      if (file.status !== "added" && !baseFiles.has(basePath)) {
        blobs.push({
          expression: `${baseSha}:${basePath}`,
          into: baseFiles,
          path: basePath,
          file,
          side: "base",
        });
      }
      if (file.status !== "removed") {
        blobs.push({
          expression: `${headSha}:${file.path}`,
          into: headFiles,
          path: file.path,
          file,
          side: "head",
        });
      }
    }
    const plan: FollowUpPlan = {
      pages: acc.nextPages(),
      blobs: blobs.map((b) => b.expression),
      teams: pendingTeams.splice(0, TEAMS_PER_QUERY),
    };
    const checksAfter = acc.checksAfter();
    if (checksAfter) plan.checks = { head: headSha, after: checksAfter };
    const openPullsAfter = acc.openPullsAfter();
    if (openPullsAfter) plan.openPullsAfter = openPullsAfter;
    const addsRecord = batch.some(
      (f) => f.status !== "modified" && recordKindForPath(f.path, recordConfig) !== null,
    );
    if (addsRecord && !recordsListed) {
      plan.recordTrees = recordDirs.map((dir) => `${headSha}:${dir}`);
      recordsListed = true;
    }
    if (!changesAsked && needsChangeRecords(baseFiles, recordConfig, batch)) {
      plan.changeTree = `${baseSha}:${recordConfig.records.ChangeRequest.replace(/\/+$/, "")}`;
      changesAsked = true;
    }
    if (isEmptyPlan(plan)) break;
    queued += batch.length;
    const { query, variables } = followUpQuery(
      { owner: pull.owner, name: pull.repo, number: pull.number },
      plan,
    );
    const answer = await followUp(github, query, variables);
    requests += 1;
    acc.add(answer);
    blobs.forEach((blob, i) => {
      const { text, type } = entryText(answer.repository?.[`b${i}`]?.file);
      if (text !== null) blob.into.set(blob.path, text);
      // A link or submodule is a change of its path like any other; the core judges it.
      if (type === "symlink" || type === "submodule") {
        blob.file.entry = { ...blob.file.entry, [blob.side]: type };
      }
    });
    if (plan.changeTree !== undefined) {
      changeRecords = changeRecordsOf(answer.repository?.changes, recordConfig);
    }
    if (plan.recordTrees) {
      const paths: string[] = [];
      const deeper = plan.recordTrees.flatMap((_, i) =>
        treePaths(answer.repository?.[`r${i}`], paths),
      );
      if (deeper.length > 0) {
        throw new Error(
          `${deeper.slice(0, 3).join(", ")} lies more than three folders deep in a record directory, so gatehouse cannot list the records to show a new id is not taken; keep records at most two folders below ${recordDirs.join(", ")}`,
        );
      }
      recordPaths = paths.filter((path) => recordKindForPath(path, recordConfig) !== null);
    }
    plan.teams.forEach((team, i) => {
      const members = answer[`t${i}`]?.team?.members;
      if (!members) return;
      teams[`${team.org}/${team.slug}`]?.push(
        ...(members.nodes ?? []).flatMap((m) => (m ? [m.login] : [])),
      );
      if (members.totalCount !== undefined) {
        teamTotals[`${team.org}/${team.slug}`] = members.totalCount;
      }
      if (members.pageInfo.hasNextPage && members.pageInfo.endCursor) {
        pendingTeams.push({ ...team, after: members.pageInfo.endCursor });
      }
    });
  }

  const missing = acc.incomplete() ?? incompleteTeam(teams, teamTotals);
  if (missing) throw new Error(missing);

  const snapshot: Snapshot = {
    repo: first.repository.nameWithOwner,
    number: pr.number,
    author: pr.author?.login ?? "ghost",
    base: { sha: baseSha, files: baseFiles, ref: pr.baseRefName },
    head: { sha: headSha, files: headFiles },
    changed: acc.changed,
    commits: acc.commits,
    approvals: acc.reviews,
    teams,
    labels: acc.labels,
    checks: acc.checks,
    now: options.now ?? new Date(),
    body: pr.body ?? "",
  };
  if (recordPaths) snapshot.recordPaths = recordPaths;
  if (changeRecords) snapshot.changeRecords = changeRecords;
  const sameHead = acc.openPulls
    .filter((p) => p.headRefOid === headSha && p.number !== pr.number)
    .map((p) => ({ number: p.number, base: p.baseRefName }));
  return {
    snapshot,
    state: pr.state,
    baseRef: pr.baseRefName,
    requests,
    ownRun: acc.ownRun,
    sameHead,
  };
}

/**
 * A base `.github/gatehouse.yml` that only says `_extends` is replaced by the configuration
 * Probot resolved, so that the core sees the settings an organisation made once for all.
 */
function effectiveConfig(text: string, options: LoadOptions): string {
  if (!options.resolvedConfig) return text;
  try {
    const parsed: unknown = YAML.parse(text);
    if (parsed && typeof parsed === "object" && "_extends" in parsed) {
      const resolved = { ...options.resolvedConfig };
      delete resolved._extends;
      return YAML.stringify(resolved);
    }
  } catch {
    // An unparsable file is left as it is: the core reports it with its line and column.
  }
  return text;
}

/**
 * Runs a follow-up query. An organisation a policy names but that does not exist answers with
 * an error for its alias only; its team then simply has no members, and the core says that no
 * one can fill the role. Every other error is thrown.
 */
async function followUp(
  github: GraphQLClient,
  query: string,
  variables: Record<string, unknown>,
): Promise<FollowUpAnswer> {
  try {
    return await github.graphql<FollowUpAnswer>(query, variables);
  } catch (error) {
    const partial = error as {
      name?: string;
      data?: unknown;
      errors?: Array<{ path?: unknown[]; type?: string; message?: string }>;
    };
    // A team GitHub will not show the App is a permission problem, never "a team of nobody":
    // the check must say so, not advise adding a member to roles.yml.
    const forbidden = partial.errors?.find(
      (e) => e.type === "FORBIDDEN" && /^t\d+$/.test(String(e.path?.[0] ?? "")),
    );
    if (forbidden) {
      const alias = String(forbidden.path?.[0]);
      const team = `@${String(variables[`${alias}org`])}/${String(variables[`${alias}slug`])}`;
      throw new Error(
        `GitHub did not let gatehouse read the members of the team ${team} (FORBIDDEN: ${forbidden.message ?? "no reason given"}). This is a permission problem, not a missing member: give the App the organisation permission "Members: read" and install it on the organisation, then comment /gatehouse recheck.`,
      );
    }
    if (
      partial.name === "GraphqlResponseError" &&
      partial.data &&
      partial.errors?.every((e) => /^t\d+$/.test(String(e.path?.[0] ?? "")))
    ) {
      return partial.data as FollowUpAnswer;
    }
    throw error;
  }
}

/** A team GitHub listed fewer members of than it holds: a role could miss its holder. */
function incompleteTeam(
  teams: Record<TeamName, Login[]>,
  totals: Record<TeamName, number>,
): string | null {
  for (const [name, total] of Object.entries(totals)) {
    const listed = teams[name]?.length ?? 0;
    if (listed < total) {
      return `GitHub listed ${listed} of the ${total} members of the team @${name}, so gatehouse could not tell who holds its roles. Judge it again with /gatehouse recheck.`;
    }
  }
  return null;
}

/** Policy files, trusted keys, and folders whose contents gatehouse could not list. */
function isPolicyRelevant(path: string): boolean {
  const name = path.slice(path.lastIndexOf("/") + 1);
  return name === "OWNERS" || !name.includes(".") || /\.(ya?ml|asc|pub)$/i.test(name);
}
