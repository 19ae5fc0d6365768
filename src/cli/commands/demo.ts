import type { Command } from "../command.js";
import { useColor } from "../color.js";
import { EXIT } from "../errors.js";
import { runDemo } from "../demo/run-demo.js";

export const command: Command = {
  name: "demo",
  summary: "Tell the story of the talk on a temporary repository, judging every step",
  usage: "gatehouse demo [--keep]",
  details: `Options:
  --keep   Keep the temporary repository afterwards, to look at its branches and commits.

A bank adopts gatehouse: a change request is filled by its data providers, initiated and
scheduled; an incident is collected (its first push is refused for personal data, then
masked), analysed, disputed and arbitrated; an improvement plan is proposed and approved. Then
three more pull requests are refused, each with its reason. Every step
is real git commits (signed with throwaway SSH keys when ssh-keygen is installed), judged by
the same code as 'gatehouse check'. No network, no GitHub account.

Exit status: 0 when every step came out as the story expects, 1 otherwise.`,
  options: { keep: { type: "boolean" } },
  allowPositionals: false,
  async run(args, io) {
    const result = await runDemo(io, { keep: args.values.keep === true, color: useColor(io) });
    if (!result.ok) {
      io.stderr.write(
        "gatehouse demo: some steps did not come out as the story expects; see the summary.\n",
      );
    }
    return result.ok ? EXIT.clear : EXIT.blocked;
  },
};
