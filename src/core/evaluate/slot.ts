import type { Login, RoleId } from "../types.js";

/** What a slot stands for; decides the act it records and the words of its reason. */
export type SlotKind = "consent" | "requires" | "path" | "owners" | "execution";

/**
 * One approval or consent the pull request needs. All slots are filled together by
 * {@link assign}, so that one person is not counted twice where the policy forbids it.
 */
export interface Slot {
  /** The id of the verdict node this slot becomes. */
  id: string;
  kind: SlotKind;
  /** The role the person acts in; null for an OWNERS entry that names people or teams only. */
  role: RoleId | null;
  /** How the requirement reads in a sentence: "qa", "dev-lead for /deployment", "an owner of policies/". */
  label: string;
  /** For a consent: the section's JSON pointer ("/deployment"), which evidence records. */
  section?: string;
  /** The record id the act concerns (separation of duties applies per record), or null. */
  record: string | null;
  /** Within one group every slot needs a different person. */
  group: string;
  /** People who could fill it, best first: valid approvers holding the role (and the author for a consent). */
  candidates: Login[];
  /** People who would be candidates if they had approved the head commit and were not excluded. */
  eligible: Login[];
}
