import { readFile } from "node:fs/promises";
import { Ajv, type ErrorObject } from "ajv";
import { LineCounter, isNode, type Document } from "yaml";
import { parseBounded, tooDeepMessage } from "../core/yaml/parse-bounded.js";
import { ConfigError } from "../core/errors.js";
import { didYouMean } from "../core/policy/did-you-mean.js";
import type { Evidence, Login, ReviewState, TeamName } from "../core/types.js";

/**
 * What GitHub would know about a pull request, given by hand for a local check
 * (`gatehouse check --context FILE`). Every field is optional.
 */
export interface LocalContext {
  /** The pull request's author; defaults to the login the head commit's author e-mail maps to. */
  author?: Login;
  /** Reviews; `commit` defaults to the head, `state` to APPROVED. */
  approvals?: Array<{ user: Login; commit?: string; state?: ReviewState }>;
  teams?: Record<TeamName, Login[]>;
  /** Commit e-mail -> login. */
  identities?: Record<string, Login>;
  labels?: string[];
  checks?: Record<string, string>;
  body?: string;
  number?: number;
  evidence?: Evidence[];
}

const login = { type: "string", pattern: "^@?[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$" };
const act = {
  type: "object",
  additionalProperties: false,
  required: ["role", "login", "action"],
  properties: {
    record: { type: ["string", "null"] },
    role: { type: "string", minLength: 1 },
    login,
    action: { enum: ["consent", "approval", "execution"] },
    section: { type: "string", pattern: "^/" },
    pullRequest: { type: "integer", minimum: 1 },
  },
};

const SCHEMA = {
  type: "object",
  additionalProperties: false,
  properties: {
    author: login,
    approvals: {
      type: "array",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["user"],
        properties: {
          user: login,
          commit: { type: "string", minLength: 1 },
          state: { enum: ["APPROVED", "CHANGES_REQUESTED", "COMMENTED", "DISMISSED", "PENDING"] },
        },
      },
    },
    teams: {
      type: "object",
      propertyNames: { pattern: "^@?[^/\\s]+/[^/\\s]+$" },
      additionalProperties: { type: "array", items: login },
    },
    identities: { type: "object", additionalProperties: login },
    labels: { type: "array", items: { type: "string" } },
    checks: { type: "object", additionalProperties: { type: "string" } },
    body: { type: "string" },
    number: { type: "integer", minimum: 1 },
    evidence: {
      type: "array",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["record", "acts"],
        properties: {
          record: { type: "string", minLength: 1 },
          pullRequest: { type: "integer", minimum: 1 },
          acts: { type: "array", items: act },
        },
      },
    },
  },
} as const;

// verbose: an error carries the schema it broke, so an unknown field is answered with the
// fields of its own object (an approval's user, commit and state), not those of the top.
const validate = new Ajv({ allErrors: true, strict: false, verbose: true }).compile(SCHEMA);

/** Reads and checks a context file; every problem is a `ConfigError` naming file:line:col. */
export async function readContextFile(path: string): Promise<LocalContext> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    // The README's first check names context.yml: someone new has not written it yet.
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new ConfigError(
        `there is no context file ${path}; write what GitHub will know of the pull request into it, ` +
          `such as 'author: wang-jun' and 'approvals: [{ user: li-na }]' (see 'gatehouse check --help'), ` +
          `or leave --context out to judge without approvals.`,
      );
    }
    throw new ConfigError(`cannot read the context file ${path}; check the --context path.`);
  }
  return parseContext(path, text);
}

/**
 * Parses a context given as YAML or JSON (JSON is YAML). Logins may carry a leading "@"; it is
 * dropped so that "@zhao-min" and "zhao-min" are the same person.
 */
export function parseContext(path: string, text: string): LocalContext {
  const lineCounter = new LineCounter();
  const where = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return `${path}:${line}:${col}`;
  };
  // Nesting is measured before anything recurses: a few thousand `[` overflow the stack.
  const parsed = parseBounded(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (parsed.tooDeepAt !== undefined) {
    throw new ConfigError(`${where(parsed.tooDeepAt)} ${tooDeepMessage()}.`);
  }
  const [doc, second] = parsed.docs;
  const stray = parsed.streamErrors[0];
  if (stray)
    throw new ConfigError(
      `${where(stray.pos[0])} ${stray.message.split("\n")[0]}; fix the YAML (or JSON) of the context file.`,
    );
  if (doc === undefined) return {};
  if (second !== undefined) {
    throw new ConfigError(
      `${where(second.range[0])} a second YAML document starts here; a context file holds one.`,
    );
  }
  const syntax = doc.errors[0];
  if (syntax) {
    const message = syntax.message.split("\n")[0]?.replace(/ at line \d+, column \d+.*$/, "");
    throw new ConfigError(
      `${where(syntax.pos[0])} ${message}; fix the YAML (or JSON) of the context file.`,
    );
  }
  const data: unknown = doc.toJS() ?? {};
  if (!validate(data)) {
    const error = pickError(validate.errors ?? []);
    throw new ConfigError(`${where(offsetOf(doc, error))} ${describe(error)}`);
  }
  return normalise(data as LocalContext);
}

/** The most useful of ajv's errors: a wrong property name beats the noise of `anyOf`. */
function pickError(errors: ErrorObject[]): ErrorObject {
  return errors.find((e) => e.keyword === "additionalProperties") ?? errors[0]!;
}

function offsetOf(doc: Document, error: ErrorObject): number {
  const segments = error.instancePath
    .split("/")
    .slice(1)
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  const key =
    (error.params as { additionalProperty?: string }).additionalProperty ?? error.propertyName;
  if (key !== undefined) {
    const parent = segments.length === 0 ? doc.contents : doc.getIn(segments, true);
    const pair = (parent as { items?: Array<{ key: unknown }> } | null)?.items?.find(
      (item) => isNode(item.key) && (item.key as { value?: unknown }).value === key,
    );
    if (pair && isNode(pair.key) && pair.key.range) return pair.key.range[0];
  }
  for (let n = segments.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(segments.slice(0, n), true);
    if (isNode(node) && node.range) return node.range[0];
  }
  return 0;
}

function describe(error: ErrorObject): string {
  // An identities key is an e-mail address: personal data, shown masked like everywhere else.
  const path = error.instancePath
    .slice(1)
    .replace(/~1/g, "/")
    .replace(/~0/g, "~")
    .replace(/([^/@\s])[^/@\s]*@/g, "$1***@");
  const field = path === "" ? "the context" : `'${path}'`;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "additionalProperties": {
      const name = String(params.additionalProperty);
      const known = Object.keys((error.parentSchema as { properties?: object }).properties ?? {});
      const guess = didYouMean(name, known);
      const hint = guess === undefined ? "; use" : `; did you mean '${guess}'? Use`;
      const list = `${known.slice(0, -1).join(", ")} or ${known.at(-1)}`;
      return path === ""
        ? `'${name}' is not a context field${hint} ${list}.`
        : `'${name}' is not a field of ${field}${hint} ${list}.`;
    }
    case "required":
      return `${field} needs '${String(params.missingProperty)}'; add it.`;
    case "pattern":
      return error.propertyName !== undefined
        ? `team '${error.propertyName}' must be written "org/slug"; rename it.`
        : `${field} is not a GitHub login; write it like "zhao-min".`;
    case "propertyNames":
      return `${field} has a team name that is not "org/slug"; rename it.`;
    case "enum":
      return `${field} must be one of ${(params.allowedValues as unknown[]).join(", ")}; change it.`;
    case "type":
      return `${field} must be ${article(String(params.type))}; change it.`;
    default:
      return `${field} ${error.message ?? "is invalid"}; fix it.`;
  }
}

function article(type: string): string {
  const name = type.replace(/,/g, " or ");
  return /^[aeiou]/.test(name) ? `an ${name}` : `a ${name}`;
}

const strip = (value: Login): Login => value.replace(/^@/, "");

function normalise(context: LocalContext): LocalContext {
  const result: LocalContext = { ...context };
  if (context.author !== undefined) result.author = strip(context.author);
  if (context.approvals) {
    result.approvals = context.approvals.map((a) => ({ ...a, user: strip(a.user) }));
  }
  if (context.teams) {
    result.teams = Object.fromEntries(
      Object.entries(context.teams).map(([team, logins]) => [strip(team), logins.map(strip)]),
    );
  }
  if (context.identities) {
    result.identities = Object.fromEntries(
      Object.entries(context.identities).map(([email, who]) => [email.toLowerCase(), strip(who)]),
    );
  }
  return result;
}
