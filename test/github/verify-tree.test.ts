/**
 * The proof behind the snapshot cache: ids computed as real git computes them, and a tree
 * listing that proves out only when it is exactly the tree of that id.
 */
import { afterAll, describe, expect, it } from "vitest";
import { blobOid, treeOid } from "../../src/github/git-object-id.js";
import type { TreeNode } from "../../src/github/graphql-types.js";
import { BLOB, POLICY_TREE } from "../../src/github/snapshot-queries.js";
import { verifyBlobEntry, verifyTree } from "../../src/github/verify-tree.js";
import { tempRepo } from "../git/temp-repo.js";
import { answerGraphQL } from "./helpers/fake-github.js";
import { requestChangePull } from "./helpers/pull-fixture.js";

const FILES: Record<string, string> = {
  "policies/roles.yml": "version: 1\nroles:\n  qa: { members: ['@li-qa'] } # 质量保证\n",
  "policies/OWNERS": "policies/ @acme/security\r\n* role:security-admin\r\n",
  "policies/a.b": "dot\n",
  "policies/a-b": "dash\n",
  "policies/a/c.yml": "folder sorts as a/\n",
  "policies/keys/li-qa.asc": "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nxyz\n",
  "policies/keys/deep/x.pub": "ssh-ed25519 AAAA x\n",
  "policies/empty.yml": "",
  "README.md": "not policy\n",
};

const repo = tempRepo("gatehouse-oid-");
repo.write(FILES);
repo.commit("policy");
afterAll(() => repo.dispose());

/** The policies directory as the snapshot's query reads it from the fake GitHub. */
async function listed(files: Record<string, string>): Promise<TreeNode> {
  const pull = await requestChangePull();
  pull.baseFiles = new Map(Object.entries(files));
  const query = `query($sha: String!) { repository(owner: "acme", name: "payments") {
    object(expression: $sha) { ... on Tree { oid ...PolicyTree } } } }\n${BLOB}\n${POLICY_TREE}`;
  const answer = answerGraphQL(pull, { query, variables: { sha: `${pull.baseSha}:policies` } });
  return (answer.data as { repository: { object: TreeNode } }).repository.object;
}

describe("git object ids", () => {
  it("computes every blob and tree id of a real repository as git does", () => {
    const lines = repo.git("ls-tree", "-r", "-t", "HEAD").trim().split("\n");
    let trees = 0;
    for (const line of lines) {
      const [meta, path] = line.split("\t") as [string, string];
      const [, type, oid] = meta.split(" ") as [string, string, string];
      if (type === "blob") {
        expect(blobOid(repo.git("cat-file", "blob", oid), oid), path).toBe(oid);
        continue;
      }
      trees += 1;
      const entries = repo
        .git("ls-tree", oid)
        .trim()
        .split("\n")
        .map((entry) => {
          const [m, name] = entry.split("\t") as [string, string];
          const [mode, , id] = m.split(" ") as [string, string, string];
          return { mode: parseInt(mode, 8), name, oid: id };
        });
      expect(treeOid(entries, oid), path).toBe(oid);
    }
    expect(trees).toBeGreaterThanOrEqual(4);
  });

  it("gives the fake GitHub the ids real git gives", async () => {
    const tree = await listed(FILES);
    expect(tree.oid).toBe(repo.git("rev-parse", "HEAD:policies").trim());
  });
});

describe("a listing proves out only as the tree of its id", () => {
  const oid = () => repo.git("rev-parse", "HEAD:policies").trim();

  it("proves the listing GitHub gives", async () => {
    expect(verifyTree(await listed(FILES), oid(), "policies")).toBe(true);
  });

  const tampered: Array<[string, (tree: TreeNode) => void]> = [
    [
      "a text with one byte changed",
      (t) => ((entry(t, "roles.yml").object as { text: string }).text += " "),
    ],
    ["a name changed", (t) => (entry(t, "a.b").name = "a.c")],
    ["an entry left out", (t) => t.entries?.splice(0, 1)],
    ["a path under another folder", (t) => (entry(t, "a-b").path = "elsewhere/a-b")],
    ["a link passed off as a file", (t) => (entry(t, "a-b").mode = 0o120000)],
    [
      "a folder's text changed",
      (t) => {
        const keys = entry(t, "keys").object as TreeNode;
        const key = keys.entries?.find((e) => e.name === "li-qa.asc");
        (key?.object as { text: string }).text = "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nevil\n";
      },
    ],
    [
      "a text GitHub cut short",
      (t) => ((entry(t, "roles.yml").object as { isTruncated: boolean }).isTruncated = true),
    ],
    // The ids still hash right; only the whole listing shows a file or folder was dropped.
    [
      "a text left out, the file passed off as binary",
      (t) => (entry(t, "a.b").object = { text: null, isBinary: true, isTruncated: false }),
    ],
    ["a file's object left out", (t) => (entry(t, "a.b").object = null)],
    ["a folder's listing left out", (t) => (entry(t, "keys").object = null)],
    ["a folder's listing emptied of its entries", (t) => (entry(t, "keys").object = {})],
  ];

  it.each(tampered)("refuses %s", async (_name, tamper) => {
    const tree = await listed(FILES);
    tamper(tree);
    expect(verifyTree(tree, oid(), "policies")).toBe(false);
  });

  it("proves a names-only listing (records) without texts, never one claiming more", async () => {
    const tree = await listed(FILES);
    const namesOnly = (t: TreeNode): TreeNode => ({
      ...t,
      entries: (t.entries ?? []).map((e) => ({
        ...e,
        object: e.object?.entries ? namesOnly(e.object) : {},
      })),
    });
    expect(verifyTree(namesOnly(tree), oid(), "policies", false)).toBe(true);
    expect(verifyTree(namesOnly(tree), oid(), "policies")).toBe(false);
    // A names-only listing holds no texts to be taken for the files'.
    expect(verifyTree(tree, oid(), "policies", false)).toBe(false);
  });

  it("refuses a listing of another tree, and garbage", async () => {
    const other = await listed({
      ...FILES,
      "policies/roles.yml": `${FILES["policies/roles.yml"]} `,
    });
    expect(verifyTree(other, oid(), "policies")).toBe(false);
    expect(verifyTree(await listed(FILES), oid(), "governance")).toBe(false);
    for (const garbage of [null, {}, { entries: "x" }, { entries: [{ name: 1 }] }, 7]) {
      expect(verifyTree(garbage as TreeNode, oid(), "policies")).toBe(false);
    }
  });

  it("proves a file only by the text of its id", () => {
    const text = FILES["policies/OWNERS"] as string;
    const id = repo.git("rev-parse", "HEAD:policies/OWNERS").trim();
    const entry = { oid: id, mode: 0o100644, type: "blob", object: { text } };
    expect(verifyBlobEntry(entry, id)).toBe(true);
    expect(verifyBlobEntry({ ...entry, object: { text: `${text}#` } }, id)).toBe(false);
    expect(verifyBlobEntry(entry, blobOid("other", id))).toBe(false);
  });
});

function entry(tree: TreeNode, name: string) {
  const found = tree.entries?.find((e) => e.name === name);
  if (!found) throw new Error(`no ${name}`);
  return found;
}
