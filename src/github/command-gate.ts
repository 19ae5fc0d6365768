/**
 * Who may make gatehouse work by commenting. `/gatehouse recheck` and `/gatehouse explain` start
 * a judgement (and `explain` writes a reply of up to 65 KB), so a command from someone with no
 * stake in the pull request must cost nothing: it is honoured only from the pull request's
 * author or from someone with write access to the repository, and at most once per pull request
 * in {@link COMMAND_WINDOW_SECONDS}, so that a flood of comments cannot crowd out other pull
 * requests' verdicts in the installation.
 */
import type { GitHubClient } from "./github-client.js";
import type { JudgeStore } from "./judge-store.js";

/** A command per pull request in this many seconds at most; later ones are ignored. */
export const COMMAND_WINDOW_SECONDS = 30;
/** How long a looked-up permission is trusted: a revoked write access counts within minutes. */
const PERMISSION_SECONDS = 300;
/** Associations that may hold write access; anyone else is refused without a request. */
const MAY_WRITE = new Set(["OWNER", "MEMBER", "COLLABORATOR"]);
const WRITE_PERMISSIONS = new Set(["admin", "maintain", "write"]);

export interface CommandComment {
  owner: string;
  repo: string;
  number: number;
  commenter: string;
  /** The comment's `author_association`, as GitHub sent it. */
  association: string;
  /** The login of the pull request's author. */
  pullAuthor: string;
}

export type CommandDecision = { honour: true } | { honour: false; why: string };

/** Decides whether a command is honoured; costs a request only for a possible writer. */
export async function commandDecision(
  github: Pick<GitHubClient, "rest">,
  store: JudgeStore,
  comment: CommandComment,
): Promise<CommandDecision> {
  const { owner, repo, number, commenter } = comment;
  const isAuthor = commenter.toLowerCase() === comment.pullAuthor.toLowerCase();
  if (!isAuthor) {
    if (!MAY_WRITE.has(comment.association)) {
      return { honour: false, why: `${comment.association.toLowerCase()} commenter` };
    }
    if (!(await canWrite(github, store, owner, repo, commenter))) {
      return { honour: false, why: "commenter without write access" };
    }
  }
  const window = `command:${owner}/${repo}#${number}`;
  if (!(await store.setIfAbsent(window, "1", COMMAND_WINDOW_SECONDS))) {
    return { honour: false, why: `another command within ${COMMAND_WINDOW_SECONDS} s` };
  }
  return { honour: true };
}

async function canWrite(
  github: Pick<GitHubClient, "rest">,
  store: JudgeStore,
  owner: string,
  repo: string,
  login: string,
): Promise<boolean> {
  const key = `permission:${owner}/${repo}:${login.toLowerCase()}`;
  const known = await store.get(key);
  if (known !== null) return known === "write";
  // GitHub answers 404 for someone who is no collaborator at all: no write access either.
  const data = await github.rest.repos
    .getCollaboratorPermissionLevel({ owner, repo, username: login })
    .then(
      (response) => response.data,
      (error: { status?: number }) => {
        if (error.status === 404) return { permission: "none", role_name: "none" };
        throw error;
      },
    );
  const write = WRITE_PERMISSIONS.has(data.permission) || WRITE_PERMISSIONS.has(data.role_name);
  await store.set(key, write ? "write" : "read", PERMISSION_SECONDS);
  return write;
}
