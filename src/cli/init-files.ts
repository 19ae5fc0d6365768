import { existsSync } from "node:fs";
import { mkdir, readFile, readdir, writeFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { editorSchemas, withSchemaLine } from "./editor-schemas.js";
import { findPackageRoot } from "./package-root.js";

export { SCHEMA_FILES } from "./editor-schemas.js";

/** Where `gatehouse init` puts the record templates that `gatehouse new` copies. */
export const TEMPLATES_DIR = ".gatehouse/templates";

export const PACKS = ["finance"] as const;
export type Pack = (typeof PACKS)[number];

const CONFIG = `# gatehouse configuration. Every key is optional; the defaults are shown.
# Policy is always read from the base branch of a pull request, so changing this file needs
# the approvals that policies/ needs.

# Directory of roles.yml, OWNERS, workflows.yml, calendar.yml, privacy.yml and keys/.
policies: policies

# Directory of each record kind.
# records:
#   ChangeRequest: changes
#   IncidentAnalysis: incidents
#   ImprovementPlan: improvements

# Use .github/CODEOWNERS instead of <policies>/OWNERS for path owners.
# codeowners: false
`;

const PULL_REQUEST_TEMPLATE = `<!-- gatehouse judges this pull request against policies/ of the base branch. -->

## What changes

<!-- The record(s) this pull request creates or moves, for example: -->
Change: CHG-YYYY-NNNN

## Checklist

- [ ] Every section I changed is mine to provide (or its owner approves this pull request).
- [ ] Incident data and improvement opportunities are desensitised (\`gatehouse scan\`).
- [ ] My commits are signed with a key in \`policies/keys/\`.
`;

const KEYS_README = `# Trusted signing keys

gatehouse verifies every commit's signature against the public keys in this directory, as the
base branch's tip has them: a pull request cannot trust a key it adds itself, and a key removed
or revoked on the base branch stops counting at once. One file per person, named after their
GitHub login:

- \`<login>.pub\`: SSH public keys, one a line, as allowed-signers lines
  (\`wang.jun@acme.example namespaces="git" ssh-ed25519 AAAA...\`) or plain
  (\`ssh-ed25519 AAAA... wang.jun@acme.example\`, the comment's e-mail maps too).
- \`<login>.asc\`: OpenPGP keys, \`gpg --armor --export <key id>\` (subkeys included).

The e-mails in a key map its owner's commits to the login. \`gatehouse keys add\` writes a key in
the right form and place; \`gatehouse keys list\` shows what gatehouse reads from this directory.
Only public keys belong here: a private key found here must be rotated.

## The first keys

With no keys on the default branch no commit can pass the signature rule, so the first keys are
committed to the default branch directly, before branch protection is turned on: every first
member (at least the security admins who will approve policy changes) runs \`gatehouse keys add --login <login>\`, the files
are committed (signed) and pushed, and then the \`gatehouse\` check is made required.

## A new joiner's key

A security admin adds it: \`gatehouse keys add --ssh their.pub --login <login> --email <their
commit e-mail>\` on a branch, a signed commit, and a pull request that two security admins who
did not write it approve. The key counts once it is merged. To withdraw a key, remove it or replace it with its
revoked export in the same way.
`;

/**
 * Every file `gatehouse init` writes, as repository path -> content: the policy pack, the
 * record templates, the JSON Schemas, the configuration, the pull-request template and the
 * empty record directories. Nothing is written here; the caller decides about overwriting.
 */
export async function initFiles(pack: Pack = "finance"): Promise<Map<string, string>> {
  const root = findPackageRoot();
  const files = new Map<string, string>();
  const packDir = join(root, "policies", pack);
  for (const path of await listFiles(packDir)) {
    files.set(`policies/${path}`, await readFile(join(packDir, path), "utf8"));
  }
  const templatesDir = join(root, "templates");
  for (const path of await listFiles(templatesDir)) {
    const content = await readFile(join(templatesDir, path), "utf8");
    if (/pull[_-]request/i.test(path)) files.set(".github/pull_request_template.md", content);
    else {
      files.set(`${TEMPLATES_DIR}/${path}`, content);
    }
  }
  if (!files.has(".github/pull_request_template.md")) {
    files.set(".github/pull_request_template.md", PULL_REQUEST_TEMPLATE);
  }
  for (const [name, schema] of editorSchemas()) {
    files.set(`schemas/${name}`, JSON.stringify(schema, null, 2) + "\n");
  }
  // The directory must exist for people to find it; the README says what goes in it.
  if (![...files.keys()].some((path) => path.startsWith("policies/keys/"))) {
    files.set("policies/keys/README.md", KEYS_README);
  }
  files.set(".github/gatehouse.yml", CONFIG);
  for (const dir of ["changes", "incidents", "improvements"]) files.set(`${dir}/.gitkeep`, "");
  // Every YAML file names its schema, so that editors check it while people type.
  for (const [path, content] of files) {
    if (/\.ya?ml$/.test(path)) files.set(path, withSchemaLine(content, path));
  }
  return files;
}

/** Paths of `files` that already exist under `dir`. */
export function existingFiles(dir: string, files: Map<string, string>): string[] {
  return [...files.keys()].filter((path) => existsSync(join(dir, path)));
}

/** Writes the files under `dir`, creating directories as needed. */
export async function writeFiles(dir: string, files: Map<string, string>): Promise<void> {
  for (const [path, content] of files) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  }
}

/** Files under `dir`, recursively, as "/"-separated paths relative to it; [] when it is absent. */
async function listFiles(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split("\\").join("/"))
    .sort();
}
