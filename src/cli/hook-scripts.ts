/**
 * The git hooks `gatehouse hooks install` writes: small POSIX shell scripts (git runs hooks
 * with sh, Git for Windows included) that find gatehouse and run the checks, so that what the
 * gate would refuse is caught before it leaves the laptop.
 */

/** The line that marks a hook as gatehouse's own, so that install updates it and uninstall removes it. */
export const HOOK_MARKER = "# gatehouse-hook: written by 'gatehouse hooks install'";

export type HookName = "pre-commit" | "pre-push";

/** What each hook runs, in order; the first failure stops the commit or push. */
const CHECKS: Record<HookName, Array<{ args: string; stopped: string }>> = {
  "pre-commit": [
    {
      args: "scan --staged",
      stopped:
        "personal data is staged (above): desensitise each file with 'gatehouse mask --in-place FILE', stage it again and commit",
    },
    {
      args: "validate",
      stopped: "the gate would refuse this change (above): fix it, stage it and commit",
    },
  ],
  "pre-push": [
    {
      args: "validate",
      stopped: "the gate would refuse what you push (above): fix it, commit and push again",
    },
  ],
};

export const HOOKS = Object.keys(CHECKS) as HookName[];

/** The checks a hook runs, as `gatehouse …` commands, for messages and the README. */
export function hookCommands(name: HookName): string[] {
  return CHECKS[name].map((check) => `gatehouse ${check.args}`);
}

/**
 * The hook's script. `node` and `script` are the gatehouse that installed it; when they are
 * gone (gatehouse was moved or upgraded), the hook falls back to `gatehouse` on the PATH, then
 * to the repository's node_modules. `$GATEHOUSE`, when set, is the command to run instead.
 */
export function hookScript(name: HookName, node: string, script: string): string {
  const verb = name === "pre-commit" ? "commit" : "push";
  const lines = [
    "#!/bin/sh",
    HOOK_MARKER,
    `# The ${name} checks of gatehouse: ${hookCommands(name).join(", then ")}.`,
    "# Run 'gatehouse hooks install' again to update this file, 'gatehouse hooks uninstall' to",
    `# remove it; 'git ${verb} --no-verify' skips it once.`,
    "",
    "gatehouse() {",
    '  if [ -n "$GATEHOUSE" ]; then',
    '    eval "$GATEHOUSE \\"\\$@\\""',
    `  elif [ -x ${quote(node)} ] && [ -f ${quote(script)} ]; then`,
    `    ${quote(node)} ${quote(script)} "$@"`,
    "  elif command -v gatehouse >/dev/null 2>&1; then",
    '    command gatehouse "$@"',
    "  elif [ -x ./node_modules/.bin/gatehouse ]; then",
    '    ./node_modules/.bin/gatehouse "$@"',
    "  else",
    `    echo "gatehouse: the ${name} hook cannot find gatehouse (it was at ${script.replace(/["$`\\]/g, "")}); install it again, or run 'gatehouse hooks uninstall'" >&2`,
    "    return 2",
    "  fi",
    "}",
    "",
    ...CHECKS[name].flatMap((check) => [
      `if ! gatehouse ${check.args}; then`,
      `  echo "gatehouse: ${name} stopped the ${verb}: ${check.stopped}." >&2`,
      "  exit 1",
      "fi",
    ]),
    "",
  ];
  return lines.join("\n");
}

/** A word for sh, in single quotes. */
function quote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
