import type { RuleResult } from "../types.js";
import type { EvaluationContext } from "./context.js";
import { leaf } from "./nodes.js";
import type { Stage } from "./stage.js";

/** Runs the stages in order; a stage that throws becomes a failed rule (fail closed). */
export async function judgeStages(stages: Stage[], ctx: EvaluationContext): Promise<RuleResult[]> {
  const out: RuleResult[] = [];
  for (const stage of stages) {
    try {
      const result = await stage.run(ctx);
      if (result) out.push(result);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      out.push(
        leaf(
          `stages/${stage.name}`,
          "failed",
          `gatehouse could not judge this pull request: the ${stage.name} stage failed: ${message}`,
        ),
      );
    }
  }
  return out;
}
