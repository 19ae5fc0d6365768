import type { Policy } from "../policy/model.js";
import type { Login, RuleResult } from "../types.js";
import type { EvaluationContext } from "./context.js";

/**
 * A later part of the evaluation (signatures, privacy, change windows) that plugs into
 * {@link evaluate} without the evaluator knowing it. A stage is pure like the rest of the core.
 */
export interface Stage {
  name: string;
  /** Extra e-mail -> login mappings (e.g. from trusted keys' user ids), consulted after snapshot.identities and GitHub noreply addresses. */
  identities?(policy: Policy): Promise<Map<string, Login>>;
  /** The stage's verdict, a child of the root; null when it has nothing to say. */
  run(ctx: EvaluationContext): Promise<RuleResult | null>;
}
