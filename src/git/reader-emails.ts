/**
 * The e-mail addresses of the person running a command in a clone: git's `user.email` (and
 * the author and committer e-mails the environment sets, which git also commits with). Messages
 * show these in full: masking is for other people's data.
 */
import { gitConfig } from "./git-config.js";

export async function readerEmails(root: string, env: NodeJS.ProcessEnv): Promise<string[]> {
  const configured = (await gitConfig(root, "user.email")) ?? "";
  const emails = [configured, env.GIT_AUTHOR_EMAIL ?? "", env.GIT_COMMITTER_EMAIL ?? ""]
    .map((email) => email.trim().toLowerCase())
    .filter((email) => email.includes("@"));
  return [...new Set(emails)];
}
