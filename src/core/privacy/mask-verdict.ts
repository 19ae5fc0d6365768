/**
 * The last step of every judgement: no text of a verdict holds personal data unmasked. Rule ids,
 * reasons, the summary, findings (paths, codes, messages) and the records' paths, ids and state
 * names are built from what a pull request holds (file names, unknown field and state names,
 * quoted values), so they are masked here, once, for every output that shows a verdict: the
 * terminal, JSON, Markdown and the App's check run. Masking is idempotent, so text that a
 * detector already masked reads the same.
 */
import type { Finding, RecordChange, RuleResult, Verdict } from "../types.js";
import type { AllowList } from "./allow-list.js";
import { maskText } from "./stream-masker.js";

/**
 * The verdict with every text masked. `ownEmails` are the reader's own addresses, shown in
 * full: masking is for other people's data.
 */
export function maskVerdict(verdict: Verdict, ownEmails: readonly string[] = []): Verdict {
  const mask = verdictMasker(ownEmails);
  const findings = new Map<Finding, Finding>();
  const finding = (f: Finding): Finding => {
    let masked = findings.get(f);
    if (!masked) {
      masked = { ...f, path: mask(f.path), code: mask(f.code), message: mask(f.message) };
      findings.set(f, masked);
    }
    return masked;
  };
  const rule = (node: RuleResult): RuleResult => {
    const out: RuleResult = {
      ...node,
      id: mask(node.id),
      reason: mask(node.reason),
      children: node.children.map(rule),
    };
    if (node.findings) out.findings = node.findings.map(finding);
    return out;
  };
  const record = (r: RecordChange): RecordChange => ({
    ...r,
    path: mask(r.path),
    id: r.id === null ? null : mask(r.id),
    from: r.from === null ? null : mask(r.from),
    to: r.to === null ? null : mask(r.to),
  });
  return {
    ...verdict,
    summary: mask(verdict.summary),
    records: verdict.records.map(record),
    rules: rule(verdict.rules),
    findings: verdict.findings.map(finding),
  };
}

/** Masks one text of a verdict, leaving the reader's own e-mail addresses as they are. */
export function verdictMasker(ownEmails: readonly string[] = []): (text: string) => string {
  const allow: AllowList = ownEmails.map((value) => ({
    value,
    detectors: ["email"],
    reason: "the reader's own e-mail address",
  }));
  const cache = new Map<string, string>();
  return (text) => {
    let masked = cache.get(text);
    if (masked === undefined) {
      masked = maskText(text, { allow });
      cache.set(text, masked);
    }
    return masked;
  };
}
