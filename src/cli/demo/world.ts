import type { Act, Conclusion, Evidence, Verdict } from "../../core/types.js";
import type { Paint } from "../color.js";
import type { CliIO } from "../io.js";
import type { DemoRepo } from "./demo-repo.js";

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
 * What every step of the demo shares: the repository, where to print, and what earlier merged
 * pull requests did to each record (the evidence that separation of duties reads).
 */
export class DemoWorld {
  private readonly acts = new Map<string, Act[]>();

  constructor(
    readonly repo: DemoRepo,
    readonly io: CliIO,
    readonly paint: Paint,
    readonly color: boolean,
  ) {}

  write(text: string): void {
    this.io.stdout.write(text);
  }

  /** The evidence of earlier merges, as a check's context carries it. */
  evidence(): Evidence[] {
    return [...this.acts].map(([record, acts]) => ({ record, acts: [...acts] }));
  }

  /** Brings a judged branch into main, as pressing "merge" would, and keeps what it did. */
  merge(branch: string, verdict: Verdict): void {
    this.repo.merge(branch);
    for (const act of verdict.acts) {
      if (act.record !== null)
        this.acts.set(act.record, [...(this.acts.get(act.record) ?? []), act]);
    }
  }
}
