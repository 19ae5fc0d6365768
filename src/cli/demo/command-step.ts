import { main } from "../main.js";
import { commandLine, indent, outcome, paragraph } from "./screen.js";
import type { CommandStep } from "./step.js";
import type { DemoStepResult, DemoWorld } from "./world.js";

/**
 * Plays a step that runs a `gatehouse` command on main's working tree, through the same entry
 * point as the shell, and shows its output as the reader would see it.
 */
export async function runCommandStep(
  world: DemoWorld,
  step: CommandStep,
  number: string,
): Promise<DemoStepResult[]> {
  world.write(`${paragraph(step.narrative)}\n`);
  world.repo.checkoutMain();
  let output = "";
  const collect = { write: (text: string) => (output += text) };
  const status = await main(step.command, {
    stdout: collect,
    stderr: collect,
    stdin: world.io.stdin,
    cwd: world.repo.dir,
    env: { ...world.io.env, NO_COLOR: "1" },
  });
  commandLine(world, `gatehouse ${step.command.join(" ")}`);
  if (output.trim() !== "") world.write(indent(output, "    "));
  const expected = `exit ${step.expect}`;
  const actual = `exit ${status}`;
  outcome(world, actual, expected, false);
  const summary = output.trim().split("\n").at(-1) ?? "";
  return [{ step: number, title: step.title, expected, actual, summary }];
}
