import { PassThrough } from "node:stream";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CliIO } from "../../src/cli/io.js";
import { main } from "../../src/cli/main.js";
import {
  GpgHome,
  sshKeygen,
  TempDir,
  TestRepo,
  type Author,
  type SshKey,
} from "./helpers/signed-repo.js";

function capture(cwd: string): CliIO & { out: () => string; err: () => string } {
  let out = "";
  let err = "";
  return {
    stdout: { write: (text: string) => (out += text) },
    stderr: { write: (text: string) => (err += text) },
    stdin: new PassThrough(),
    cwd,
    env: { NO_COLOR: "1" },
    out: () => out,
    err: () => err,
  };
}

async function gatehouse(args: string[], cwd: string) {
  const io = capture(cwd);
  const status = await main(args, io);
  return { status, out: io.out(), err: io.err() };
}

const people: Record<string, Author> = {
  zhao: { name: "Zhao Min", email: "zhao.min@acme.example" },
  li: { name: "Li Na", email: "li.na@acme.example" },
  sun: { name: "Sun Li", email: "sun.li@acme.example" },
  wang: { name: "Wang Jun", email: "wang.jun@acme.example" },
  chen: { name: "Chen Jie", email: "chen.jie@acme.example" },
};

const tmp = new TempDir();
let gnupg: GpgHome;
let repo: TestRepo;
const fpr: Record<string, string> = {};
let sun: SshKey;
/** Commit name -> sha, on the branch "feature" in this order. */
const sha: Record<string, string> = {};
const now = Math.floor(Date.now() / 1000);

beforeAll(() => {
  gnupg = new GpgHome(tmp.path);
  for (const name of ["zhao", "li", "chen", "stranger"]) {
    const who = people[name] ?? { name: "Stranger", email: "x@evil.example" };
    fpr[name] = gnupg.generate(`${who.name} <${who.email}>`);
  }
  fpr.wang = gnupg.generate(`${people.wang?.name} <${people.wang?.email}>`, "ed25519", "1d");
  sun = sshKeygen(tmp.path, "sun");

  repo = new TestRepo(join(tmp.path, "repo"), gnupg);
  // The person running gatehouse here: their own e-mail is shown in full, others' masked.
  repo.git(["config", "user.email", people.zhao?.email ?? ""]);
  const zhao = people.zhao as Author;
  repo.write("policies/keys/zhao-min.asc", gnupg.exportPublic(fpr.zhao as string));
  repo.write("policies/keys/wang-jun.asc", gnupg.exportPublic(fpr.wang as string));
  repo.write("policies/keys/chen-jie.asc", gnupg.exportRevoked(fpr.chen as string));
  repo.write("policies/keys/sun-li.pub", `sun.li@acme.example ${sun.publicLine}\n`);
  repo.write("README.md", "governed\n");
  repo.commit("keyring", zhao, { sign: fpr.zhao as string, at: now - 60 });

  repo.git(["checkout", "-q", "-b", "feature"]);
  const change = (
    name: string,
    author: Author,
    sign?: string | SshKey,
    at = Math.floor(Date.now() / 1000),
  ) => {
    repo.write(`changes/${name}.txt`, `${name}\n`);
    sha[name] = repo.commit(name, author, sign === undefined ? { at } : { sign, at });
  };
  change("valid", zhao, fpr.zhao);
  change("unsigned", zhao);
  // Li adds her own key on the branch: it is not trusted for the branch itself.
  repo.write("policies/keys/li-na.asc", gnupg.exportPublic(fpr.li as string));
  change("added-key", people.li as Author, fpr.li);
  change("someone-else", zhao, sun);
  change("ssh", people.sun as Author, sun);
  change("unknown-key", zhao, fpr.stranger);
  change("expired", people.wang as Author, fpr.wang, Math.floor(Date.now() / 1000) + 3 * 86_400);
  change("revoked", people.chen as Author, fpr.chen);

  // A commit altered after signing: same signature, one word of the message changed.
  const raw = repo.catFile(sha.valid as string).toString("utf8");
  const forged = raw.replace(/^valid$/m, "approved");
  sha.tampered = repo.hashObject(forged.replace(/^parent \w+$/m, `parent ${sha.revoked}`));
  repo.git(["update-ref", "refs/heads/feature", sha.tampered]);
  repo.git(["reset", "-q", "--hard", "feature"]);

  // A signed merge of main (which moved on) into the branch.
  repo.git(["checkout", "-q", "main"]);
  repo.write("README.md", "governed, still\n");
  repo.commit("main moves", zhao, { sign: fpr.zhao as string });
  repo.git(["checkout", "-q", "feature"]);
  sha.merge = repo.commit("merge main", zhao, { sign: fpr.zhao as string, merge: "main" });
});

afterAll(() => {
  gnupg.close();
  tmp.remove();
});

describe("gatehouse keys verify on commits signed by GnuPG and ssh-keygen", () => {
  const expected: Array<[string, RegExp]> = [
    ["valid", /^✔ \w{7} signed by zhao-min \(ed25519 0x[0-9A-F]{16}\)$/],
    [
      "unsigned",
      /^✖ \w{7} is not signed; sign it with "git commit -S" and a key listed in policies\/keys$/,
    ],
    [
      "added-key",
      /^✖ \w{7} is signed by key 0x[0-9A-F]{16} which belongs to nobody in policies\/keys at the base commit \(a key added by this pull request is trusted only once it is merged\)$/,
    ],
    [
      "someone-else",
      /^✖ \w{7} is signed by the key of sun-li \(ed25519 key SHA256:\S+\) but authored as zhao-min;/,
    ],
    ["ssh", /^✔ \w{7} signed by sun-li \(ed25519 SHA256:\S+\)$/],
    [
      "unknown-key",
      /^✖ \w{7} is signed by key 0x[0-9A-F]{16} which belongs to nobody in policies\/keys at the base commit \(a key added by this pull request is trusted only once it is merged\)$/,
    ],
    [
      "expired",
      /^✖ \w{7} is signed by key 0x[0-9A-F]{16}, which expired on \S+, before the commit was made/,
    ],
    [
      "revoked",
      /^✖ \w{7} is signed by key 0x[0-9A-F]{16}, which was revoked \(no reason given\) on \S+; a key revoked without a reason counts as compromised and is never trusted, not even for older commits$/,
    ],
    [
      "tampered",
      /^✖ \w{7} has a signature by key 0x[0-9A-F]{16} that does not match its content: the commit was altered after signing$/,
    ],
    ["merge", /^✔ \w{7} signed by zhao-min \(ed25519 0x[0-9A-F]{16}\)$/],
  ];

  it("prints one line per commit, in order, with the reason of each failure, and exits 1", async () => {
    const result = await gatehouse(
      ["keys", "verify", "main..feature", "--repo", repo.dir],
      tmp.path,
    );
    const lines = result.out.trimEnd().split("\n");
    expect(lines).toHaveLength(expected.length + 1);
    expected.forEach(([name, pattern], i) => {
      expect(lines[i]).toMatch(pattern);
      expect(lines[i]?.slice(2, 9)).toBe(sha[name]?.slice(0, 7));
    });
    expect(lines.at(-1)).toBe(
      `7 of 10 commits in main..feature fail; each must be signed by its author's key in policies/keys of main at ${repo.git(["rev-parse", "--short=7", "main"]).trim()}.`,
    );
    expect(result.status).toBe(1);
    expect(result.err).toBe("");
  });

  it("defaults the range to the merge base with main, from the current directory", async () => {
    const result = await gatehouse(["keys", "verify"], repo.dir);
    expect(
      result.out
        .split("\n")
        .slice(0, expected.length)
        .map((l) => l.slice(0, 9)),
    ).toEqual(
      expected.map(([name, pattern]) => `${pattern.source.slice(1, 2)} ${sha[name]?.slice(0, 7)}`),
    );
    // The range it chose is named, never "undefined..HEAD".
    expect(result.out.trimEnd().split("\n").at(-1)).toMatch(
      /^7 of 10 commits in main\.\.HEAD fail;/,
    );
  });

  it("exits 0 when every commit of the range passes", async () => {
    const result = await gatehouse(
      ["keys", "verify", `main..${sha.valid}`, "--repo", repo.dir],
      tmp.path,
    );
    expect(result.out).toMatch(
      /^✔ \w{7} signed by zhao-min .*\nThe 1 commit in main\.\.\w+ is signed by its author's trusted key \(policies\/keys of main at \w{7}\)\.\n$/,
    );
    expect(result.status).toBe(0);
  });

  it.each<[string, string[], RegExp]>([
    [
      "a directory that is no repository",
      ["keys", "verify", "--repo", "/"],
      /^gatehouse keys: \/ is not a git repository; pass --repo/,
    ],
    [
      "a ref that does not exist",
      ["keys", "verify", "nope..HEAD"],
      /^gatehouse keys: 'nope' is not a branch, tag or commit in .*; check the name/,
    ],
    [
      "a symmetric range",
      ["keys", "verify", "main...HEAD"],
      /^gatehouse keys: RANGE must be BASE\.\.HEAD \(for example main\.\.HEAD\), not 'main\.\.\.HEAD'\./,
    ],
    ["no subcommand", ["keys"], /^gatehouse keys: say 'list', 'verify' or 'add'\./],
    ["an unknown subcommand", ["keys", "show"], /^gatehouse keys: unknown subcommand 'show'/],
    [
      "a list option on verify",
      ["keys", "verify", "--format", "json"],
      /--format belongs to 'keys list'/,
    ],
  ])("refuses %s with one line and exit 2", async (_, args, message) => {
    const result = await gatehouse(args, repo.dir);
    expect(result.err).toMatch(message);
    expect(result.err.trimEnd().split("\n")).toHaveLength(1);
    expect(result.status).toBe(2);
  });
});

describe("gatehouse keys list", () => {
  it("shows each key with login, type, id, algorithm, expiry, e-mails and problems", async () => {
    const result = await gatehouse(["keys", "list", "--repo", repo.dir, "--ref", "main"], tmp.path);
    const lines = result.out.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^Keys in policies\/keys at main \(\w{7}\):$/);
    expect(lines.slice(1)).toEqual([
      expect.stringMatching(
        /^ {2}chen-jie +openpgp +0x[0-9A-F]{16} +ed25519 +no expiry +c\*\*\*@acme\.example +revoked \(no reason given\) on \S+: none of its signatures is trusted, not even older ones$/,
      ),
      expect.stringMatching(
        /^ {2}sun-li +ssh +SHA256:\S+ +ed25519 +no expiry +s\*\*\*@acme\.example$/,
      ),
      expect.stringMatching(
        /^ {2}wang-jun +openpgp +0x[0-9A-F]{16} +ed25519 +expires \d{4}-\d\d-\d\d +w\*\*\*@acme\.example +expires within 30 days/,
      ),
      // The reader's own e-mail is shown in full: masking is for other people's data.
      expect.stringMatching(
        /^ {2}zhao-min +openpgp +0x[0-9A-F]{16} +ed25519 +no expiry +zhao\.min@acme\.example$/,
      ),
    ]);
    expect(result.status).toBe(0);
  });

  it("prints JSON with the fingerprint, the file and the e-mails of each key", async () => {
    const result = await gatehouse(
      ["keys", "list", "--repo", repo.dir, "--ref", "main", "--format", "json"],
      tmp.path,
    );
    const json = JSON.parse(result.out) as {
      keys: Array<Record<string, unknown>>;
      problems: unknown[];
    };
    expect(json.keys.find((k) => k.login === "zhao-min")).toMatchObject({
      type: "openpgp",
      fingerprint: fpr.zhao,
      id: `0x${fpr.zhao?.slice(-16)}`,
      path: "policies/keys/zhao-min.asc",
      emails: ["zhao.min@acme.example"],
      expires: null,
      problems: [],
    });
    expect(json.keys.find((k) => k.login === "sun-li")).toMatchObject({
      emails: ["s***@acme.example"],
    });
    expect(json.problems).toEqual([]);
  });

  it("reads the working tree by default and a commit with --ref, listing file problems with exit 1", async () => {
    repo.git(["checkout", "-q", "-b", "broken", "main"]);
    repo.write("policies/keys/bad.pub", "# keys\nssh-ed25519 not-base64!\n");
    repo.commit("bad key", people.zhao as Author);
    repo.write("policies/keys/uncommitted.pub", "garbage\n");
    try {
      const committed = await gatehouse(
        ["keys", "list", "--repo", repo.dir, "--ref", "HEAD"],
        tmp.path,
      );
      expect(committed.out).toContain(
        'policies/keys/bad.pub:2:1 has no base64 key after "ssh-ed25519".',
      );
      expect(committed.out).not.toContain("uncommitted");
      expect(committed.status).toBe(1);

      const working = await gatehouse(["keys", "list", "--repo", repo.dir], tmp.path);
      expect(working.out.split("\n")[0]).toBe(
        "Keys in policies/keys in the working tree (committed or not; a pull request is judged by the keys of its base branch's tip):",
      );
      expect(working.out).toContain(
        "policies/keys/uncommitted.pub:1:1 is not an SSH public key line",
      );
      expect(working.out).toContain(
        'policies/keys/bad.pub:2:1 has no base64 key after "ssh-ed25519".',
      );
      expect(working.status).toBe(1);
    } finally {
      rmSync(join(repo.dir, "policies/keys/uncommitted.pub"));
      repo.git(["checkout", "-q", "feature"]);
    }
  });
});
