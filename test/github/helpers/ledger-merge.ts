/**
 * What the App's evidence tests share: the evidence key the App signs with (in its environment
 * for the test file's duration), and a merge on the fake GitHub whose evidence the App writes.
 */
import { afterAll, beforeAll } from "vitest";
import { evidenceKey, type EvidenceKey } from "../../evidence/ledger-repo.js";
import { deliverMerge } from "./merge-delivery.js";
import type { FakePull } from "./fake-github.js";
import type { LedgerWorld } from "./ledger-world.js";

export { deliverMerge, type MergeDelivery } from "./merge-delivery.js";

/** Gives the App an evidence key for the file's tests; returns a getter of it. */
export function appEvidenceKey(): () => EvidenceKey {
  let key: EvidenceKey | undefined;
  beforeAll(async () => {
    key = await evidenceKey();
    process.env.GATEHOUSE_EVIDENCE_KEY = key.privateKey;
  }, 30_000);
  afterAll(() => {
    delete process.env.GATEHOUSE_EVIDENCE_KEY;
  });
  return () => {
    if (key === undefined) throw new Error("the evidence key is made in beforeAll");
    return key;
  };
}

/** Merges `pull` on the fake GitHub as `by`; the App writes its evidence. Returns the merge. */
export async function mergeWithEvidence(
  world: LedgerWorld,
  pull: FakePull,
  by: string,
): Promise<string> {
  const merge = world.merge(pull);
  const { failed } = await deliverMerge(world, pull, merge, { by });
  if (failed) throw failed;
  return merge;
}
