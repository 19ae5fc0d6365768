/**
 * `npm run bench -- merge`: the App's GitHub requests for one merged pull request, with the
 * evidence key configured: a merge that changes a record, one that also deploys, the redelivery
 * of that one, and a bypass whose issue the first delivery could not open, then its redelivery.
 * The merged pull request is loaded once per delivery, for its evidence and its deployment.
 * GitHub is the app tests' fake (GraphQL executed against GitHub's schema, the ledger a real tree
 * of signed documents), counted at the nock layer.
 */
import {
  CHG,
  CHG_PATH,
  INC_PATH,
  incidentAt,
  GATEWAY_FILE,
  changeAt,
  gatewayAt,
  yamlOf,
} from "../src/cli/demo/records.js";
import { DEMO_WINDOW } from "../src/cli/demo/clock.js";
import { LedgerWorld } from "../test/github/helpers/ledger-world.js";
import { deliverMerge, type MergeDelivery } from "../test/github/helpers/merge-delivery.js";
import { benchKey } from "./ledger-fixture.js";

export async function run(): Promise<void> {
  const key = await benchKey();
  const before = process.env.GATEHOUSE_EVIDENCE_KEY;
  process.env.GATEHOUSE_EVIDENCE_KEY = key.privateKey;
  try {
    const world = await LedgerWorld.create({
      [CHG_PATH]: yamlOf(changeAt.scheduled(DEMO_WINDOW)),
      [GATEWAY_FILE]: gatewayAt("4.1.7"),
    });
    const merge = async (
      files: Record<string, string>,
      check: "SUCCESS" | "FAILURE",
      body = "",
    ) => {
      const pull = world.pull("liu-yang", files, ["zhou-qiang"], check);
      pull.body = body;
      const sha = world.merge(pull);
      return { pull, sha, delivery: await deliverMerge(world, pull, sha) };
    };
    const trust = await merge({ "policies/keys/gatehouse-evidence.asc": key.publicKey }, "SUCCESS");
    show("the merge that starts the ledger", trust.delivery);
    const record = await merge({ [INC_PATH]: yamlOf(incidentAt.collected) }, "SUCCESS");
    show("a merge that changes a record", record.delivery);
    const deploy = await merge(
      { [GATEWAY_FILE]: gatewayAt("4.2.0") },
      "SUCCESS",
      `Change: ${CHG}\n`,
    );
    show("a merge that deploys", deploy.delivery);
    show("its redelivery", await deliverMerge(world, deploy.pull, deploy.sha));
    world.git.tracker.failures.createIssue = 1;
    const bypass = await merge(
      { [GATEWAY_FILE]: gatewayAt("4.2.1") },
      "FAILURE",
      `Change: ${CHG}\n`,
    );
    show("a bypass whose issue GitHub refused", bypass.delivery);
    show("its redelivery, which opens it", await deliverMerge(world, bypass.pull, bypass.sha));
    show("delivered once more", await deliverMerge(world, bypass.pull, bypass.sha));
  } finally {
    if (before === undefined) delete process.env.GATEHOUSE_EVIDENCE_KEY;
    else process.env.GATEHOUSE_EVIDENCE_KEY = before;
  }
}

function show(what: string, delivery: MergeDelivery): void {
  const loads = delivery.operations.filter((o) => o === "GatehousePullRequest").length;
  const { pull, ledger, tracker } = delivery.parts;
  console.log(
    `${what.padEnd(38)} ${String(delivery.requests).padStart(2)} requests (${pull} pull request and check, ${ledger} ledger, ${tracker} issues and deployments); ${loads} snapshot load${loads === 1 ? "" : "s"}${delivery.failed ? "; the delivery failed" : ""}`,
  );
}
