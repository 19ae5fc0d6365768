/**
 * An evidence document counts only while the key that signed it is valid: when it was written
 * and still at the time of judgement, the rule of commit signatures. A document's date is
 * whatever its signer wrote, so a key revoked or expired since could have signed it afterwards,
 * dated before; such a document is an `invalid-key` problem and counts for nothing.
 */
import { enums, readPrivateKey, revokeKey } from "openpgp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_WINDOW } from "../../src/cli/demo/clock.js";
import { CHG_PATH, changeAt, yamlOf } from "../../src/cli/demo/records.js";
import { main } from "../../src/cli/main.js";
import { baselineDrafts } from "../../src/core/evidence/baseline.js";
import { signedLine } from "../../src/core/evidence/sign.js";
import { placeStatements } from "../../src/core/evidence/append.js";
import { evidenceKeyring, verifyDocument } from "../../src/core/evidence/verify-document.js";
import { loadKeyring } from "../../src/core/signatures/keyring.js";
import { captureIO } from "../cli/capture-io.js";
import { node } from "../core/evaluate/fixtures.js";
import { makePgpKey, revokedArmor, type PgpKey } from "../signatures/helpers/craft.js";
import { branchCommit, ledgerRepo, type LedgerRepo } from "./ledger-repo.js";

const MADE = new Date("2026-01-01T00:00:00Z");
const WRITTEN = new Date("2026-03-01T00:00:00Z");
const LATER = new Date("2026-06-01T00:00:00Z");
const KEY_FILE = "policies/keys/gatehouse-evidence.asc";

const evidenceKey = (expiresIn?: number) =>
  makePgpKey({
    name: "gatehouse evidence",
    email: "gatehouse-evidence@bank.example",
    date: MADE,
    ...(expiresIn === undefined ? {} : { expiresIn }),
  });

/** One signed baseline document written at WRITTEN. */
async function documentOf(key: PgpKey): Promise<string> {
  const drafts = baselineDrafts({
    repository: "payments",
    baseRef: "main",
    commit: "a".repeat(40),
    records: [],
    writtenAt: WRITTEN,
  });
  const signer = { key: key.privateKey, fingerprint: key.privateKey.getFingerprint() };
  const empty = { commit: null, tip: null, note: null, heads: new Map() };
  const [placed] = await placeStatements(drafts, empty, (s) => signedLine(s, signer));
  return placed!.line;
}

async function verifyAt(text: string, keyFile: string, now: Date) {
  const keyring = await loadKeyring(new Map([[KEY_FILE, keyFile]]));
  return verifyDocument(text, now, evidenceKeyring(keyring), keyring);
}

describe("an evidence document's key at the time of judgement", () => {
  it("counts while the key is valid", async () => {
    const key = await evidenceKey();
    const check = await verifyAt(await documentOf(key), key.armored, LATER);
    expect(check.ok).toBe(true);
  });

  it.each([
    [1, "superseded"],
    [3, "retired"],
  ] as const)(
    "does not count once the key is revoked (%s, %s) after it was written",
    async (flag, words) => {
      const key = await evidenceKey();
      const text = await documentOf(key);
      const revoked = await revokedArmor(key, new Date("2026-04-01T00:00:00Z"), flag);
      // Before the revocation the same document still counts: the time of judgement decides.
      expect((await verifyAt(text, revoked, new Date("2026-03-15T00:00:00Z"))).ok).toBe(true);
      const check = await verifyAt(text, revoked, LATER);
      expect(check.ok).toBe(false);
      if (check.ok) return;
      expect(check.problem).toBe("invalid-key");
      expect(check.reason).toContain(`was revoked (${words}) on 2026-04-01T00:00:00Z`);
      expect(check.reason).toContain(
        "the document says it was written on 2026-03-01T00:00:00Z, but a document's date is whatever its signer wrote, so an evidence key must still be valid when the evidence is judged (2026-06-01T00:00:00Z)",
      );
      expect(check.reason).toMatch(/none of its documents count/);
      expect(check.reason).not.toMatch(/commit/);
    },
  );

  it("never counts when the key was revoked as compromised, not even before the revocation", async () => {
    const key = await evidenceKey();
    const text = await documentOf(key);
    const revoked = await revokedArmor(key, new Date("2026-04-01T00:00:00Z"), 2);
    const check = await verifyAt(text, revoked, new Date("2026-03-15T00:00:00Z"));
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.problem).toBe("invalid-key");
    expect(check.reason).toMatch(/revoked \(compromised\).*not even for older documents/);
  });

  it("does not count once the key has expired, and says to extend it", async () => {
    // Valid for 120 days from MADE: written inside, judged after.
    const key = await evidenceKey(120 * 86_400);
    const text = await documentOf(key);
    expect((await verifyAt(text, key.armored, new Date("2026-04-01T00:00:00Z"))).ok).toBe(true);
    const check = await verifyAt(text, key.armored, LATER);
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.problem).toBe("invalid-key");
    expect(check.reason).toMatch(/which expired on 2026-05-01T00:00:00Z/);
    expect(check.reason).toMatch(
      /extend the key \(gpg --quick-set-expire\) and update policies\/keys\/gatehouse-evidence\.asc$/,
    );
  });

  it("does not count a document written after the key was revoked, as before", async () => {
    const key = await evidenceKey();
    const text = await documentOf(key);
    const revoked = await revokedArmor(key, new Date("2026-02-01T00:00:00Z"), 1);
    const check = await verifyAt(text, revoked, LATER);
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.problem).toBe("invalid-key");
    expect(check.reason).toMatch(
      /revoked \(superseded\) on 2026-02-01T00:00:00Z, before the document was written/,
    );
  });
});

describe("a repository whose evidence key was revoked after its documents were written", () => {
  let repo: LedgerRepo;
  /** After every document was written, before the judgements that see the revocation. */
  let revokedAt: Date;
  let after: Date;

  beforeAll(async () => {
    repo = await ledgerRepo();
    branchCommit(repo, "schedule", "li-na", {
      [CHG_PATH]: yamlOf(changeAt.scheduled(DEMO_WINDOW)),
    });
    await repo.merge(await repo.judge("schedule", "li-na", ["chen-jie"]), "li-na");
    // Documents are dated by their merge commits (now): the revocation comes a day later.
    revokedAt = new Date(Date.now() + 86_400_000);
    after = new Date(revokedAt.getTime() + 86_400_000);
    const { publicKey } = await revokeKey({
      key: await readPrivateKey({ armoredKey: repo.key.privateKey }),
      reasonForRevocation: { flag: enums.reasonForRevocation.keySuperseded, string: "rotated" },
      date: revokedAt,
      format: "armored",
    });
    branchCommit(repo, "revoke-evidence-key", "li-na", { [KEY_FILE]: publicKey });
    const revoke = await repo.judge("revoke-evidence-key", "li-na", ["xu-ming", "guo-fang"]);
    expect(revoke.verdict.conclusion).toBe("success");
    await repo.merge(revoke, "xu-ming");
    branchCommit(repo, "cancel", "liu-yang", {
      [CHG_PATH]: yamlOf(changeAt.cancelled(DEMO_WINDOW)),
    });
  }, 60_000);
  afterAll(() => repo.dispose());

  it("still holds the earlier act against the release manager before the revocation", async () => {
    const cancel = await repo.judge("cancel", "liu-yang", ["chen-jie"]);
    expect(node(cancel.verdict.rules, `records/${CHG_PATH}/evidence`).status).toBe("satisfied");
    expect(
      node(cancel.verdict.rules, `records/${CHG_PATH}/requires/release-manager`).reason,
    ).toMatch(/chen-jie approved CHG-2026-0001 as ops-lead in #\d+/);
  });

  it("fails the record once the key is revoked, naming the key and the rule", async () => {
    const cancel = await repo.judge("cancel", "liu-yang", ["li-na"], after);
    expect(cancel.verdict.conclusion).toBe("failure");
    const evidence = node(cancel.verdict.rules, `records/${CHG_PATH}/evidence`);
    expect(evidence.status).toBe("failed");
    expect(evidence.reason).toMatch(
      /evidence #\d+ of CHG-2026-0001 is signed by key \S+, which was revoked \(superseded\) on .*an evidence key must still be valid when the evidence is judged/,
    );
    // The revoked documents feed nothing: no earlier act is named as trusted evidence.
    expect(cancel.snapshot.evidence?.some((e) => e.verification?.status === "verified")).toBe(
      false,
    );
  });

  it("is reported by the audit, document by document, once the key is revoked", async () => {
    const io = captureIO(repo.dir);
    const status = await main(
      ["audit", "--format", "json", "--now", after.toISOString().replace(/\.\d{3}Z$/, "Z")],
      io,
    );
    expect(status).toBe(1);
    const report = JSON.parse(io.out()) as {
      ledger: { documents: number; verified: number };
      problems: Array<{ kind: string; position: string; message: string }>;
    };
    expect(report.ledger.verified).toBe(0);
    const invalid = report.problems.filter((p) => p.kind === "invalid-key");
    expect(invalid).toHaveLength(report.ledger.documents);
    const positions = invalid.map((p) => p.position).sort();
    expect(positions).toEqual(
      Array.from({ length: report.ledger.documents }, (_, i) =>
        expect.stringMatching(new RegExp(`^#${i + 1} \\(note of [0-9a-f]{7}, line 1\\)$`)),
      ),
    );
    for (const problem of invalid) expect(problem.message).toMatch(/was revoked \(superseded\)/);
  });

  it("finds the ledger clear when audited before the revocation", async () => {
    const io = captureIO(repo.dir);
    expect(await main(["audit"], io)).toBe(0);
  });
});
