/**
 * A governed repository for the app tests: the finance pack under `policies/` at the base, a
 * change request, and a pull request whose commits are signed with a real OpenPGP key that the
 * pack trusts for the author.
 */
import { createHash } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";
import * as openpgp from "openpgp";
import type { FakeCommit, FakePull } from "./fake-github.js";

export const OWNER = "acme";
export const REPO = "payments";
export const AUTHOR = "example-wang-jun";
export const RELEASE_MANAGER = "example-zhao-min";
export const QA = "li-qa";
export const SECURITY_ADMINS = ["example-guo-qiang", "example-he-fang"] as const;
export const CHANGE_PATH = "changes/CHG-2026-0042.yaml";

const PACK = new URL("../../../policies/finance/", import.meta.url);

/** The finance pack's files, as they sit under `policies/` in a governed repository. */
export function financePack(): Map<string, string> {
  const files = new Map<string, string>();
  for (const name of readdirSync(PACK)) {
    files.set(`policies/${name}`, readFileSync(new URL(name, PACK), "utf8"));
  }
  return files;
}

export function changeRequest(state: string, overrides: Record<string, string> = {}): string {
  const fields = {
    state,
    "architecture.review": "approved",
    "testing.conclusion": "passed",
    ...overrides,
  };
  return `apiVersion: gatehouse/v1
kind: ChangeRequest
id: CHG-2026-0042
title: Raise the daily transfer limit
state: ${fields.state}
type: normal
system: payments
environment: production
risk: medium
requirements:
  scope: Raise the daily transfer limit to 50,000 for verified customers
  tickets: [PAY-101]
architecture:
  review: ${fields["architecture.review"]}
deployment:
  version: 2.4.0
  artifact: registry.example/payments@sha256:abc
  strategy: blue-green
  steps: [deploy green, switch traffic]
  rollback: [switch traffic back]
testing:
  conclusion: ${fields["testing.conclusion"]}
  report: https://ci.example/reports/2.4.0
`;
}

export interface Signer {
  login: string;
  email: string;
  publicKey: string;
  privateKey: openpgp.PrivateKey;
}

let signer: Promise<Signer> | undefined;
/** One OpenPGP key for the whole test run: generating keys is the slow part. */
export function authorSigner(): Promise<Signer> {
  signer ??= (async () => {
    const email = `${AUTHOR}@users.noreply.github.com`;
    const { privateKey, publicKey } = await openpgp.generateKey({
      type: "ecc",
      curve: "curve25519Legacy",
      userIDs: [{ name: "Wang Jun", email }],
      // Made before the commits it signs, as a real key would be.
      date: new Date("2025-06-01T00:00:00Z"),
      format: "armored",
    });
    return {
      login: AUTHOR,
      email,
      publicKey,
      privateKey: await openpgp.readPrivateKey({ armoredKey: privateKey }),
    };
  })();
  return signer;
}

const sha1 = (text: string) => createHash("sha1").update(text).digest("hex");

/** A commit signed by `signer`, its payload naming the given tree and parents. */
export async function signedCommit(
  signer: Signer,
  message: string,
  parents: string[],
): Promise<FakeCommit> {
  const tree = sha1(`tree ${message}`);
  const when = 1_767_225_600; // 2026-01-01T00:00:00Z
  const person = `Wang Jun <${signer.email}> ${when} +0000`;
  const payload = [
    `tree ${tree}`,
    ...parents.map((p) => `parent ${p}`),
    `author ${person}`,
    `committer ${person}`,
    "",
    message,
    "",
  ].join("\n");
  const signature = await openpgp.sign({
    message: await openpgp.createMessage({ binary: new TextEncoder().encode(payload) }),
    signingKeys: signer.privateKey,
    detached: true,
    format: "armored",
  });
  const date = new Date(when * 1000).toISOString();
  const actor = { name: "Wang Jun", email: signer.email, login: signer.login, date };
  return {
    sha: sha1(payload),
    tree,
    parents,
    author: actor,
    committer: actor,
    message,
    signature: { signature, payload },
  };
}

/**
 * A pull request by {@link AUTHOR} that moves CHG-2026-0042 from draft to requested, which
 * needs an approval from a release-manager and one from qa.
 */
export async function requestChangePull(
  options: {
    extraBase?: Map<string, string>;
    headFiles?: Map<string, string>;
    /** False for a pull request that leaves the change request alone. */
    changeRecord?: boolean;
  } = {},
): Promise<FakePull> {
  const author = await authorSigner();
  const baseSha = sha1("base");
  const baseFiles = new Map([
    ...financePack(),
    [`policies/keys/${AUTHOR}.asc`, author.publicKey],
    [CHANGE_PATH, changeRequest("draft")],
    ...(options.extraBase ?? []),
  ]);
  const headFiles = new Map(baseFiles);
  if (options.changeRecord !== false) headFiles.set(CHANGE_PATH, changeRequest("requested"));
  for (const [path, text] of options.headFiles ?? []) headFiles.set(path, text);
  const changed = [...headFiles.keys()]
    .filter((path) => baseFiles.get(path) !== headFiles.get(path))
    .map((path) => ({ path, changeType: baseFiles.has(path) ? "MODIFIED" : "ADDED" }) as const);
  const commit = await signedCommit(author, "Request CHG-2026-0042", [baseSha]);
  return {
    owner: OWNER,
    name: REPO,
    number: 42,
    state: "OPEN",
    author: AUTHOR,
    body: "Change: CHG-2026-0042",
    baseRef: "main",
    baseSha,
    headSha: commit.sha,
    baseFiles,
    headFiles,
    changed,
    commits: [commit],
    reviews: [],
    labels: [],
    checks: [],
    teams: { "acme/qa": [QA], "acme/architects": [], "acme/ops": [] },
  };
}

/** Adds a commit on top of the pull request's head (a push), keeping its files. */
export async function pushCommit(pull: FakePull, message: string): Promise<void> {
  const commit = await signedCommit(await authorSigner(), message, [pull.headSha]);
  pull.commits.push(commit);
  pull.headSha = commit.sha;
}

export function approve(pull: FakePull, login: string, commit = pull.headSha): void {
  pull.reviews = pull.reviews.filter((r) => r.login !== login);
  pull.reviews.push({ login, state: "APPROVED", commit, submittedAt: "2026-01-02T00:00:00Z" });
}
