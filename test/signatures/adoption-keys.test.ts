/**
 * The README's way to the first judged pull request, as a new team follows it for keys and
 * identities: init, the first key added with `gatehouse keys add` and committed to the default
 * branch before protection, a change on a branch signed by git as configured, then
 * `keys verify` and `check` without any --context, mapping the author through the key.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoPack } from "../../src/cli/demo/demo-pack.js";
import { initFiles } from "../../src/cli/init-files.js";
import { checkSignatures, gatehouse } from "./helpers/governed-signed-repo.js";
import { sshKeygen, TempDir, TestRepo } from "./helpers/signed-repo.js";

const tmp = new TempDir();
let repo: TestRepo;

beforeAll(() => {
  repo = new TestRepo(join(tmp.path, "bank"));
  // The developer's git signs with an SSH key whose comment is not an e-mail.
  const key = sshKeygen(tmp.path, "wang", "ed25519", "wang@laptop");
  for (const [name, value] of [
    ["user.name", "Wang Jun"],
    ["user.email", "wang.jun@acme.example"],
    ["gpg.format", "ssh"],
    ["user.signingkey", `${key.privatePath}.pub`],
    ["commit.gpgsign", "true"],
  ]) {
    repo.git(["config", name as string, value as string]);
  }
});

afterAll(() => tmp.remove());

describe("a team's first keys and first signed change", () => {
  it("goes from init to a judged pull request without --context", async () => {
    expect((await gatehouse(["init"], repo.dir)).status).toBe(0);
    // roles.yml with the real people, as the README asks.
    const people = [
      { login: "wang-jun", role: "dev-lead" },
      { login: "xu-ming", role: "security-admin" },
      { login: "guo-fang", role: "security-admin" },
    ];
    const roles = demoPack(await initFiles("finance"), people, new Map()).get("policies/roles.yml");
    repo.write("policies/roles.yml", roles ?? "");

    const added = await gatehouse(["keys", "add", "--login", "wang-jun"], repo.dir);
    expect(added.status).toBe(0);
    expect(added.out).toMatch(
      /^Wrote policies\/keys\/wang-jun\.pub: wang-jun's ed25519 key SHA256:\S+, mapping commits made as wang\.jun@acme\.example to wang-jun\.\nThis is the first key of policies\/keys: commit it to the default branch before you turn on branch protection/,
    );
    const listed = await gatehouse(["keys", "list"], repo.dir);
    expect(listed.out).toMatch(
      /^ {2}wang-jun +ssh +SHA256:\S+ +ed25519 +no expiry +wang\.jun@acme\.example$/m,
    );

    // The first keys reach main directly, signed, before branch protection.
    repo.git(["add", "-A"]);
    repo.git(["commit", "-q", "-m", "Adopt gatehouse"]);
    repo.git(["checkout", "-q", "-b", "payments-4.2"]);
    expect((await gatehouse(["new", "change", "--title", "Payments 4.2"], repo.dir)).status).toBe(
      0,
    );
    repo.git(["add", "-A"]);
    repo.git(["commit", "-q", "-m", "Start the payments change"]);

    const verify = await gatehouse(["keys", "verify"], repo.dir);
    expect(verify.out).toMatch(
      /^✔ \w{7} signed by wang-jun \(ed25519 SHA256:\S+\)\nThe 1 commit in main\.\.HEAD is signed by its author's trusted key \(policies\/keys of main at \w{7}\)\.\n$/,
    );
    expect(verify.status).toBe(0);

    const { node, json } = await checkSignatures(repo);
    expect(node).toMatchObject({
      status: "satisfied",
      reason: "the commit is signed by its author's trusted key",
    });
    // Nothing else is approved yet: the change waits, it is not refused.
    expect(json.conclusion).toBe("pending");
  });
});
