/** A record file as the evaluator sees it after parsing and schema validation. */
import type { Finding, RecordKind, SourceLocation } from "../types.js";

export interface ParsedRecord {
  path: string;
  /** Null when the file does not say a kind gatehouse knows. */
  kind: RecordKind | null;
  id: string | null;
  state: string | null;
  /** The YAML document as plain data (empty object when it could not be parsed). */
  data: Record<string, unknown>;
  /** Parse and schema findings; a record with findings is invalid. */
  findings: Finding[];
  /** Where the value at a JSON pointer starts; the document start when the pointer is absent. */
  locate(pointer: string): SourceLocation;
}
