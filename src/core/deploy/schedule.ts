/**
 * The changes as the deployment rules see them: every ChangeRequest of the base commit (from
 * `snapshot.changeRecords`), with the versions this pull request writes laid over them.
 */
import type { EvaluationContext } from "../evaluate/context.js";
import type { Config } from "../policy/model.js";
import { parseRecord } from "../records/parse-record.js";
import { LruCache } from "../signatures/lru-cache.js";
import { changeFacts, type ChangeFacts } from "./change-facts.js";

export interface Schedule {
  /** Whether the adapter gave the base commit's change records; without them rules fail closed. */
  loaded: boolean;
  /** Id -> the change as the base commit holds it. */
  base: Map<string, ChangeFacts>;
  /** Id -> the change as this pull request leaves it, for the changes it writes. */
  head: Map<string, { before: ChangeFacts | null; after: ChangeFacts }>;
  /** Every change as it will be once this pull request is merged. */
  merged: ChangeFacts[];
}

// The same records are read by every judgement of a repository: parse each version once.
const parsed = new LruCache<string, ChangeFacts>(20_000);

function factsOf(path: string, text: string, config: Config): ChangeFacts {
  const key = `${path}\0${text}`;
  let facts = parsed.get(key);
  if (!facts) {
    facts = changeFacts(parseRecord(path, text, config));
    parsed.set(key, facts);
  }
  return facts;
}

const schedules = new WeakMap<EvaluationContext, Schedule>();

/** The schedule of one evaluation, built on first use. */
export function scheduleOf(ctx: EvaluationContext): Schedule {
  let schedule = schedules.get(ctx);
  if (schedule) return schedule;
  const config = ctx.policy.config;
  const base = new Map<string, ChangeFacts>();
  for (const [path, text] of ctx.snapshot.changeRecords ?? []) {
    const facts = factsOf(path, text, config);
    if (facts.record.kind === "ChangeRequest" || facts.record.kind === null)
      base.set(facts.id, facts);
  }
  const head = new Map<string, { before: ChangeFacts | null; after: ChangeFacts }>();
  const removed = new Set<string>();
  for (const pair of ctx.records) {
    if (pair.after === null) {
      if (pair.before?.kind === "ChangeRequest") removed.add(changeFacts(pair.before).id);
      continue;
    }
    if (pair.after.kind !== "ChangeRequest") continue;
    const after = changeFacts(pair.after);
    const before = pair.before?.kind === "ChangeRequest" ? changeFacts(pair.before) : null;
    head.set(after.id, { before, after });
  }
  const merged = [...base.values()].filter((c) => !head.has(c.id) && !removed.has(c.id));
  for (const { after } of head.values()) merged.push(after);
  schedule = { loaded: ctx.snapshot.changeRecords !== undefined, base, head, merged };
  schedules.set(ctx, schedule);
  return schedule;
}
