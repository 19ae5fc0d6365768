/* eslint-disable @typescript-eslint/no-explicit-any -- nock bodies and GraphQL resolvers are plain JSON */
/**
 * A repository's git objects as GitHub serves them, in memory: blobs, trees, commits and refs
 * with git's own object ids (so a blob's id is what `git hash-object` gives). It answers the
 * ledger's GraphQL queries (executed against GitHub's real schema) and the Git Data API
 * (request bodies checked against GitHub's OpenAPI description), and moves refs only as a
 * fast-forward, refusing with 422 as GitHub does, so concurrent writers can be staged.
 */
import { createHash } from "node:crypto";
import { graphqlSync } from "graphql";
import nock from "nock";
import { githubGraphQLSchema } from "./fake-github.js";
import { FakeTracker, type FakeIssue } from "./fake-tracker.js";
import { restBodyErrors } from "./openapi.js";

type Entry = { name: string; mode: string; type: "blob" | "tree"; sha: string };
interface CommitObject {
  tree: string;
  parents: string[];
  message: string;
}

const hash = (type: string, body: Buffer) =>
  createHash("sha1").update(`${type} ${body.length}\0`).update(body).digest("hex");

export class FakeGit {
  readonly blobs = new Map<string, string>();
  readonly trees = new Map<string, Entry[]>();
  readonly commits = new Map<string, CommitObject>();
  readonly refs = new Map<string, string>();
  /** Every REST body that breaks GitHub's OpenAPI description. */
  readonly contractErrors: string[] = [];
  /** Requests by kind, for the request budget. */
  readonly requests = { graphql: 0, rest: 0 };
  /** Ref updates refused because another writer moved the ref first. */
  refused = 0;
  /** Runs before a ref update is applied: a test moves the ref here to stage a race. */
  beforeRefUpdate: (() => void) | null = null;
  /** The repository's issues and deployments (the bypass issue among them). */
  readonly tracker = new FakeTracker();

  get issues(): FakeIssue[] {
    return this.tracker.issues;
  }

  blob(text: string): string {
    const sha = hash("blob", Buffer.from(text, "utf8"));
    this.blobs.set(sha, text);
    return sha;
  }

  /** A tree from path -> text (or blob sha when `shas`), folders made as needed. */
  treeOf(files: Map<string, string>, shas = false): string {
    const root = new Map<string, any>();
    for (const [path, value] of files) {
      const parts = path.split("/");
      let dir = root;
      for (const part of parts.slice(0, -1)) {
        if (!dir.has(part)) dir.set(part, new Map());
        dir = dir.get(part);
      }
      dir.set(parts.at(-1)!, shas ? { sha: value } : { sha: this.blob(value) });
    }
    return this.writeTree(root);
  }

  private writeTree(dir: Map<string, any>): string {
    const entries: Entry[] = [...dir].map(([name, value]) =>
      value instanceof Map
        ? { name, mode: "40000", type: "tree" as const, sha: this.writeTree(value) }
        : { name, mode: "100644", type: "blob" as const, sha: value.sha },
    );
    // git orders a tree's entries by name, a folder as if its name ended in "/".
    const key = (e: Entry) => (e.type === "tree" ? `${e.name}/` : e.name);
    entries.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    const body = Buffer.concat(
      entries.map((e) =>
        Buffer.concat([Buffer.from(`${e.mode} ${e.name}\0`), Buffer.from(e.sha, "hex")]),
      ),
    );
    const sha = hash("tree", body);
    this.trees.set(sha, entries);
    return sha;
  }

  commit(tree: string, parents: string[], message: string): string {
    const text = [`tree ${tree}`, ...parents.map((p) => `parent ${p}`), "", message].join("\n");
    const sha = hash("commit", Buffer.from(text));
    this.commits.set(sha, { tree, parents, message });
    return sha;
  }

  /** A commit of whole files (path -> text). */
  commitFiles(files: Map<string, string>, parents: string[] = [], message = "change"): string {
    return this.commit(this.treeOf(files), parents, message);
  }

  /** Every file of a tree: path -> blob sha. */
  files(tree: string, prefix = "", into = new Map<string, string>()): Map<string, string> {
    for (const e of this.trees.get(tree) ?? []) {
      if (e.type === "tree") this.files(e.sha, `${prefix}${e.name}/`, into);
      else into.set(`${prefix}${e.name}`, e.sha);
    }
    return into;
  }

  /** The text of a path in a commit or ref, or undefined. */
  read(rev: string, path: string): string | undefined {
    const commit = this.commits.get(this.refs.get(rev) ?? rev);
    const sha = commit && this.files(commit.tree).get(path);
    return sha === undefined ? undefined : this.blobs.get(sha);
  }

  private resolve(expression: string): any {
    const colon = expression.indexOf(":");
    const rev = expression.slice(0, colon);
    const path = expression.slice(colon + 1).replace(/\/+$/, "");
    const commit = this.commits.get(this.refs.get(rev) ?? rev);
    if (!commit) return null;
    let node: any = { type: "tree", sha: commit.tree, path: "" };
    for (const part of path === "" ? [] : path.split("/")) {
      if (node.type !== "tree") return null;
      const entry = this.trees.get(node.sha)?.find((e) => e.name === part);
      if (!entry) return null;
      node = { ...entry, path: node.path ? `${node.path}/${part}` : part };
    }
    return this.objectNode(node.type, node.sha, node.path);
  }

  private objectNode(type: string, sha: string, path: string): any {
    if (type === "blob") {
      return {
        __typename: "Blob",
        oid: sha,
        text: this.blobs.get(sha),
        isBinary: false,
        isTruncated: false,
      };
    }
    return {
      __typename: "Tree",
      oid: sha,
      entries: (this.trees.get(sha) ?? []).map((e) => {
        const full = path ? `${path}/${e.name}` : e.name;
        return {
          name: e.name,
          path: full,
          type: e.type,
          oid: e.sha,
          mode: Number.parseInt(e.mode, 8),
          object: this.objectNode(e.type, e.sha, full),
        };
      }),
    };
  }

  private commitNode(sha: string): any {
    const commit = this.commits.get(sha);
    if (!commit) return null;
    const list = (items: any[], args: { first?: number }) => ({
      nodes: items.slice(0, args.first ?? items.length),
      totalCount: items.length,
      pageInfo: { hasNextPage: false, endCursor: null },
    });
    const firstParentChain = () => {
      const out: any[] = [];
      for (let at: string | undefined = sha; at; at = this.commits.get(at)?.parents[0]) {
        out.push({ oid: at, message: this.commits.get(at)!.message });
      }
      return out;
    };
    return {
      __typename: "Commit",
      oid: sha,
      message: commit.message,
      tree: { oid: commit.tree },
      parents: (args: { first?: number }) =>
        list(
          commit.parents.map((oid) => ({ oid })),
          args,
        ),
      history: (args: { first?: number }) => list(firstParentChain(), args),
    };
  }

  /** A ref as GraphQL's `Repository.ref` gives it (null when there is none). */
  refNode(qualifiedName: string): any {
    const sha = this.refs.get(qualifiedName);
    return sha ? { target: this.commitNode(sha) } : null;
  }

  /** An object as GraphQL's `Repository.object` gives it, by id or `<rev>:<path>`. */
  objectAt({ expression, oid }: { expression?: string; oid?: string }): any {
    return oid !== undefined ? this.commitNode(oid) : this.resolve(expression ?? "");
  }

  /** Answers a ledger or merge query the way api.github.com would. */
  answer(body: { query: string; variables?: Record<string, unknown> }): unknown {
    this.requests.graphql += 1;
    const repository = {
      id: "R_kgDOfake",
      ref: ({ qualifiedName }: { qualifiedName: string }) => this.refNode(qualifiedName),
      object: (args: { expression?: string; oid?: string }) => this.objectAt(args),
    };
    const result = graphqlSync({
      schema: githubGraphQLSchema(),
      source: body.query,
      rootValue: { repository: () => repository },
      variableValues: body.variables ?? {},
    });
    return JSON.parse(JSON.stringify(result));
  }

  /** Serves the Git Data API (and issues and deployments) for one repository through nock. */
  serve(api: string, owner: string, name: string): nock.Scope {
    const repo = `/repos/${owner}/${name}`;
    const check = (method: string, path: string, body: unknown) =>
      this.contractErrors.push(...restBodyErrors(method, `/repos/{owner}/{repo}${path}`, body));
    const ref = "refs/notes/gatehouse";
    const refPath = new RegExp(`^${repo}/git/refs?/notes(%2F|/)gatehouse$`);
    const rest = () => (this.requests.rest += 1);
    this.tracker.serve(api, owner, name, check);
    return nock(api)
      .persist()
      .get(refPath)
      .reply(() => {
        rest();
        const sha = this.refs.get(ref);
        return sha
          ? [200, { ref, object: { sha, type: "commit" } }]
          : [404, { message: "Not Found" }];
      })
      .get(new RegExp(`^${repo}/git/commits/([0-9a-f]{40})$`))
      .reply((uri) => {
        rest();
        const sha = uri.split("/").pop()!;
        const commit = this.commits.get(sha);
        return commit ? [200, { sha, tree: { sha: commit.tree } }] : [404, {}];
      })
      .post(`${repo}/git/blobs`)
      .reply((_uri, body: any) => {
        rest();
        check("POST", "/git/blobs", body);
        return [201, { sha: this.blob(body.content) }];
      })
      .post(`${repo}/git/trees`)
      .reply((_uri, body: any) => {
        rest();
        check("POST", "/git/trees", body);
        const files = body.base_tree ? this.files(body.base_tree) : new Map<string, string>();
        for (const entry of body.tree) {
          if (entry.sha === null) files.delete(entry.path);
          else files.set(entry.path, entry.sha ?? this.blob(entry.content));
        }
        return [201, { sha: this.treeOf(files, true) }];
      })
      .post(`${repo}/git/commits`)
      .reply((_uri, body: any) => {
        rest();
        check("POST", "/git/commits", body);
        return [201, { sha: this.commit(body.tree, body.parents ?? [], body.message) }];
      })
      .patch(refPath)
      .reply((_uri, body: any) => {
        rest();
        check("PATCH", "/git/refs/{ref}", body);
        this.beforeRefUpdate?.();
        this.beforeRefUpdate = null;
        const current = this.refs.get(ref);
        if (!current) return [422, { message: "Reference does not exist" }];
        if (!body.force && !this.descends(body.sha, current)) {
          this.refused += 1;
          return [422, { message: "Update is not a fast forward" }];
        }
        this.refs.set(ref, body.sha);
        return [200, { ref, object: { sha: body.sha, type: "commit" } }];
      })
      .post(`${repo}/git/refs`)
      .reply((_uri, body: any) => {
        rest();
        check("POST", "/git/refs", body);
        this.beforeRefUpdate?.();
        this.beforeRefUpdate = null;
        if (this.refs.has(body.ref)) {
          this.refused += 1;
          return [422, { message: "Reference already exists" }];
        }
        this.refs.set(body.ref, body.sha);
        return [201, { ref: body.ref, object: { sha: body.sha, type: "commit" } }];
      });
  }

  private descends(sha: string, ancestor: string): boolean {
    const seen = new Set<string>();
    const stack = [sha];
    while (stack.length > 0) {
      const at = stack.pop()!;
      if (at === ancestor) return true;
      if (seen.has(at)) continue;
      seen.add(at);
      stack.push(...(this.commits.get(at)?.parents ?? []));
    }
    return false;
  }
}

/** Whether a GraphQL body is one the fake git answers (the ledger's and the merge's queries). */
export function isGitQuery(body: unknown): boolean {
  return /query Gatehouse(Evidence|LedgerState|MergeParents|MergeFacts)\b/.test(
    (body as { query?: string }).query ?? "",
  );
}
