import type { Command } from "../command.js";
import { useColor } from "../color.js";
import { EXIT } from "../errors.js";
import { runDemo } from "../demo/run-demo.js";
import { paragraph } from "../demo/screen.js";
import { outline } from "../demo/story.js";

export const command: Command = {
  name: "demo",
  summary: "Tell a bank's delivery story on a temporary repository, judging every step",
  usage: "gatehouse demo [--keep]",
  details: `Options:
  --keep   Keep the temporary repository afterwards, with each step's context file
           (.gatehouse-demo/), so that any step can be replayed with the
           'gatehouse check' command printed above its verdict.

The story. A bank keeps its change requests, production-incident analyses and improvement
plans as YAML files in git, and lets gatehouse judge every pull request that touches them
against the bank's policy: who must approve, which role may write which section of a record,
which state changes are legal, that no one person acts in two roles that must stay apart
(who builds a change does not execute it), that every commit is signed by a trusted key,
that no customer data enters git, and that changes are scheduled only inside the allowed
change windows. Eleven people play the roles of a delivery team: a requirements liaison,
an architect, a dev lead and a test lead provide the data; a release manager and QA
initiate; an ops lead executes; two managers sponsor and arbitrate; two security admins
own the policy.

One screen per step:
${outline()
  .map(({ steps, about }) => paragraph(about, `  ${steps.padEnd(9)}`, 90))
  .join("")}
Each step is real git commits by the people acting (signed with throwaway SSH keys when
ssh-keygen is installed), judged by the same code as 'gatehouse check', whose command line
and context are printed with the verdict. Passing verdicts fold the rules that had nothing
to judge; refusals are shown in full. No network, no GitHub account.

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
