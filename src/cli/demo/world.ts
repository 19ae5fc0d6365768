import type { SigningKey } from "../../core/evidence/sign.js";
import type { Conclusion, Login } from "../../core/types.js";
import { recordLocalMerge } from "../../git/merge-evidence.js";
import type { Paint } from "../color.js";
import type { CliIO } from "../io.js";
import type { DemoRepo } from "./demo-repo.js";
import type { Judgement } from "./judge.js";

/** One verdict (or command) of the story and whether it came out as the story expects. */
export interface DemoStepResult {
  /** The step's number as the demo prints it; "5a", "5b" when one step is judged twice. */
  step: string;
  title: string;
  /** A conclusion for a pull request; "exit 0" for a command. */
  expected: Conclusion | string;
  actual: Conclusion | string;
  summary: string;
}

/**
 * What every step of the demo shares: the repository, where to print, and the key with which
 * merges sign their evidence (the App's, in the story): separation of duties across pull
 * requests reads that evidence back from the repository's own notes, as `gatehouse check` does.
 */
export class DemoWorld {
  constructor(
    readonly repo: DemoRepo,
    readonly io: CliIO,
    readonly paint: Paint,
    readonly color: boolean,
    readonly signer: SigningKey,
  ) {}

  write(text: string): void {
    this.io.stdout.write(text);
  }

  /**
   * Merges a judged branch into main with a merge commit, as pressing "merge" on GitHub would,
   * and writes the merge's signed evidence into refs/notes/gatehouse, as the App does.
   */
  async merge(branch: string, judgement: Judgement, by: Login): Promise<void> {
    const { before, merge } = this.repo.mergeCommit(branch, judgement.snapshot.number ?? 0, by);
    await recordLocalMerge({
      root: this.repo.dir,
      snapshot: judgement.snapshot,
      verdict: judgement.verdict,
      baseRef: "main",
      before,
      merge,
      by,
      signer: this.signer,
    });
  }
}
