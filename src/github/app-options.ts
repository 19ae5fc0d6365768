/**
 * The app's own settings in `.github/gatehouse.yml`, read through Probot's `context.config` so
 * that an organisation can set them once in its `.github` repository with `_extends`. The
 * policy itself is never read from here: it comes from the base commit of the pull request.
 */
import type { Context } from "probot";

export interface AppOptions {
  /** Directory of the policy files. Default "policies". */
  policies: string;
  /** `.github/CODEOWNERS` is the owners file instead of `<policies>/OWNERS`. */
  codeowners: boolean;
  /** Ask the holders of missing roles for a review. Default false. */
  requestReviews: boolean;
  /** The whole resolved file, for the core to see what the organisation set. */
  resolved: Record<string, unknown> | null;
}

/** Reads and checks the app settings; a wrong setting is an error that names its key. */
export async function appOptions(context: Pick<Context, "config">): Promise<AppOptions> {
  const resolved = (await context.config<Record<string, unknown>>("gatehouse.yml")) ?? null;
  const policies = resolved?.policies ?? "policies";
  if (typeof policies !== "string" || policies.trim() === "" || policies.includes("..")) {
    throw new Error(
      '.github/gatehouse.yml: "policies" must be a directory of the repository, such as "policies".',
    );
  }
  const requestReviews = resolved?.["request-reviews"] ?? false;
  if (typeof requestReviews !== "boolean") {
    throw new Error('.github/gatehouse.yml: "request-reviews" must be true or false.');
  }
  return {
    policies: policies.replace(/^\.?\/+|\/+$/g, ""),
    codeowners: resolved?.codeowners === true,
    requestReviews,
    resolved,
  };
}
