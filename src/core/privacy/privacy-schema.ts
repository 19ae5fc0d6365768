/**
 * The JSON Schema of privacy.yml, for editors (`gatehouse init` writes it to schemas/). The
 * file is read by {@link parsePrivacyPolicy}, whose own checks say more than a schema can (a
 * pattern that does not compile, a number too long to be exact); this schema accepts the same
 * files, and is built from the parser's lists so that a key added there is known here
 * (test/cli/editor-schemas.test.ts holds the two to the same answers).
 */
import { DETECTOR_CODES } from "./detector.js";
import { ENTRY_KEYS, TOP_KEYS } from "./privacy-policy.js";

const text = (description: string) => ({ type: "string", pattern: "\\S", description });

const detectors = {
  type: "array",
  items: { enum: [...DETECTOR_CODES], "x-expected": `one of ${DETECTOR_CODES.join(", ")}` },
};

/** What each known key holds; a key the parser learns later is allowed until described here. */
const ENTRY: Record<string, object> = {
  value: {
    type: ["string", "integer"],
    maximum: Number.MAX_SAFE_INTEGER,
    minimum: -Number.MAX_SAFE_INTEGER,
    description: "An exact value that is not personal data (quote long numbers).",
  },
  pattern: {
    type: "string",
    format: "regex",
    description: "A regular expression that the whole value matches.",
  },
  sha256: {
    type: "string",
    pattern: "^(?:sha256:)?[0-9a-fA-F]{64}$",
    description:
      "The digest of a value that must not be written out, as `gatehouse scan --suggest-allow` prints it.",
  },
  detectors: { ...detectors, description: "The detectors the entry applies to (default: all)." },
  reason: text("Why the value is not personal data, for the auditors."),
};

const TOP: Record<string, object> = {
  version: { const: 1 },
  records: { type: "boolean", description: "Scan every record file (default: true)." },
  paths: {
    type: "array",
    items: { type: "string", pattern: "\\S" },
    description: 'Further files to scan, as globs from the repository root ("incidents/**").',
  },
  detectors: { ...detectors, description: "The detectors that run (default: all)." },
  allow: {
    type: "array",
    description: "Values known not to be personal data, each with a reason.",
    items: {
      type: "object",
      additionalProperties: false,
      required: ["reason"],
      // Exactly one of value, pattern and sha256.
      oneOf: ["value", "pattern", "sha256"].map((key) => ({
        required: [key],
        properties: { [key]: true },
      })),
      properties: Object.fromEntries(ENTRY_KEYS.map((key) => [key, ENTRY[key] ?? {}])),
    },
  },
};

export const PRIVACY_SCHEMA = {
  $schema: "http://json-schema.org/draft-07/schema#",
  title: "gatehouse personal-data policy (policies/privacy.yml)",
  type: "object",
  additionalProperties: false,
  required: ["version"],
  properties: Object.fromEntries(TOP_KEYS.map((key) => [key, TOP[key] ?? {}])),
};
