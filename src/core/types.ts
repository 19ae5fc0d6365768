/**
 * The words of the domain, shared by every part of gatehouse. Every module imports them from
 * here; the larger shapes live in `types/`, one file each, and are re-exported below.
 *
 * The seam between the adapters (git, GitHub) and the pure core is the {@link Snapshot}: it
 * holds everything needed to judge one pull request, loaded once. The core answers with a
 * {@link Verdict}, a tree of {@link RuleResult}s that renders to a check run, a terminal and JSON.
 */
import type { RuleResult, Verdict } from "./types/verdict.js";
import type { Snapshot } from "./types/snapshot.js";

/** A GitHub login, without the leading "@" (for example "zhao-min"). */
export type Login = string;

/** A role id of `roles.yml`, such as "qa" or "release-manager". */
export type RoleId = string;

/** A team as policies name it: "org/slug", without the leading "@". */
export type TeamName = string;

export const RECORD_KINDS = ["ChangeRequest", "IncidentAnalysis", "ImprovementPlan"] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

export { STATUS_ORDER, worstStatus } from "./types/status.js";
export type { Status } from "./types/status.js";
export type { Finding, SourceLocation } from "./types/finding.js";
export type { Act, Conclusion, RecordChange } from "./types/verdict.js";
export type { RuleResult, Verdict };
export type { Commit, CommitSignature, Person } from "./types/commit.js";
export type { Review, ReviewState } from "./types/review.js";
export type { ChangedFile, EntryType, FileStatus } from "./types/changed-file.js";
export type { Evidence, EvidenceDocumentRef } from "./types/evidence.js";
export type { AddedLines, CommitAdditions } from "./types/snapshot.js";
export type { Snapshot };
