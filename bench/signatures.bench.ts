/**
 * Signature verification speed: 250 commits signed with an ed25519 OpenPGP key, 250 with an
 * RSA-3072 OpenPGP key and 250 SSH-ed25519 signatures, verified cold (empty cache) and warm
 * (the same pull request evaluated again, which must verify nothing).
 */
import { judgeCommit } from "../src/core/signatures/judge-commit.js";
import { loadKeyring } from "../src/core/signatures/keyring.js";
import {
  clearVerificationCache,
  verificationCount,
} from "../src/core/signatures/verify-signature.js";
import type { Commit } from "../src/core/types.js";
import {
  commitOf,
  makePgpKey,
  makeSshKey,
  payloadOf,
  signPgp,
  signSsh,
  type PayloadSpec,
} from "../test/signatures/helpers/craft.js";

const COMMITS = 250;
const author = { name: "Zhao Min", email: "zhao.min@acme.example" };
const start = new Date(Date.UTC(2026, 0, 1));

async function commits(
  label: string,
  sign: (payload: string, time: Date) => Promise<string> | string,
  format: "openpgp" | "ssh",
): Promise<Commit[]> {
  const out: Commit[] = [];
  for (let i = 0; i < COMMITS; i++) {
    const spec: PayloadSpec = {
      author,
      time: start.getTime() / 1000 + 3600 + i,
      message: `${label} ${i}\n`,
    };
    const payload = payloadOf(spec);
    const sha = `${label}-${i}`.padEnd(40, "0");
    out.push(
      commitOf(sha, spec, {
        format,
        signature: await sign(payload, new Date(spec.time * 1000)),
        payload,
      }),
    );
  }
  return out;
}

export async function run(): Promise<void> {
  const ed = await makePgpKey({ ...author, date: start });
  const rsa = await makePgpKey({ ...author, type: "rsa", date: start });
  const ssh = makeSshKey("zhao-min");
  const keyring = await loadKeyring(
    new Map([
      ["policies/keys/zhao-min.asc", ed.armored + rsa.armored],
      ["policies/keys/zhao-min.pub", ssh.line],
    ]),
  );
  const sets: Array<[string, Commit[]]> = [
    ["OpenPGP ed25519", await commits("ed", (p, t) => signPgp(p, ed, t), "openpgp")],
    ["OpenPGP RSA-3072", await commits("rsa", (p, t) => signPgp(p, rsa, t), "openpgp")],
    ["SSH ed25519", await commits("ssh", (p) => signSsh(p, ssh), "ssh")],
  ];
  clearVerificationCache();
  const options = { authorLogin: "zhao-min", trustGithubWebCommits: false, now: new Date() };
  for (const [label, list] of sets) {
    for (const phase of ["cold", "warm"] as const) {
      const before = verificationCount();
      const t0 = performance.now();
      const results = await Promise.all(list.map((c) => judgeCommit(c, keyring, options)));
      const ms = performance.now() - t0;
      const bad = results.filter((r) => r.status !== "satisfied");
      if (bad.length > 0)
        throw new Error(`${label}: ${bad.length} commits failed: ${bad[0]?.reason}`);
      const verified = verificationCount() - before;
      console.log(
        `${label.padEnd(17)} ${phase}: ${COMMITS} commits in ${ms.toFixed(0).padStart(5)} ms = ${((COMMITS / ms) * 1000).toFixed(0).padStart(6)} commits/s, ${verified} signatures verified`,
      );
    }
  }
}
