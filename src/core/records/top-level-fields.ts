/** The top-level fields of a record kind, as JSON pointers, for rules about who may change what. */
import type { RecordKind } from "../types.js";
import changeRequestSchema from "./schemas/change-request.schema.json" with { type: "json" };
import incidentAnalysisSchema from "./schemas/incident-analysis.schema.json" with { type: "json" };
import improvementPlanSchema from "./schemas/improvement-plan.schema.json" with { type: "json" };

/** What identifies a record and its place in its workflow; judged by rules of their own. */
export const IDENTITY_FIELDS: readonly string[] = ["/apiVersion", "/kind", "/id", "/state"];

const SCHEMAS: Record<RecordKind, { properties: Record<string, unknown> }> = {
  ChangeRequest: changeRequestSchema,
  IncidentAnalysis: incidentAnalysisSchema,
  ImprovementPlan: improvementPlanSchema,
};

/** The fields of a kind other than the identity fields ("/title", "/window", ...). */
export function topLevelFields(kind: RecordKind): string[] {
  return Object.keys(SCHEMAS[kind].properties)
    .map((key) => `/${key}`)
    .filter((pointer) => !IDENTITY_FIELDS.includes(pointer));
}

/** The top-level field a JSON pointer lies in: "/testing/conclusion" -> "/testing". */
export function topOf(pointer: string): string {
  const second = pointer.indexOf("/", 1);
  return second === -1 ? pointer : pointer.slice(0, second);
}
