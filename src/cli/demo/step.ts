import type { LocalContext } from "../../git/context.js";
import type { Conclusion, Login } from "../../core/types.js";

/** Commits one person makes on a pull request's branch; a `null` content removes the file. */
export interface DemoCommit {
  by: Login;
  message: string;
  files: Record<string, string | null>;
}

/**
 * One screen of the story: a pull request, judged by `gatehouse check` exactly as the printed
 * command would judge it, and merged into main when it passes.
 */
export interface PullRequestStep {
  /** A few words for the summary table. */
  title: string;
  /** What happens, told before the verdict. */
  narrative: string;
  branch: string;
  author: Login;
  commits: DemoCommit[];
  approvals: Login[];
  expect: Conclusion;
  /**
   * What else GitHub would know of the pull request (its body naming a change, labels, CI
   * checks), written into the step's context file beside the author and approvals.
   */
  context?: Pick<LocalContext, "body" | "labels" | "checks" | "teams" | "number">;
  /**
   * When it is judged, ISO 8601 with an offset, as `--now` prints it (default: the demo's
   * Tuesday morning): deployments are judged inside, or outside, their change's window.
   */
  now?: string;
  /**
   * Judged first with fewer approvals, to show the check waiting, or at another time (`now`),
   * to show a window not open yet (`label` names the moment).
   */
  before?: { approvals: Login[]; expect: Conclusion; label: string; now?: string };
  /**
   * A first push that is refused, judged before `commits`. The author then rewrites the
   * branch from main (`fix` says how), so the refused commits never reach main's history.
   */
  refusedFirst?: {
    commits: DemoCommit[];
    expect: Conclusion;
    label: string;
    narrative: string;
    fix: string;
  };
  /** Merged into main when it passes; refusals stay on their branch. */
  merge: boolean;
}

/**
 * One screen of the story that runs a `gatehouse` command on main's working tree (validate,
 * audit, …) and shows its output, for what happens outside a pull request.
 */
export interface CommandStep {
  title: string;
  narrative: string;
  /** The arguments after `gatehouse`, as printed and run in the demo repository. */
  command: string[];
  /** The exit status the story expects (0 all clear, 1 blocked). */
  expect: number;
}

export type StoryStep = PullRequestStep | CommandStep;

export function isCommandStep(step: StoryStep): step is CommandStep {
  return "command" in step;
}

/** The commits of a pull request that writes one record: one commit by its author. */
export function oneCommit(by: Login, message: string, path: string, content: string): DemoCommit[] {
  return [{ by, message, files: { [path]: content } }];
}

/** A part of the story: what it tells (for `demo --help`), and its steps in order. */
export interface Chapter {
  /** One phrase, starting in lower case: "a change request: its four data providers …". */
  about: string;
  steps: StoryStep[];
}
