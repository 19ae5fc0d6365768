/**
 * The GitHub snapshot loader: everything the core needs to judge one pull request, in as few
 * requests as GitHub allows. One first query brings the pull request with the first page of
 * every connection, the base commit's settings and policy (by id when the policy is cached),
 * and what the last judgement of the pull request needed (src/github/plan-first.ts);
 * follow-up queries then bring, all at once, whatever is still missing: next pages, texts of
 * changed files, members of teams, record folders. A judgement of a pull request with up to 100
 * files, commits and reviews takes one query when the last judgement or the push of its head
 * said what it changes, two otherwise (docs/github-app.md, "Cost per judgement").
 */
import { evidenceIds } from "../core/evidence/record-evidence.js";
import { CONFIG_PATH, loadConfig } from "../core/policy/load-config.js";
import { CODEOWNERS_PATH } from "../core/policy/load-policy.js";
import { recordKindForPath } from "../core/records/parse-record.js";
import type { Snapshot, TeamName } from "../core/types.js";
import type { FollowUpAnswer, PullRequestAnswer } from "./graphql-types.js";
import { readBasePolicy } from "./base-policy.js";
import { keepTree, knownTree } from "./cached-trees.js";
import { changeRecordsOf, needsChangeRecords } from "./change-records.js";
import { firstQuery } from "./first-query.js";
import { writeHints } from "./judgement-hint.js";
import { guessedAnswers, planFirst } from "./plan-first.js";
import { PullPages } from "./pull-pages.js";
import { ledgerOfAnswer } from "./read-ledger.js";
import { recordListing } from "./record-listing.js";
import { entryText, takeEntry, type Blob } from "./snapshot-parts.js";
import { followUpQuery, isEmptyPlan, type FollowUpPlan } from "./snapshot-queries.js";
import { TEAMS_PER_QUERY, TeamMembers, queryAllowingTeamErrors } from "./team-members.js";

import type {
  GraphQLClient,
  LoadOptions,
  LoadedPullRequest,
  PullRequestRef,
} from "./load-options.js";

export type { GraphQLClient, LoadOptions, LoadedPullRequest, PullRequestRef };

/** The most changed files whose blobs one follow-up query fetches (two blobs each). */
const BLOB_FILES_PER_QUERY = 100;

/** Loads the snapshot of one pull request. Throws when GitHub cannot give it. */
export async function loadSnapshot(
  github: GraphQLClient,
  pull: PullRequestRef,
  options: LoadOptions,
): Promise<LoadedPullRequest> {
  const { cache } = options;
  const codeowners = options.codeowners ?? CODEOWNERS_PATH;
  let requests = 0;
  const ask = async (policies: string) => {
    const guess = await planFirst(cache, pull, { policies, codeowners }, options.head);
    const { query, variables } = firstQuery(
      { owner: pull.owner, name: pull.repo, number: pull.number },
      guess.plan,
      options.baseAt,
    );
    const answer = await queryAllowingTeamErrors<PullRequestAnswer>(github, query, variables);
    requests += 1;
    return { ...answer, guess };
  };
  // The base commit: the base branch's tip, or the commit asked for (a merged pull request).
  const baseOf = (answer: PullRequestAnswer) =>
    options.baseAt === undefined
      ? answer.repository?.pullRequest?.baseRef?.target
      : answer.repository?.baseAt;
  let first = await ask(options.policies);
  // The policies directory is a setting of the base commit's configuration: when it is not the
  // one expected, the first query is asked again with the right one (once; then it is known).
  const configured = options.policiesOf?.(entryText(baseOf(first.data)?.config).text);
  if (configured !== undefined && configured !== options.policies) {
    options = { ...options, policies: configured };
    first = await ask(configured);
  }
  const { data, teamErrors, guess } = first;
  const pr = data.repository?.pullRequest;
  if (!data.repository || !pr) {
    throw new Error(`pull request ${pull.owner}/${pull.repo}#${pull.number} was not found.`);
  }
  const target = baseOf(data);
  if (!target?.oid) {
    throw new Error(
      options.baseAt === undefined
        ? `the base branch "${pr.baseRefName}" of the pull request no longer exists.`
        : `the commit ${options.baseAt.slice(0, 12)} the pull request was merged onto was not found.`,
    );
  }
  const baseSha = target.oid;
  const headSha = pr.headRefOid;
  const repoId = data.repository.databaseId ?? null;

  const basePolicy = await readBasePolicy(github, pull, target, {
    repoId,
    policies: options.policies,
    codeowners,
    texts: guess.plan.policyTexts,
    resolvedConfig: options.resolvedConfig,
    cache,
  });
  requests += basePolicy.requests;
  const baseFiles = basePolicy.files;

  const acc = new PullPages(pr, options.checkName ?? "gatehouse", {
    openPulls: data.repository.openPulls,
    ownApp: options.appId,
  });
  const teamNames = [...new Set(options.teamsOf(baseFiles))];
  const members = new TeamMembers(teamNames);
  guess.plan.teams.forEach((team, i) => {
    if (members.wants(team)) {
      members.take({ ...team, after: null }, data[`t${i}`], teamErrors.get(`t${i}`));
    }
  });

  const guessed = guessedAnswers(guess.plan, target, pr.headCommit.nodes?.[0]?.commit, headSha);

  // A new record needs the list of records at the head, to show its id is not taken.
  const { config: recordConfig } = loadConfig(baseFiles.get(CONFIG_PATH));
  const recordDirs = Object.values(recordConfig.records).map((dir) => dir.replace(/\/+$/, ""));
  const changesDir = recordConfig.records.ChangeRequest.replace(/\/+$/, "");
  let recordPaths: string[] | undefined;
  let recordsListed = false;
  let changeRecords: Map<string, string> | undefined;
  let changesAsked = false;
  let changesOid: string | null | undefined;
  const read = { basePaths: [] as string[], headPaths: [] as string[] };

  const headFiles = new Map<string, string>();
  let renames: Map<string, string> | undefined;
  let queued = 0;
  let ledger: LoadedPullRequest["ledger"];
  for (;;) {
    const batch = acc.changed.slice(queued, queued + BLOB_FILES_PER_QUERY);
    if (!renames && options.renames && batch.some((f) => f.status === "renamed")) {
      renames = await options.renames();
      requests += 1;
    }
    const blobs: Blob[] = [];
    for (const file of batch) {
      if (file.status === "renamed" && renames?.has(file.path)) {
        file.previousPath = renames.get(file.path) as string;
      }
      const basePath = file.previousPath ?? file.path;
      if (file.status !== "added" && !baseFiles.has(basePath)) {
        if (queued === 0) read.basePaths.push(basePath);
        const blob = { into: baseFiles, path: basePath, file, side: "base" } as const;
        if (guessed.base.has(basePath)) takeEntry(blob, guessed.base.get(basePath));
        else blobs.push({ ...blob, expression: `${baseSha}:${basePath}` });
      }
      if (file.status !== "removed") {
        if (queued === 0) read.headPaths.push(file.path);
        const blob = { into: headFiles, path: file.path, file, side: "head" } as const;
        if (guessed.head.has(file.path)) takeEntry(blob, guessed.head.get(file.path));
        else blobs.push({ ...blob, expression: `${headSha}:${file.path}` });
      }
    }
    const plan: FollowUpPlan = {
      pages: acc.nextPages(),
      blobs: blobs.map((b) => b.expression),
      teams: members.next(TEAMS_PER_QUERY),
    };
    const checksAfter = acc.checksAfter();
    if (checksAfter) plan.checks = { head: headSha, after: checksAfter };
    const openPullsAfter = acc.openPullsAfter();
    if (openPullsAfter) plan.openPullsAfter = openPullsAfter;
    const addsRecord = batch.some(
      (f) => f.status !== "modified" && recordKindForPath(f.path, recordConfig) !== null,
    );
    if (addsRecord && !recordsListed) {
      recordsListed = true;
      const known = await Promise.all(
        recordDirs.map((path) =>
          knownTree(cache, "records", { repoId, path }, guessed.records.get(path)),
        ),
      );
      if (known.every((tree) => tree !== undefined)) {
        recordPaths = recordListing(known, recordDirs, recordConfig);
      } else plan.recordTrees = recordDirs.map((dir) => `${headSha}:${dir}`);
    }
    if (!changesAsked && needsChangeRecords(baseFiles, recordConfig, batch)) {
      changesAsked = true;
      const fresh = guess.plan.changes === changesDir ? target.changes : undefined;
      const known = await knownTree(cache, "changes", { repoId, path: changesDir }, fresh);
      changesOid = known === null ? null : fresh?.oid;
      if (known !== undefined) changeRecords = changeRecordsOf(known, recordConfig);
      else plan.changeTree = `${baseSha}:${changesDir}`;
    }
    if (isEmptyPlan(plan)) break;
    // A query is made anyway: the evidence the judgement needs comes with it, unless the first
    // query read it already (src/github/snapshot-evidence.ts reads what is still missing).
    if (queued === 0) {
      const wanted = evidenceIds({
        base: { sha: baseSha, files: baseFiles },
        changed: acc.changed,
        body: pr.body ?? "",
        now: options.now ?? new Date(),
      });
      if (wanted.some((id) => !guess.plan.evidence.includes(id))) plan.evidence = wanted;
    }
    queued += batch.length;
    const { query, variables } = followUpQuery(
      { owner: pull.owner, name: pull.repo, number: pull.number },
      plan,
    );
    const { data: answer, teamErrors: errors } = await queryAllowingTeamErrors<FollowUpAnswer>(
      github,
      query,
      variables,
    );
    requests += 1;
    acc.add(answer);
    if (plan.evidence && answer.repository) {
      ledger = { ids: plan.evidence, read: ledgerOfAnswer(answer.repository, plan.evidence) };
    }
    blobs.forEach((blob, i) => takeEntry(blob, answer.repository?.[`b${i}`]?.file));
    if (plan.changeTree !== undefined) {
      const tree = answer.repository?.changes;
      changesOid = tree?.oid ?? null;
      changeRecords = changeRecordsOf(tree, recordConfig);
      if (cache && repoId !== null && tree?.oid) {
        await keepTree(cache, "changes", { repoId, path: changesDir, oid: tree.oid }, tree);
      }
    }
    if (plan.recordTrees) {
      const trees = plan.recordTrees.map((_, i) => answer.repository?.[`r${i}`] ?? null);
      recordPaths = recordListing(trees, recordDirs, recordConfig);
      for (const [i, tree] of trees.entries()) {
        const path = recordDirs[i] as string;
        if (cache && repoId !== null && tree?.oid) {
          await keepTree(cache, "records", { repoId, path, oid: tree.oid }, tree);
        }
      }
    }
    plan.teams.forEach((team, i) => members.take(team, answer[`t${i}`], errors.get(`t${i}`)));
  }

  const missing = acc.incomplete() ?? members.incomplete();
  if (missing) throw new Error(missing);

  const snapshot: Snapshot = {
    repo: data.repository.nameWithOwner,
    number: pr.number,
    author: pr.author?.login ?? "ghost",
    base: { sha: baseSha, files: baseFiles, ref: pr.baseRefName },
    head: { sha: headSha, files: headFiles },
    changed: acc.changed,
    commits: acc.commits,
    approvals: acc.reviews,
    teams: members.teams,
    labels: acc.labels,
    checks: acc.checks,
    now: options.now ?? new Date(),
    body: pr.body ?? "",
  };
  if (recordPaths) snapshot.recordPaths = recordPaths;
  if (changeRecords) snapshot.changeRecords = changeRecords;
  if (
    options.additions &&
    (acc.commits.length > 1 || acc.commits.some((c) => c.parents.length > 1))
  ) {
    const added = await options.additions(acc.commits);
    snapshot.additions = added.additions;
    requests += added.requests;
  }
  const sameHead = acc.openPulls
    .filter((p) => p.headRefOid === headSha && p.number !== pr.number)
    .map((p) => ({ number: p.number, base: p.baseRefName }));
  if (cache && repoId !== null) {
    const policy = {
      ...basePolicy.place,
      repoId,
      teams: teamNames as TeamName[],
      records: recordConfig.records,
      ...(changesOid === undefined ? {} : { changesTree: changesOid }),
    };
    const hint = {
      policy,
      ...read,
      changes: changesAsked ? changesDir : null,
      records: recordsListed ? recordDirs : [],
      evidence: evidenceIds(snapshot),
    };
    await writeHints(cache, pull, hint, guess.recent);
  }
  const { evidence } = guess.plan;
  if (!ledger && evidence.length > 0) {
    ledger = { ids: evidence, read: ledgerOfAnswer(data.repository, evidence) };
  }
  return {
    snapshot,
    state: pr.state,
    baseRef: pr.baseRefName,
    requests,
    ownRun: acc.ownRun,
    sameHead,
    ...(ledger ? { ledger } : {}),
  };
}
