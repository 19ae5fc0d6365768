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

Writes policies/ (roles, OWNERS, workflows, calendar, privacy, and keys/ with a README
saying which public keys go there), the record templates
(.gatehouse/templates/), the records' JSON Schemas (schemas/), .github/gatehouse.yml,
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
        `  1. Put your people into policies/roles.yml: replace the example members of every role.\n` +
        `  2. Add each signer's public key as policies/keys/<login>.asc (OpenPGP) or .pub (SSH).\n` +
        `  3. Commit, then make the 'gatehouse' check required in the branch protection of main.\n` +
        `  4. Start a record with 'gatehouse new change --title "..."' and check it with 'gatehouse validate'.\n`,
    );
    return EXIT.clear;
  },
};
