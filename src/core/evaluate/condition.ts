import type { Condition } from "../policy/model.js";
import { deepEqual, isFilled, valueAt } from "./pointer.js";

/** Whether a workflow condition holds on a record's data. `lists` are workflows.yml's named lists. */
export function conditionHolds(
  condition: Condition,
  data: unknown,
  lists: Record<string, string[]>,
): boolean {
  if ("anyOf" in condition) return condition.anyOf.some((c) => conditionHolds(c, data, lists));
  const value = valueAt(data, condition.field);
  if ("equals" in condition) return deepEqual(value, condition.equals);
  if ("in" in condition) return condition.in.some((option) => deepEqual(value, option));
  if ("present" in condition) return isFilled(value) === condition.present;
  return typeof value === "string" && (lists[condition.oneOf] ?? []).includes(value);
}

/** The condition as a requirement in words: "/testing/conclusion must be passed". */
export function describeCondition(condition: Condition): string {
  if ("anyOf" in condition) return condition.anyOf.map(describeCondition).join(", or ");
  if ("equals" in condition) return `${condition.field} must be ${show(condition.equals)}`;
  if ("in" in condition) {
    return `${condition.field} must be one of ${condition.in.map(show).join(", ")}`;
  }
  if ("present" in condition) {
    return condition.present
      ? `${condition.field} must be filled in`
      : `${condition.field} must be left out`;
  }
  return `${condition.field} must name an entry of the list "${condition.oneOf}" in workflows.yml`;
}

/** The field a condition is about, for pointing at it; the first one of an anyOf. */
/** Every field a condition tests, its `anyOf` branches included. */
export function conditionFields(condition: Condition): string[] {
  return "anyOf" in condition ? condition.anyOf.flatMap(conditionFields) : [condition.field];
}

export function conditionField(condition: Condition): string {
  if ("anyOf" in condition) {
    const first = condition.anyOf[0];
    return first ? conditionField(first) : "";
  }
  return condition.field;
}

function show(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}
