import type { Act, Login, RoleId } from "../types.js";
import type { SodPairs } from "./assign.js";
import type { EvaluationContext, Exclusion } from "./context.js";
import { loginKey } from "./resolve-login.js";
import type { Slot } from "./slot.js";

/** What the explanation of an open slot may consult besides the context. */
export interface ExplainInput {
  slots: Slot[];
  filled: Map<string, Login>;
  sod: SodPairs;
  history: Act[];
  exhausted: boolean;
  /** Pairs that hold on one record only. */
  recordSod?: Map<string, SodPairs>;
}

export const EXCLUSION_WORDS: Record<Exclusion, string> = {
  author: "is the author of this pull request",
  "commit-author": "authored a commit of this pull request",
  committer: "committed a commit of this pull request",
};

/**
 * Why a slot stays open, naming people: who could give the approval, who approved too early,
 * who is excluded, who is already used elsewhere or held back by separation of duties.
 */
export function explainOpenSlot(
  slot: Slot,
  ctx: EvaluationContext,
  input: ExplainInput,
): { reason: string; candidates: Login[] } {
  const need = needWords(slot);
  const details: string[] = [];
  const blocked = slot.candidates.map((login) => blockerOf(slot, login, input));
  for (const detail of blocked) if (detail) details.push(detail);

  const head = ctx.snapshot.head.sha;
  const candidateKeys = new Set(slot.candidates.map(loginKey));
  for (const login of slot.eligible) {
    const key = loginKey(login);
    if (candidateKeys.has(key)) continue;
    const review = ctx.latestReviews.get(key);
    const exclusion = ctx.excluded.get(key);
    if (exclusion && review?.state === "APPROVED") {
      details.push(`${login} ${holdsWords(slot)} but ${EXCLUSION_WORDS[exclusion]}`);
    } else if (!exclusion && review?.state === "APPROVED" && review.commit !== head) {
      details.push(
        `${login} approved ${review.commit.slice(0, 7)}, not the head; approvals count only on the head commit`,
      );
    }
  }
  const able = slot.eligible.filter(
    (login) => !ctx.excluded.has(loginKey(login)) && !candidateKeys.has(loginKey(login)),
  );
  // When no one else is left to ask, say why the remaining holders cannot help.
  if (able.length === 0) {
    const excluded = slot.eligible.filter((login) => ctx.excluded.has(loginKey(login)));
    const alreadySaid = new Set(details);
    for (const login of excluded) {
      const line = `${login} ${holdsWords(slot)} but ${EXCLUSION_WORDS[ctx.excluded.get(loginKey(login))!]}`;
      if (!alreadySaid.has(line)) details.push(line);
    }
    if (slot.eligible.length === 0) details.push(noHolderWords(slot, ctx));
  }
  if (input.exhausted) {
    details.push(
      "the search for an assignment stopped at its step limit, so a better one may exist",
    );
  }
  const offer = able.length > 0 ? `; ${orList(able)} can give it` : "";
  return { reason: [need + offer, ...details].join("; "), candidates: able };
}

/**
 * Why no one can fill a slot at all. A role whose teams have no known members is not the same
 * mistake as a role without members: the team may exist on GitHub but be invisible to the app,
 * or missing from --context, and adding someone to roles.yml would hide that.
 */
function noHolderWords(slot: Slot, ctx: EvaluationContext): string {
  const members = slot.role === null ? [] : (ctx.policy.roles.roles.get(slot.role)?.members ?? []);
  const teams = members.flatMap((m) => ("team" in m ? [m.team.replace(/^@/, "")] : []));
  if (slot.role === null || teams.length === 0 || teams.length < members.length) {
    return `no one ${holdsWords(slot)}; add a member in roles.yml`;
  }
  const named = teams.length === 1 ? `team ${teams[0]!} has` : `teams ${andList(teams)} have`;
  return `no one is known to hold ${slot.role}: ${named} no known members (on GitHub: is the team visible to the app? locally: add \`teams: {${teams[0]!}: [...]}\` to --context)`;
}

function needWords(slot: Slot): string {
  switch (slot.kind) {
    case "consent":
      return `needs the consent of ${slot.label}`;
    case "owners":
      return `needs an approval from ${slot.label}`;
    case "execution":
      return `needs its executor: a holder of ${slot.role} with no other hand in ${slot.record} who approves (or opens) this pull request`;
    default:
      return `needs an approval from ${slot.label}`;
  }
}

function holdsWords(slot: Slot): string {
  return slot.role !== null && slot.kind !== "owners" ? `holds ${slot.role}` : `is ${slot.label}`;
}

/** Why a person who approved cannot take the slot in the assignment found, or null. */
function blockerOf(slot: Slot, login: Login, input: ExplainInput): string | null {
  const key = loginKey(login);
  for (const other of indexOf(input).byGroup.get(slot.group) ?? []) {
    if (other === slot) continue;
    const taker = input.filled.get(other.id);
    if (taker !== undefined && loginKey(taker) === key) {
      if (other.role !== null && other.role === slot.role) {
        return `${login} already fills another ${slot.role} entry; each entry needs a different person`;
      }
      const only = slot.candidates.length === 1 ? "the only" : "one";
      return `${login} is ${only} ${slot.role ?? slot.label} approver and already acts as ${other.role ?? other.label}`;
    }
  }
  return sodConflict(slot, login, input);
}

/** The separation-of-duties conflict that keeps a person from a slot, in words, or null. */
export function sodConflict(slot: Slot, login: Login, input: ExplainInput): string | null {
  const key = loginKey(login);
  if (slot.role === null || slot.record === null) return null;
  const conflicting = conflictsOf(slot.role, [
    ...input.sod,
    ...(input.recordSod?.get(slot.record) ?? []),
  ]);
  const index = indexOf(input);
  for (const other of index.byRecord.get(slot.record) ?? []) {
    if (other.role === null || !conflicting.has(other.role)) continue;
    const taker = input.filled.get(other.id);
    if (taker !== undefined && loginKey(taker) === key) {
      return `${login} already acts as ${other.role} on ${slot.record}; ${notCombined(other.role, slot)}`;
    }
  }
  for (const act of index.history.get(slot.record) ?? []) {
    // Executing a change again is the same duty, not another hand in it (as `assign` counts).
    const again = act.action === "execution" && act.role === slot.role;
    if (loginKey(act.login) === key && conflicting.has(act.role) && !again) {
      return `${actWords(act, slot.record)}; ${notCombined(act.role, slot)}`;
    }
  }
  return null;
}

function notCombined(other: RoleId, slot: Slot): string {
  return slot.kind === "execution"
    ? `the executor of a change may have no other hand in it`
    : `${other} and ${slot.role} may not be combined`;
}

/**
 * An earlier act in words that name it, so a reader can look it up: "chen-jie approved
 * CHG-2026-0001 as ops-lead in #12", "wang-jun provided /deployment of CHG-2026-0001 as
 * dev-lead in #3".
 */
export function actWords(act: Act, record: string): string {
  const where =
    act.pullRequest === undefined ? "in an earlier pull request" : `in #${act.pullRequest}`;
  const what =
    act.action === "approval"
      ? `approved ${record}`
      : act.action === "execution"
        ? `executed ${record}`
        : act.section !== undefined
          ? `provided ${act.section} of ${record}`
          : `consented to ${record}`;
  return `${act.login} ${what} as ${act.role} ${where}`;
}

interface SlotIndex {
  byGroup: Map<string, Slot[]>;
  byRecord: Map<string, Slot[]>;
  history: Map<string, Act[]>;
}

// Built once per input, so that explaining every open slot stays linear in the slots.
const indexes = new WeakMap<ExplainInput, SlotIndex>();

function indexOf(input: ExplainInput): SlotIndex {
  let index = indexes.get(input);
  if (!index) {
    index = { byGroup: new Map(), byRecord: new Map(), history: new Map() };
    for (const slot of input.slots) {
      push(index.byGroup, slot.group, slot);
      if (slot.record !== null) push(index.byRecord, slot.record, slot);
    }
    for (const act of input.history) if (act.record !== null) push(index.history, act.record, act);
    indexes.set(input, index);
  }
  return index;
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function conflictsOf(role: RoleId, sod: SodPairs): Set<RoleId> {
  const out = new Set<RoleId>();
  for (const [a, b] of sod) {
    if (a === role) out.add(b);
    if (b === role) out.add(a);
  }
  return out;
}

/** "a", "a or b", "a, b or c". */
export function orList(items: string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} or ${items[items.length - 1]}`;
}

/** "a", "a and b", "a, b and c". */
export function andList(items: string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}
