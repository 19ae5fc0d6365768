import type { Command } from "../command.js";
import { UsageError } from "../errors.js";
import { addKey } from "../keys/add-key.js";
import { listKeys } from "../keys/list-keys.js";
import { verifyRange } from "../keys/verify-range.js";
import { suggestThen } from "../suggest.js";

/** Which options each subcommand takes: any other is refused by name. */
const OPTIONS: Record<string, string[]> = {
  list: ["repo", "ref", "format"],
  verify: ["repo", "context", "now"],
  add: ["repo", "ssh", "gpg", "login", "email"],
};

export const command: Command = {
  name: "keys",
  summary: "List, add or check the trusted signing keys, or verify a branch's signatures",
  usage: [
    "gatehouse keys list [--repo DIR] [--ref REF] [--format text|json]",
    "       gatehouse keys verify [RANGE] [--repo DIR] [--context FILE] [--now ISO]",
    "       gatehouse keys add [--ssh FILE | --gpg KEYID] [--login L] [--email E] [--repo DIR]",
  ].join("\n"),
  details: `Subcommands:
  list             The keys under <policies>/keys/ of the working tree, or of REF with
                   --ref: login, type, key id, algorithm, expiry, the e-mails that map
                   commits to the login, and what is wrong with each key today. Exit 1
                   when a key file has a problem.
  verify [RANGE]   Verifies every commit of RANGE (BASE..HEAD: the commits of HEAD that are
                   not on BASE; default BASE: origin/HEAD, else main, else master) against
                   the keyring and policy at BASE's tip, as the GitHub App judges a pull
                   request into BASE, and as of now (or --now). One line per commit, then
                   the range and the commit whose keys were read. Exit 0 when all pass,
                   1 when any fails.
  add              Writes a public key into <policies>/keys/<login>.pub (SSH, as an
                   allowed-signers line) or <login>.asc (OpenPGP, gpg --armor --export),
                   with the e-mail that maps its owner's commits to the login. Without
                   --ssh or --gpg: the key git signs with (user.signingkey). It changes the
                   working tree only; commit it and open a pull request.

Options:
  --repo DIR       The clone (default: the current directory).
  --ref REF        list: the commit whose keyring to show (default: the working tree).
  --format F       list: text (default) or json.
  --context FILE   verify: identities (commit e-mail -> login), as for 'gatehouse check'.
  --now ISO        verify: judge as of this time (default: now), as 'gatehouse check'.
  --ssh FILE       add: an SSH public key file (~/.ssh/id_ed25519.pub).
  --gpg KEYID      add: an OpenPGP key gpg knows (its fingerprint or an e-mail).
  --login L        add: whose key it is (default: the login the e-mail already maps to).
  --email E        add: the e-mail its owner commits with (default: the key's own).

A key belongs to the login its file is named after: <login>.asc (OpenPGP, armored, several
keys allowed) or <login>.pub (SSH keys, one a line, plain or allowed-signers form; a plain
line's comment e-mail maps too). A key must be valid when a commit is made and still be
valid when the pull request is judged: a commit's date is written by whoever makes it.
GitHub's own web-flow key may be kept as web-flow.asc; commits it signs count only when
workflows.yml sets signatures.trust-github-web-commits: true.`,
  options: {
    repo: { type: "string" },
    ref: { type: "string" },
    format: { type: "string" },
    context: { type: "string" },
    now: { type: "string" },
    ssh: { type: "string" },
    gpg: { type: "string" },
    login: { type: "string" },
    email: { type: "string" },
  },
  allowPositionals: true,
  async run(args, io) {
    const [sub, ...rest] = args.positionals;
    const allowed = sub === undefined ? undefined : OPTIONS[sub];
    if (sub === undefined || allowed === undefined) {
      throw new UsageError(
        sub === undefined
          ? "say 'list', 'verify' or 'add'."
          : `unknown subcommand '${sub}'${suggestThen(sub, Object.keys(OPTIONS), "the subcommands are 'list', 'verify' and 'add'.")}`,
      );
    }
    for (const [flag, value] of Object.entries(args.values)) {
      if (value === undefined || allowed.includes(flag)) continue;
      const owner = Object.keys(OPTIONS).find((s) => OPTIONS[s]?.includes(flag)) ?? "another";
      throw new UsageError(`--${flag} belongs to 'keys ${owner}', not 'keys ${sub}'.`);
    }
    if (sub === "verify") {
      if (rest.length > 1) throw new UsageError("'keys verify' takes at most one RANGE.");
      return verifyRange(args, rest[0], io);
    }
    if (rest.length > 0)
      throw new UsageError(`'keys ${sub}' takes no arguments, not '${rest.join(" ")}'.`);
    return sub === "list" ? listKeys(args, io) : addKey(args, io);
  },
};
