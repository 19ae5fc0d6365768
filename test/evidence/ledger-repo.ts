/**
 * A governed repository whose merges write real evidence into real git notes: the finance pack
 * with the demo's cast and a change request that is already `requested` when gatehouse is
 * adopted (a record older than the ledger). The first pull request trusts the evidence key
 * (`policies/keys/gatehouse-evidence.asc`, two security admins approve); its merge writes the
 * ledger's first document. Pull requests are branches judged by the real loader and merged with
 * a merge commit, as GitHub does.
 */
import { generateKey } from "openpgp";
import { CAST, DEPUTIES, emailOf } from "../../src/cli/demo/cast.js";
import { demoPack } from "../../src/cli/demo/demo-pack.js";
import { CHG_PATH, changeAt, yamlOf } from "../../src/cli/demo/records.js";
import { DEMO_NOW } from "../../src/cli/demo/clock.js";
import { initFiles } from "../../src/cli/init-files.js";
import { readSigningKey, type SigningKey } from "../../src/core/evidence/sign.js";
import { evaluate } from "../../src/core/evaluate/evaluate.js";
import type { Login, Verdict } from "../../src/core/types.js";
import { loadLocalSnapshot, type LocalSnapshot } from "../../src/git/load-snapshot.js";
import { recordLocalMerge } from "../../src/git/merge-evidence.js";
import { tempRepo, type TempRepo } from "../git/temp-repo.js";

export interface EvidenceKey {
  signer: SigningKey;
  /** The armored public key, as `policies/keys/gatehouse-evidence.asc` holds it. */
  publicKey: string;
  /** The armored private key, as the App's GATEHOUSE_EVIDENCE_KEY holds it. */
  privateKey: string;
}

/**
 * A fresh OpenPGP key pair for signing evidence, made before the demo's clock (the judgements
 * here run at DEMO_NOW, and an evidence key must be valid at the time of judgement).
 */
export async function evidenceKey(
  name = "gatehouse evidence",
  date = new Date("2025-06-01T00:00:00Z"),
): Promise<EvidenceKey> {
  const { privateKey, publicKey } = await generateKey({
    type: "curve25519",
    userIDs: [{ name, email: "gatehouse-evidence@bank.example" }],
    date,
    format: "armored",
  });
  return { signer: await readSigningKey(privateKey), publicKey, privateKey };
}

export const person = (login: Login) => ({ name: login, email: emailOf(login) });

export interface LedgerRepo extends TempRepo {
  key: EvidenceKey;
  /**
   * Judges `branch` against main as a pull request by `author`, approved by `approvals`, at
   * `now` (default: the demo's clock).
   */
  judge(branch: string, author: Login, approvals: Login[], now?: Date): Promise<JudgedPull>;
  /** Merges a judged pull request into main with a merge commit and writes its evidence. */
  merge(pull: JudgedPull, by: Login): Promise<string>;
}

export interface JudgedPull {
  branch: string;
  number: number;
  snapshot: LocalSnapshot;
  verdict: Verdict;
}

let numbers = 0;

/**
 * The repository, with `CHG-2026-0001` requested (and the `extra` files) before the ledger
 * began.
 */
export async function ledgerRepo(
  key?: EvidenceKey,
  extra: Record<string, string> = {},
): Promise<LedgerRepo> {
  const evidence = key ?? (await evidenceKey());
  const repo = tempRepo("gatehouse-ledger-");
  const files = demoPack(await initFiles("finance"), [...CAST, ...DEPUTIES], null);
  files.set(CHG_PATH, yamlOf(changeAt.requested));
  for (const [path, text] of Object.entries(extra)) files.set(path, text);
  repo.write(Object.fromEntries(files));
  repo.commit("Adopt gatehouse", person("xu-ming"));
  const identities = Object.fromEntries(CAST.map(({ login }) => [emailOf(login), login]));
  const ledger: LedgerRepo = {
    ...repo,
    key: evidence,
    async judge(branch, author, approvals, now = DEMO_NOW) {
      const number = ++numbers;
      const snapshot = await loadLocalSnapshot({
        repo: repo.dir,
        base: "main",
        head: branch,
        context: { author, approvals: approvals.map((user) => ({ user })), identities, number },
        now,
      });
      return { branch, number, snapshot, verdict: await evaluate(snapshot) };
    },
    async merge(pull, by) {
      const before = repo.git("rev-parse", "main").trim();
      const tree = repo.git("rev-parse", `${pull.branch}^{tree}`).trim();
      const merge = repo
        .git(
          "-c",
          `user.name=${by}`,
          "-c",
          `user.email=${emailOf(by)}`,
          "commit-tree",
          "--no-gpg-sign",
          tree,
          "-p",
          "main",
          "-p",
          pull.branch,
          "-m",
          `Merge pull request #${pull.number} from ${pull.branch}`,
        )
        .trim();
      repo.git("update-ref", "refs/heads/main", merge, before);
      await recordLocalMerge({
        root: repo.dir,
        snapshot: pull.snapshot,
        verdict: pull.verdict,
        baseRef: "main",
        before,
        merge,
        by,
        signer: evidence.signer,
      });
      return merge;
    },
  };
  branchCommit(repo, "trust-evidence-key", "li-na", {
    "policies/keys/gatehouse-evidence.asc": evidence.publicKey,
  });
  const trust = await ledger.judge("trust-evidence-key", "li-na", ["xu-ming", "guo-fang"]);
  if (trust.verdict.conclusion !== "success") {
    throw new Error(`trusting the evidence key was refused: ${trust.verdict.summary}`);
  }
  await ledger.merge(trust, "xu-ming");
  return ledger;
}

/** Starts `branch` from main and commits the files as `login`. */
export function branchCommit(
  repo: TempRepo,
  branch: string,
  login: Login,
  files: Record<string, string>,
): string {
  repo.git("checkout", "-q", "-B", branch, "main");
  repo.write(files);
  return repo.commit(`${branch}`, person(login));
}
