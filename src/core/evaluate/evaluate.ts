import { checkWindow as defaultCheckWindow } from "../calendar/check-window.js";
import { deploymentNodes } from "../deploy/deployment-nodes.js";
import { judgeDeployments } from "../deploy/judge-deployments.js";
import { recheckAt, withRecheckNotice } from "../deploy/recheck-at.js";
import { policyCalendar } from "../calendar/policy-calendar.js";
import { withOverdueNotice } from "../deploy/stage.js";
import { loadPolicy } from "../policy/load-policy.js";
import { maskVerdict } from "../privacy/mask-verdict.js";
import type { Policy, PolicyLoad } from "../policy/model.js";
import type { Act, Login, RuleResult, Snapshot, Verdict } from "../types.js";
import { evidenceRule, historyActs } from "../evidence/evidence-rule.js";
import { assign, DEFAULT_BUDGET } from "./assign.js";
import { changedRecords } from "./changed-records.js";
import { buildContext } from "./context.js";
import { judgeCommon } from "./judge-common.js";
import { judgeFiles } from "./judge-files.js";
import { judgeRecord, type CheckWindow } from "./judge-record.js";
import { judgeStages } from "./judge-stages.js";
import { andList } from "./explain-slot.js";
import { branch, collectFindings, leaf } from "./nodes.js";
import { changedPaths, judgePathRules } from "./path-slots.js";
import { ownerSlots } from "./owner-slots.js";
import { slotNodes } from "./slot-nodes.js";
import type { Stage } from "./stage.js";
import { STAGES } from "./stages.js";
import { conclusionOf, summarize, wantsBelow } from "./summarize.js";

export interface EvaluateOptions {
  /** The stages to run after the core rules; default {@link STAGES}. */
  stages?: Stage[];
  /** Judges a transition that needs a change window; default `core/calendar/check-window`. */
  checkWindow?: CheckWindow;
  /** Search steps the approver assignment may spend; default 10,000 ({@link DEFAULT_BUDGET}). */
  budget?: number;
}

/**
 * Judges one pull request: policy from the base commit, every changed record's transition, the
 * consents and approvals they need (one assignment for all), path rules, OWNERS, four-eyes,
 * blocking reviews, unknown contributors, then the registered stages. Pure: data in, verdict out.
 * Fails closed: any error becomes a failed rule with its message, never a success.
 */
export async function evaluate(
  snapshot: Snapshot,
  options: EvaluateOptions = {},
): Promise<Verdict> {
  return guarded(snapshot, () => {
    // Policy comes from the base commit, so a pull request cannot approve itself by editing it.
    const load = loadPolicy(snapshot.base.files);
    return judge(snapshot, load, options);
  });
}

/**
 * {@link evaluate} with the policy load given rather than read from the base commit. For tests
 * and tools that already hold a policy; adapters call {@link evaluate}.
 */
export async function evaluateWithPolicy(
  snapshot: Snapshot,
  load: PolicyLoad,
  options: EvaluateOptions = {},
): Promise<Verdict> {
  return guarded(snapshot, () => judge(snapshot, load, options));
}

/**
 * Runs a judgement, failing closed on any error, and masks what it says: file names, unknown
 * field and state names and quoted values reach reasons and findings, and every output (the
 * terminal, JSON, Markdown, the App's check run) shows this verdict. The reader's own e-mail
 * addresses stay as they are.
 */
async function guarded(snapshot: Snapshot, run: () => Promise<Verdict>): Promise<Verdict> {
  let verdict: Verdict;
  try {
    verdict = await run();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    verdict = verdictOf(
      [leaf("error", "failed", `gatehouse could not judge this pull request: ${message}`)],
      [],
      [],
    );
  }
  return maskVerdict(verdict, snapshot.readerEmails);
}

async function judge(
  snapshot: Snapshot,
  load: PolicyLoad,
  options: EvaluateOptions,
): Promise<Verdict> {
  const policyNode = load.ok
    ? leaf(
        "policy",
        "satisfied",
        `policy loaded from the base commit ${snapshot.base.sha.slice(0, 7)}${namedRef(snapshot.base)}`,
        {
          findings: load.findings,
        },
      )
    : leaf(
        "policy",
        "failed",
        `the policy at the base commit ${snapshot.base.sha.slice(0, 7)} cannot be loaded (${load.findings.length} ${load.findings.length === 1 ? "problem" : "problems"}); fix the findings listed below`,
        { findings: load.findings },
      );
  if (!load.ok) return verdictOf([policyNode], [], []);
  const policy = load.policy;
  const stages = options.stages ?? STAGES;
  const { identities, failures } = await stageIdentities(stages, policy);

  const ctx = buildContext(snapshot, policy, changedRecords(snapshot, policy.config), identities);
  const records = ctx.records.map((pair) =>
    judgeRecord(pair, ctx, options.checkWindow ?? defaultCheckWindow),
  );
  const paths = changedPaths(ctx);
  const pathRules = judgePathRules(ctx, paths);
  const owners = ownerSlots(ctx, paths);
  const deployments = judgeDeployments(ctx);
  const slots = [
    ...records.flatMap((r) => r.slots),
    ...deployments.judgements.flatMap((d) => d.slots),
    ...pathRules.flatMap((r) => r.slots),
    ...owners,
  ];
  const sod = policy.roles.separationOfDuties.map((p) => p.roles);
  // Only verified (or hand-given) evidence counts; a failed document fails its record below.
  const history = historyActs(snapshot.evidence);
  const { recordSod } = deployments;
  const budget = options.budget ?? DEFAULT_BUDGET;
  const result = assign({ slots, sod, history, recordSod, budget });
  const filled = slotNodes(ctx, slots, { ...result, sod, history, recordSod });

  const children: RuleResult[] = [policyNode, judgeFiles(ctx)];
  for (const record of records) {
    const own = record.slots.map((s) => filled.nodes.get(s.id)!);
    const node = branch(
      record.id,
      [
        ...record.rules,
        ...evidenceRule(record.recordId, record.id, snapshot.evidence),
        ...own,
        ...filled.sodNodes(record.recordId, record.id, record.slots),
      ],
      `${record.recordId}: every requirement met`,
    );
    if (node.status === "pending")
      node.reason = `${record.recordId}: waiting for ${andList(wantsBelow(node, filled.wants))}`;
    children.push(node);
  }
  children.push(...deploymentNodes(deployments, filled, result.filled));
  const pathNodes = pathRules.map((r) =>
    branch(
      r.id,
      [...r.checks, ...r.slots.map((s) => filled.nodes.get(s.id)!)],
      `${r.rule.name}: approved (matches ${r.matched})`,
    ),
  );
  children.push(
    branch("paths", pathNodes, "every path rule that applies is met", "no path rule applies"),
  );
  children.push(
    branch(
      "owners",
      owners.map((s) => filled.nodes.get(s.id)!),
      "every owner that must approve did",
      "no changed path has owners",
    ),
  );
  children.push(...judgeCommon(ctx, slots));
  children.push(...failures, ...(await judgeStages(stages, ctx)));
  const verdict = verdictOf(
    children,
    records.map((r) => r.change),
    filled.acts,
    filled.wants,
  );
  const next = recheckAt(ctx, records, deployments);
  if (next) verdict.recheckAt = next;
  const zone = policyCalendar(policy).calendar?.timezone ?? "UTC";
  verdict.summary = withRecheckNotice(
    withOverdueNotice(verdict.summary, verdict.rules),
    verdict,
    zone,
  );
  verdict.rules.reason = verdict.summary;
  return verdict;
}

/** E-mail -> login maps offered by the stages; a stage that throws fails closed. */
async function stageIdentities(
  stages: Stage[],
  policy: Policy,
): Promise<{ identities: Map<string, Login>; failures: RuleResult[] }> {
  const identities = new Map<string, Login>();
  const failures: RuleResult[] = [];
  for (const stage of stages) {
    if (!stage.identities) continue;
    try {
      for (const [email, login] of await stage.identities(policy)) {
        const key = email.trim().toLowerCase();
        if (!identities.has(key)) identities.set(key, login);
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      failures.push(
        leaf(
          `stages/${stage.name}/identities`,
          "failed",
          `gatehouse could not judge this pull request: the ${stage.name} stage could not read identities: ${message}`,
        ),
      );
    }
  }
  return { identities, failures };
}

function verdictOf(
  children: RuleResult[],
  records: Verdict["records"],
  acts: Act[],
  wants: Map<string, string> = new Map(),
): Verdict {
  const root = branch("gatehouse", children, "all requirements met");
  const summary = summarize(root, wants);
  root.reason = summary;
  return {
    conclusion: conclusionOf(root.status),
    summary,
    records,
    rules: root,
    findings: collectFindings(root),
    acts,
  };
}

/** " (main)" after a base commit, when it was named by a branch rather than by its sha. */
function namedRef(base: Snapshot["base"]): string {
  const ref = base.ref;
  if (!ref || (/^[0-9a-f]{4,40}$/i.test(ref) && base.sha.startsWith(ref.toLowerCase()))) return "";
  return ` (${ref})`;
}
