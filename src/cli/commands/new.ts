import { readFile, readdir, writeFile, mkdir } from "node:fs/promises";
import { existsSync } from "node:fs";
import { join, posix, sep } from "node:path";
import { parseDocument } from "yaml";
import { fillTemplate as fillPlaceholders } from "../../core/records/fill-template.js";
import { parseYaml } from "../../core/yaml/parse-yaml.js";
import type { Command } from "../command.js";
import { ConfigError, EXIT, UsageError } from "../errors.js";
import { findPackageRoot } from "../package-root.js";
import { suggestThen } from "../suggest.js";
import { withSchemaLine } from "../editor-schemas.js";
import { TEMPLATES_DIR } from "../init-files.js";
import { readRepositoryConfig } from "../repository-config.js";
import { repositoryDir } from "../repository-dir.js";
import type { RecordKind } from "../../core/types.js";

const KINDS: Record<string, { kind: RecordKind; prefix: string }> = {
  change: { kind: "ChangeRequest", prefix: "CHG" },
  incident: { kind: "IncidentAnalysis", prefix: "INC" },
  improvement: { kind: "ImprovementPlan", prefix: "IMP" },
};

export const command: Command = {
  name: "new",
  summary: "Start a change request, incident analysis or improvement plan from its template",
  usage: "gatehouse new change|incident|improvement [--title T] [--repo DIR]",
  details: `Arguments:
  change|incident|improvement   The kind of record to start.

Options:
  --title T      The record's title (default: the template's; gatehouse's own leave
                 {{title}}, which validate refuses until you write the title in).
  --repo DIR     The repository (default: the one the current directory is in).

Writes <records directory>/<ID>.yaml with the next free id of this year (CHG-2026-0001, ...)
and prints its path. The template comes from .gatehouse/templates/ when the repository has
one (so it can be adapted), else from gatehouse itself.`,
  options: { title: { type: "string" }, repo: { type: "string" } },
  allowPositionals: true,
  async run(args, io) {
    const [what, ...extra] = args.positionals;
    if (what === undefined) {
      throw new UsageError(`say which record to start: change, incident or improvement.`);
    }
    const spec = Object.hasOwn(KINDS, what) ? KINDS[what] : undefined;
    if (spec === undefined) {
      throw new UsageError(
        `unknown kind '${what}'${suggestThen(what, Object.keys(KINDS), "the kinds are change, incident and improvement.")}`,
      );
    }
    if (extra.length > 0) {
      throw new UsageError(
        `starts one record at a time; '${extra.join(" ")}' is extra (quote a title with --title).`,
      );
    }
    const repo = await repositoryDir(io.cwd, args.values.repo as string | undefined);
    if (!existsSync(repo)) throw new ConfigError(`${repo} does not exist; pass --repo DIR.`);
    const config = await readRepositoryConfig(repo);
    const recordDir = config.records[spec.kind];
    const id = await nextId(join(repo, recordDir), spec.prefix, new Date().getUTCFullYear());
    const path = posix.join(recordDir, `${id}.yaml`);
    const template = await readTemplate(repo, spec.kind);
    const title = args.values.title as string | undefined;
    await mkdir(join(repo, recordDir), { recursive: true });
    const record = fillTemplate(template, { id, title, path });
    await writeFile(join(repo, path), record, { flag: "wx" });
    io.stdout.write(`${path}\n`);
    const written = parseYaml(path, record).data as { title?: unknown } | undefined;
    if (written?.title === PLACEHOLDER_TITLE) {
      io.stderr.write(
        `gatehouse new: ${path} has no title yet; write it in place of ${PLACEHOLDER_TITLE} (or pass --title next time): validate and the gate refuse the placeholder.\n`,
      );
    }
    return EXIT.clear;
  },
};

/**
 * One more than the highest `<prefix>-<year>-NNNN` file in `dir` or a folder below it (an id
 * names one record in the whole repository), zero-padded to four digits.
 */
export async function nextId(dir: string, prefix: string, year: number): Promise<string> {
  const names = existsSync(dir)
    ? (await readdir(dir, { recursive: true })).map((path) =>
        posix.basename(path.split(sep).join("/")),
      )
    : [];
  const pattern = new RegExp(`^${prefix}-${year}-(\\d{4,})\\.ya?ml$`);
  let highest = 0;
  for (const name of names) {
    const number = Number(pattern.exec(name)?.[1] ?? 0);
    if (number > highest) highest = number;
  }
  return `${prefix}-${year}-${String(highest + 1).padStart(4, "0")}`;
}

const TEMPLATE_NAMES: Record<RecordKind, string> = {
  ChangeRequest: "change-request.yaml",
  IncidentAnalysis: "incident-analysis.yaml",
  ImprovementPlan: "improvement-plan.yaml",
};

async function readTemplate(repo: string, kind: RecordKind): Promise<string> {
  const name = TEMPLATE_NAMES[kind];
  for (const path of [
    join(repo, TEMPLATES_DIR, name),
    join(findPackageRoot(), "templates", name),
  ]) {
    if (existsSync(path)) return readFile(path, "utf8");
  }
  throw new ConfigError(
    `there is no template ${TEMPLATES_DIR}/${name}; run 'gatehouse init' or restore it.`,
  );
}

/**
 * The title a record gets when neither `--title` nor the template gives one: the template's own
 * placeholder, which gatehouse refuses in a record (validate and the gate say to write the title
 * in its place), so that no record reaches main titled by a stand-in.
 */
export const PLACEHOLDER_TITLE = "{{title}}";

/**
 * The template with its id and title set. The `{{id}}` and `{{title}}` placeholders are filled
 * in the text, so every comment that explains a field stays where the template put it. A
 * template without them (a repository's own, say) is edited as a YAML document instead, which
 * keeps its comments but may move some. The editor's schema comment is pointed at `schemas/`
 * relative to where the record lands.
 */
export function fillTemplate(
  template: string,
  fill: { id: string; title: string | undefined; path: string },
): string {
  const text = fillPlaceholders(template, { id: fill.id, title: fill.title ?? PLACEHOLDER_TITLE });
  const data = parseYaml(fill.path, text).data as Record<string, unknown> | undefined;
  const titled =
    fill.title === undefined ? typeof data?.title === "string" : data?.title === fill.title;
  const untitled = fill.title === undefined && data?.title === PLACEHOLDER_TITLE;
  if (data?.id === fill.id && (untitled || (titled && !/\{\{.*\}\}/.test(String(data.title))))) {
    return withSchemaLine(text, fill.path);
  }
  const doc = parseDocument(template);
  doc.set("id", fill.id);
  const title = doc.get("title");
  if (fill.title !== undefined) doc.set("title", fill.title);
  // Any other placeholder of the template ("{{name}}") becomes the one new tells about.
  else if (typeof title !== "string" || /\{\{.*\}\}/.test(title))
    doc.set("title", PLACEHOLDER_TITLE);
  return withSchemaLine(String(doc), fill.path);
}
