/** The states of one record kind in `workflows.yml`, and the check that each one is reachable. */
import type { Finding, RecordKind } from "../types.js";
import type { YamlParse } from "../yaml/parse-yaml.js";
import { didYouMean } from "./did-you-mean.js";
import { NEW_STATE } from "./model.js";
import type { Transition } from "./model.js";

/** `from: "*"`: every open state of the kind. */
export const ANY_STATE = "*";

/** A transition as workflows.yml writes it: `from` may be one state or a list. */
interface RawEnds {
  from: string | string[];
  to: string;
}

/**
 * The states of `kind` (the initial one, then every state a transition names, in order of
 * appearance) and its open states (those some transition leaves by name). A state a transition
 * starts from that no transition reaches, or a transition to `(new)` or `*`, adds a finding.
 */
export function kindStates(
  kind: RecordKind,
  initial: string,
  rawTransitions: readonly RawEnds[],
  transitions: Transition[],
  parse: YamlParse,
  findings: Finding[],
): { states: string[]; openStates: string[] } {
  const all = new Set<string>([initial]);
  for (const t of transitions) {
    for (const s of [...t.from, t.to]) if (s !== NEW_STATE && s !== ANY_STATE) all.add(s);
  }
  const states = [...all];
  const openStates = states.filter((s) =>
    transitions.some((t) => !t.from.includes(ANY_STATE) && t.from.includes(s)),
  );
  // A state a transition starts from must be reachable: the initial state or the target of some
  // transition. Anything else is almost always a typo, which would silently open a new state.
  const reachable = new Set([initial, ...transitions.map((t) => t.to)]);
  rawTransitions.forEach((t, i) => {
    const from = Array.isArray(t.from) ? t.from : [t.from];
    from.forEach((state, j) => {
      if (state === NEW_STATE || state === ANY_STATE || reachable.has(state)) return;
      const close = didYouMean(state, reachable);
      const pointer = `/kinds/${kind}/transitions/${i}/from${Array.isArray(t.from) ? `/${j}` : ""}`;
      findings.push({
        ...parse.locate(pointer),
        code: "policy/unknown-state",
        message: `state "${state}" of ${kind} is neither the initial state nor reached by any transition; ${close !== undefined ? `did you mean "${close}"?` : `the states are ${[...reachable].join(", ")}; use one of them, or add a transition to "${state}"`}`,
      });
    });
    if (t.to === NEW_STATE || t.to === ANY_STATE) {
      findings.push({
        ...parse.locate(`/kinds/${kind}/transitions/${i}/to`),
        code: "policy/unknown-state",
        message: `a transition cannot go to "${t.to}"; name the state the record moves to`,
      });
    }
  });
  // The initial state is where a record starts: one that no transition enters or leaves is a
  // typo ("drafts"), which would silently change which edits count as a draft's.
  const touched = new Set(transitions.flatMap((t) => [...t.from, t.to]));
  if (transitions.length > 0 && !touched.has(initial)) {
    const close = didYouMean(
      initial,
      [...touched].filter((s) => s !== NEW_STATE && s !== ANY_STATE),
    );
    findings.push({
      ...parse.locate(`/kinds/${kind}/initial`),
      code: "policy/unknown-state",
      message: `the initial state "${initial}" of ${kind} is neither reached nor left by any transition; ${close !== undefined ? `did you mean "${close}"?` : `name the state a transition from (new) goes to`}`,
    });
  }
  return { states, openStates };
}
