import { collapseSkipped } from "../../core/report/collapse-skipped.js";
import { renderText } from "../../core/report/render-text.js";
import type { Conclusion } from "../../core/types.js";
import type { Judgement } from "./judge.js";
import type { DemoWorld } from "./world.js";

/** The width of the rule between two screens: what fits an 80-column terminal. */
const RULE_WIDTH = 78;

/** The top of a step's screen: a rule, then "Step 3/17: title", then what happens. */
export function heading(world: DemoWorld, number: number, total: number, title: string): void {
  world.write(`\n${world.paint("dim", "─".repeat(RULE_WIDTH))}\n`);
  world.write(`${world.paint("bold", `Step ${number}/${total}: ${title}`)}\n`);
}

/**
 * A paragraph of the story wrapped to the screen's width: `first` starts the first line (such
 * as "  5a. "), and the lines after it are indented as far. Words longer than a line stay whole.
 */
export function paragraph(text: string, first = "", width = RULE_WIDTH): string {
  const hang = " ".repeat(first.length);
  const lines: string[] = [];
  let line = first;
  for (const word of text.split(/\s+/).filter((w) => w !== "")) {
    const start = line === first || line === hang;
    if (!start && line.length + 1 + word.length > width) {
      lines.push(line);
      line = hang + word;
    } else line = start ? line + word : `${line} ${word}`;
  }
  lines.push(line);
  return `${lines.join("\n")}\n`;
}

/**
 * A command the step runs, as the reader would type it: a long one is broken before an option
 * with a trailing backslash, so that it still pastes into a shell as one command.
 */
export function commandLine(world: DemoWorld, command: string): void {
  // Units that stay on one line: the command's words, and each option with its value.
  const units = command.split(/ (?=--)/);
  const lines: string[] = [];
  let line = "";
  for (const unit of units) {
    if (line !== "" && 4 + line.length + 1 + unit.length + 2 > RULE_WIDTH) {
      lines.push(`${line} \\`);
      line = ` ${unit}`;
    } else line = line === "" ? unit : `${line} ${unit}`;
  }
  lines.push(line);
  world.write(`  ${world.paint("dim", "$")} ${lines.join("\n     ")}\n`);
}

/**
 * The judgement behind a verdict: the command that reproduces it and what its context holds,
 * then the verdict. A passing verdict folds the rules that had nothing to judge; a refusal is
 * shown in full, since every line of it may be the reason.
 */
export function showJudgement(world: DemoWorld, judgement: Judgement): void {
  commandLine(world, judgement.command);
  world.write(`    ${world.paint("dim", `context: ${judgement.context}`)}\n\n`);
  const { verdict } = judgement;
  const shown =
    verdict.conclusion === "success"
      ? { ...verdict, rules: collapseSkipped(verdict.rules) }
      : verdict;
  world.write(indent(renderText(shown, { color: world.color })));
}

/** The last line of a judgement: how it came out against what the story expects. */
export function outcome(
  world: DemoWorld,
  actual: Conclusion | string,
  expected: Conclusion | string,
  merged: boolean,
): void {
  world.write(
    actual === expected
      ? `${world.paint("dim", `→ ${actual}, as the story expects${merged ? "; merged into main" : ""}.`)}\n`
      : `${world.paint("red", `→ ${actual}, but the story expects ${expected}.`)}\n`,
  );
}

export function indent(text: string, by = "  "): string {
  return text
    .trimEnd()
    .split("\n")
    .map((line) => (line === "" ? line : `${by}${line}`))
    .join("\n")
    .concat("\n");
}
