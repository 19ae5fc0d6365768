/**
 * The app's own settings in `.github/gatehouse.yml`, read from the **base commit** being judged,
 * like the policy itself: a pull request into a release branch is judged with that branch's
 * settings, and a pull request cannot change them for itself. Only a file that says
 * `_extends` (an organisation's settings made once in its `.github` repository) is resolved
 * through Probot's configuration loader, which reads the repository's default branch.
 */
import type { Context } from "probot";
import YAML from "yaml";

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

export const DEFAULT_POLICIES = "policies";

/** Checks the settings of a parsed file; a wrong setting is an error that names its key. */
export function appOptionsOf(resolved: Record<string, unknown> | null): AppOptions {
  const policies = resolved?.policies ?? DEFAULT_POLICIES;
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

/**
 * The settings as the base commit's file text says them (null: no file). A file that does not
 * parse gives the defaults here: the core then fails the check naming its line and column.
 */
export function appOptionsOfText(text: string | null): AppOptions {
  return appOptionsOf(parseSettings(text));
}

/** True when the file asks for settings made elsewhere (`_extends`). */
export function extendsSettings(text: string | null): boolean {
  const parsed = parseSettings(text);
  return parsed !== null && "_extends" in parsed;
}

/** The settings with `_extends` resolved through Probot's loader (default branch). */
export async function resolvedSettings(
  context: Pick<Context, "config">,
): Promise<Record<string, unknown> | null> {
  return (await context.config<Record<string, unknown>>("gatehouse.yml")) ?? null;
}

function parseSettings(text: string | null): Record<string, unknown> | null {
  if (text === null) return null;
  try {
    const parsed: unknown = YAML.parse(text);
    return parsed && typeof parsed === "object" && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}
