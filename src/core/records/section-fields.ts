/**
 * The required fields of every section, the bold fields of DESIGN.md's record table. A section
 * is complete when each of these is present and not empty; workflows.yml may override them.
 */
import type { RecordKind } from "../types.js";

export const SECTION_FIELDS: Record<RecordKind, Record<string, string[]>> = {
  ChangeRequest: {
    "/requirements": ["scope"],
    "/architecture": ["review"],
    "/deployment": ["version", "artifact", "strategy", "steps", "rollback"],
    "/testing": ["conclusion", "report"],
    "/execution": ["result", "executedAt"],
    "/review": ["summary"],
  },
  IncidentAnalysis: {
    "/collection": ["occurredAt", "detectedAt", "symptoms"],
    "/analysis": ["rootCause", "category", "handlingStrategy"],
    "/confirmation": ["decision"],
    "/arbitration": ["decision", "reason"],
  },
  ImprovementPlan: {
    "/opportunity": ["description"],
    "/plan": ["actions", "owner", "due"],
    "/result": ["summary"],
    "/confirmation": ["decision"],
  },
};
