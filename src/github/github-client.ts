import type { Context } from "probot";

/** The authenticated Octokit of a webhook, or one the CLI builds with a token. */
export type GitHubClient = Context["octokit"];
