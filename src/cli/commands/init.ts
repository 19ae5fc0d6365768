import { resolve } from "node:path";
import type { Command } from "../command.js";
import { EXIT, UsageError } from "../errors.js";
import { existingFiles, initFiles, PACKS, writeFiles, type Pack } from "../init-files.js";

export const command: Command = {
  name: "init",
  summary: "Set up a repository for gatehouse: policy pack, templates, schemas, configuration",
  usage: "gatehouse init [DIR] [--pack finance] [--force]",
  details: `Arguments:
  DIR            The repository to set up (default: the current directory).

Options:
  --pack NAME    The policy pack to write into policies/ (default: finance, the only one).
  --force        Overwrite files that already exist (default: refuse and list them).

Writes policies/ (roles, OWNERS, workflows, calendar, privacy, deployments, and keys/ with a
README saying which public keys go there), the record templates (.gatehouse/templates/),
JSON Schemas for editors (schemas/: the records, roles, workflows, calendar, privacy,
deployments and the configuration; every YAML file names its schema on its first line, for
editors with the YAML language server), .github/gatehouse.yml,
.github/pull_request_template.md and empty changes/, incidents/ and improvements/.`,
  options: {
    pack: { type: "string" },
    force: { type: "boolean" },
  },
  allowPositionals: true,
  async run(args, io) {
    const [target, ...extra] = args.positionals;
    if (extra.length > 0)
      throw new UsageError(`expects one directory, got ${args.positionals.length}.`);
    const pack = (args.values.pack ?? "finance") as string;
    if (!(PACKS as readonly string[]).includes(pack)) {
      throw new UsageError(`there is no policy pack '${pack}'; use --pack ${PACKS.join(" or ")}.`);
    }
    const dir = resolve(io.cwd, target ?? ".");
    const files = await initFiles(pack as Pack);
    const existing = existingFiles(dir, files);
    if (existing.length > 0 && args.values.force !== true) {
      io.stderr.write(
        `gatehouse init: ${dir} already has ${existing.length} of the files it would write:\n` +
          existing.map((path) => `  ${path}\n`).join("") +
          "Nothing was written. Move them away, or run again with --force to overwrite them.\n",
      );
      return EXIT.usage;
    }
    await writeFiles(dir, files);
    io.stdout.write(
      `Wrote ${files.size} files into ${dir}:\n` +
        [...files.keys()].map((path) => `  ${path}\n`).join("") +
        `\nNext steps:\n` +
        `  1. Put your people into policies/roles.yml, in place of the example members of every role.\n` +
        `  2. Add each signer's public key: 'gatehouse keys add' (yours), 'gatehouse keys add --ssh FILE --login L'.\n` +
        `  3. Run 'gatehouse validate' until it says valid; commit to the default branch (signed) and push.\n` +
        `  4. Run 'gatehouse hooks install', then make the 'gatehouse' check required in the branch protection of main.\n` +
        `  5. Start a record with 'gatehouse new change --title "..."'; editors check every file against schemas/ as you type.\n`,
    );
    return EXIT.clear;
  },
};
