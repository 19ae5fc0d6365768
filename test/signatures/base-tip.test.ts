/**
 * The CLI reads the keyring where the GitHub App does: at the base branch's tip. A key revoked
 * on main after a branch was cut stops counting for the branch at once, in `check` and in
 * `keys verify` alike, and both name the commit whose keys they read.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  agreedVerdicts,
  checkSignatures,
  governedSignedRepo,
  verifyLines,
} from "./helpers/governed-signed-repo.js";
import { GpgHome, TempDir, type Author, type TestRepo } from "./helpers/signed-repo.js";

const zhao: Author = { name: "Zhao Min", email: "zhao.min@acme.example" };
const tmp = new TempDir();
let gnupg: GpgHome;
let repo: TestRepo;
let key: string;
let change: string;
const context = join(tmp.path, "context.yml");

beforeAll(async () => {
  gnupg = new GpgHome(tmp.path);
  key = gnupg.generate(`${zhao.name} <${zhao.email}>`);
  repo = await governedSignedRepo(tmp.path, gnupg, { "zhao-min.asc": gnupg.exportPublic(key) });
  repo.commit("adopt gatehouse", zhao, { sign: key });
  repo.git(["checkout", "-q", "-b", "topic"]);
  repo.write("notes.txt", "a change\n");
  change = repo.commit("a change", zhao, { sign: key }).slice(0, 7);
  writeFileSync(context, "author: zhao-min\n");
});

afterAll(() => {
  gnupg.close();
  tmp.remove();
});

describe("a key revoked on main after the branch was cut", () => {
  it("counts while main still trusts it", async () => {
    const verdicts = await agreedVerdicts(repo, ["--context", context]);
    expect(verdicts.get(change)?.ok).toBe(true);
  });

  it("stops counting for the branch in check and keys verify, which name main's tip", async () => {
    repo.git(["checkout", "-q", "main"]);
    repo.write("policies/keys/zhao-min.asc", gnupg.exportRevokedFor(key, 1));
    const tip = repo.commit("revoke zhao-min's stolen key", zhao);
    repo.git(["checkout", "-q", "topic"]);

    const verdicts = await agreedVerdicts(repo, ["--context", context]);
    expect(verdicts.get(change)).toEqual({
      ok: false,
      text: expect.stringMatching(
        /^is signed by key 0x[0-9A-F]{16}, which was revoked \(compromised\) on \S+; a key revoked for compromise is never trusted/,
      ) as unknown,
    });
    const { json } = await checkSignatures(repo, ["--context", context]);
    const policy = (json.rules as { children: Array<{ id: string; reason: string }> }).children[0];
    expect(policy?.reason).toBe(`policy loaded from the base commit ${tip.slice(0, 7)} (main)`);
    const { last } = await verifyLines(repo, ["--context", context]);
    expect(last).toBe(
      `The 1 commit in main..HEAD fails; it must be signed by its author's key in policies/keys of main at ${tip.slice(0, 7)}.`,
    );
  });
});
