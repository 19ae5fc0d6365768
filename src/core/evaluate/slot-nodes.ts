import type { Act, Login, RuleResult } from "../types.js";
import type { AssignResult } from "./assign.js";
import type { EvaluationContext } from "./context.js";
import { actWords, explainOpenSlot, sodConflict, type ExplainInput } from "./explain-slot.js";
import { leaf } from "./nodes.js";
import { loginKey } from "./resolve-login.js";
import type { Slot } from "./slot.js";

export interface SlotOutcome {
  /** Slot id -> its verdict node. */
  nodes: Map<string, RuleResult>;
  /** Who filled which slot. */
  acts: Act[];
  /** Node id -> what the pull request waits for, in a few words, for the summary. */
  wants: Map<string, string>;
  /** The separation-of-duties node of one record. */
  sodNodes(recordId: string, parent: string, slots: Slot[]): RuleResult[];
}

/** Turns the assignment into verdict nodes, acts and the words of what is still missing. */
export function slotNodes(
  ctx: EvaluationContext,
  slots: Slot[],
  result: AssignResult & Pick<ExplainInput, "sod" | "history" | "recordSod">,
): SlotOutcome {
  const input: ExplainInput = {
    slots,
    filled: result.filled,
    sod: result.sod,
    history: result.history,
    exhausted: result.exhausted,
  };
  if (result.recordSod) input.recordSod = result.recordSod;
  const nodes = new Map<string, RuleResult>();
  const acts: Act[] = [];
  const wants = new Map<string, string>();
  for (const slot of slots) {
    const login = result.filled.get(slot.id);
    if (login === undefined) {
      const { reason, candidates } = explainOpenSlot(slot, ctx, input);
      nodes.set(slot.id, leaf(slot.id, "pending", reason, { candidates }));
      wants.set(
        slot.id,
        slot.kind === "owners" ? slot.label.replace(/ \(.*\)$/, "") : (slot.role ?? slot.label),
      );
      continue;
    }
    nodes.set(slot.id, leaf(slot.id, "satisfied", filledReason(slot, login, ctx)));
    const act: Act = {
      record: slot.record,
      role: slot.role ?? "owner",
      login,
      action:
        slot.kind === "consent" ? "consent" : slot.kind === "execution" ? "execution" : "approval",
    };
    if (slot.section !== undefined) act.section = slot.section;
    acts.push(act);
  }
  const historyByRecord = new Map<string, Act[]>();
  for (const act of result.history) {
    if (act.record === null) continue;
    historyByRecord.set(act.record, [...(historyByRecord.get(act.record) ?? []), act]);
  }
  const sodNodes = (recordId: string, parent: string, own: Slot[]): RuleResult[] => {
    if (result.sod.length === 0 || !own.some((s) => s.role !== null)) return [];
    const id = `${parent}/separation-of-duties`;
    const past = historyConflict(recordId, historyByRecord, input);
    if (past) return [leaf(id, "failed", past)];
    for (const slot of own) {
      if (result.filled.has(slot.id)) continue;
      for (const login of slot.candidates) {
        const conflict = sodConflict(slot, login, input);
        if (conflict) {
          wants.set(id, wants.get(slot.id) ?? slot.label);
          return [leaf(id, "pending", conflict)];
        }
      }
    }
    return [
      leaf(id, "satisfied", `no one acts on ${recordId} in two roles that may not be combined`),
    ];
  };
  return { nodes, acts, wants, sodNodes };
}

function filledReason(slot: Slot, login: Login, ctx: EvaluationContext): string {
  switch (slot.kind) {
    case "consent":
      return loginKey(login) === loginKey(ctx.snapshot.author)
        ? `consent of ${slot.label}: ${login} holds ${slot.role} and wrote this pull request`
        : `consent of ${slot.label}: approved by ${login}`;
    case "owners":
      return `approved by ${login}, ${slot.label}`;
    case "execution":
      return loginKey(login) === loginKey(ctx.snapshot.author)
        ? `executed by ${login}, who holds ${slot.role}, opened this pull request and has no other hand in ${slot.record}`
        : `executed by ${login}, who holds ${slot.role}, approved and has no other hand in ${slot.record}`;
    default:
      return `approved by ${login} as ${slot.role}`;
  }
}

/** Earlier acts on a record that already break separation of duties: no approval can mend that. */
function historyConflict(
  recordId: string,
  history: Map<string, Act[]>,
  input: ExplainInput,
): string | null {
  const byPerson = new Map<string, Act[]>();
  for (const act of history.get(recordId) ?? []) {
    const key = loginKey(act.login);
    byPerson.set(key, [...(byPerson.get(key) ?? []), act]);
  }
  for (const acts of byPerson.values()) {
    for (const [a, b] of input.sod) {
      const first = acts.find((act) => act.role === a);
      const second = acts.find((act) => act.role === b);
      if (a !== b && first && second) {
        return `${actWords(first, recordId)} and ${actWords(second, recordId).replace(/^\S+ /, "")}; ${a} and ${b} may not be combined, so the record needs a security-admin's review outside gatehouse`;
      }
    }
  }
  return null;
}
