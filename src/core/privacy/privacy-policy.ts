/**
 * `privacy.yml`: which files the personal-data gate scans, with which detectors, and which
 * values it lets pass (each with a reason, for the auditors). Pure: text in, policy and
 * findings out.
 */
import type { AllowEntry } from "./allow-list.js";
import { DETECTOR_CODES, isDetectorCode, type DetectorCode } from "./detector.js";
import { suggestion } from "../policy/did-you-mean.js";
import { parseYaml } from "../yaml/parse-yaml.js";
import type { Finding } from "../types.js";

export interface PrivacyPolicy {
  /** Scan every record (files under the record directories of the configuration). */
  records: boolean;
  /** Globs (picomatch) of further files to scan, relative to the repository root. */
  paths: string[];
  detectors: DetectorCode[];
  allow: AllowEntry[];
}

export interface PrivacyPolicyLoad {
  /** Null when the file is so broken that no policy can be read from it. */
  policy: PrivacyPolicy | null;
  findings: Finding[];
}

/** The keys of privacy.yml, and of one allow-list entry (the JSON Schema is built from them). */
export const TOP_KEYS = ["version", "records", "paths", "detectors", "allow"];
export const ENTRY_KEYS = ["value", "pattern", "sha256", "detectors", "reason"];

/**
 * Reads privacy.yml. Every mistake is a finding with file, line and column: unknown keys,
 * unknown detectors, an allow-list entry without a reason, a pattern that does not compile.
 * A policy with findings must not be used to judge (fail closed); the stage fails on them.
 */
export function parsePrivacyPolicy(path: string, text: string): PrivacyPolicyLoad {
  const yaml = parseYaml(path, text);
  const findings: Finding[] = [...yaml.findings];
  if (findings.length > 0) return { policy: null, findings };
  const at = (pointer: string, code: string, message: string): void => {
    findings.push({ ...yaml.locate(pointer), code, message });
  };
  const data = yaml.data;
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    at(
      "",
      "privacy/policy",
      "privacy.yml must be a mapping with version, paths, detectors and allow; see the finance pack for an example.",
    );
    return { policy: null, findings };
  }
  const doc = data as Record<string, unknown>;
  for (const key of Object.keys(doc)) {
    if (!TOP_KEYS.includes(key)) {
      findings.push({
        ...yaml.locateKey(`/${key}`),
        code: "privacy/policy",
        message: `unknown key "${key}"${suggestion(key, TOP_KEYS) || `; privacy.yml knows ${TOP_KEYS.join(", ")}.`}`,
      });
    }
  }
  if (doc.version !== 1) {
    at("/version", "privacy/policy", "privacy.yml needs `version: 1` at the top.");
  }
  const records = doc.records ?? true;
  if (typeof records !== "boolean") {
    at("/records", "privacy/policy", "`records` must be true (scan every record) or false.");
  }
  const paths = stringList(doc.paths ?? [], "/paths", 'path globs such as "incidents/**"', at);
  let detectors: DetectorCode[] = [...DETECTOR_CODES];
  if (doc.detectors !== undefined) detectors = detectorList(doc.detectors, "/detectors", at);
  const allow: AllowEntry[] = [];
  if (doc.allow !== undefined && !Array.isArray(doc.allow)) {
    at(
      "/allow",
      "privacy/policy",
      "`allow` must be a list of entries, each with a value or a pattern and a reason.",
    );
  }
  const entries = Array.isArray(doc.allow) ? doc.allow : [];
  entries.forEach((entry: unknown, i) => {
    const parsed = allowEntry(entry, `/allow/${i}`, at, yaml.locateKey, findings);
    if (parsed) allow.push(parsed);
  });
  if (findings.length > 0) return { policy: null, findings };
  return { policy: { records: records === true, paths, detectors, allow }, findings };
}

type At = (pointer: string, code: string, message: string) => void;

function stringList(value: unknown, pointer: string, what: string, at: At): string[] {
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string" || v.trim() === "")) {
    at(pointer, "privacy/policy", `\`${pointer.slice(1)}\` must be a list of ${what}.`);
    return [];
  }
  return value as string[];
}

function detectorList(value: unknown, pointer: string, at: At): DetectorCode[] {
  if (!Array.isArray(value)) {
    at(
      pointer,
      "privacy/policy",
      `\`detectors\` must be a list of detector codes: ${DETECTOR_CODES.join(", ")}.`,
    );
    return [];
  }
  const out: DetectorCode[] = [];
  value.forEach((v: unknown, i) => {
    if (isDetectorCode(v)) out.push(v);
    else {
      at(
        `${pointer}/${i}`,
        "privacy/unknown-detector",
        `"${String(v)}" is not a detector${suggestion(String(v), DETECTOR_CODES)}; use one of ${DETECTOR_CODES.join(", ")}.`,
      );
    }
  });
  return out;
}

function allowEntry(
  entry: unknown,
  pointer: string,
  at: At,
  locateKey: (pointer: string) => { path: string; line: number; column: number },
  findings: Finding[],
): AllowEntry | null {
  if (entry === null || typeof entry !== "object" || Array.isArray(entry)) {
    at(
      pointer,
      "privacy/allow",
      "an allow-list entry must be a mapping with `value` or `pattern`, and `reason`.",
    );
    return null;
  }
  const e = entry as Record<string, unknown>;
  for (const key of Object.keys(e)) {
    if (!ENTRY_KEYS.includes(key)) {
      findings.push({
        ...locateKey(`${pointer}/${key}`),
        code: "privacy/allow",
        message: `unknown key "${key}"${suggestion(key, ENTRY_KEYS) || `; an allow-list entry knows ${ENTRY_KEYS.join(", ")}.`}`,
      });
    }
  }
  const reason = typeof e.reason === "string" ? e.reason.trim() : "";
  if (reason === "") {
    at(
      pointer,
      "privacy/allow-reason",
      'this allow-list entry has no reason; add `reason:` saying why the value is not personal data (for example "published test card number").',
    );
  }
  const hasValue = e.value !== undefined;
  const hasPattern = e.pattern !== undefined;
  const hasHash = e.sha256 !== undefined;
  if (Number(hasValue) + Number(hasPattern) + Number(hasHash) !== 1) {
    at(
      pointer,
      "privacy/allow",
      "an allow-list entry needs exactly one of `value` (an exact value), `pattern` (a regular expression) or `sha256` (the digest `gatehouse scan --suggest-allow` prints, so that the value is not written out).",
    );
    return null;
  }
  const out: AllowEntry = { reason };
  if (hasHash) {
    if (typeof e.sha256 !== "string" || !/^(?:sha256:)?[0-9a-f]{64}$/i.test(e.sha256.trim())) {
      at(
        `${pointer}/sha256`,
        "privacy/allow",
        "`sha256` must be the 64 hexadecimal digits that `gatehouse scan --suggest-allow` prints.",
      );
      return null;
    }
    out.sha256 = e.sha256
      .trim()
      .toLowerCase()
      .replace(/^sha256:/, "");
  } else if (hasValue) {
    if (typeof e.value !== "string" && typeof e.value !== "number") {
      at(`${pointer}/value`, "privacy/allow", "`value` must be a string; quote it.");
      return null;
    }
    // A long number written without quotes has lost its digits to floating point.
    if (typeof e.value === "number" && !Number.isSafeInteger(e.value)) {
      at(
        `${pointer}/value`,
        "privacy/allow",
        "this number is too long to be read exactly; put it in quotes.",
      );
      return null;
    }
    out.value = String(e.value);
  } else {
    if (typeof e.pattern !== "string") {
      at(
        `${pointer}/pattern`,
        "privacy/allow",
        "`pattern` must be a regular expression in a string.",
      );
      return null;
    }
    try {
      out.pattern = new RegExp(`^(?:${e.pattern})$`);
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      at(
        `${pointer}/pattern`,
        "privacy/allow",
        `this pattern is not a valid regular expression (${why}); fix it or use \`value\`.`,
      );
      return null;
    }
  }
  if (e.detectors !== undefined)
    out.detectors = detectorList(e.detectors, `${pointer}/detectors`, at);
  return out;
}
