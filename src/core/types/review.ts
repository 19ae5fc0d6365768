/** A review of a pull request. */
import type { Login } from "../types.js";

export type ReviewState = "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED" | "DISMISSED" | "PENDING";

/** The latest review of one user on the pull request. */
export interface Review {
  user: Login;
  state: ReviewState;
  /** The head sha the review was given on; approvals count only on the current head. */
  commit: string;
  submittedAt: Date;
}
