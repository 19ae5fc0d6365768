/**
 * `npm run bench -- ledger-app`: the App's GitHub requests for one judgement of a pull request
 * that changes a record, with 10 and with 10,000 earlier evidence documents in the ledger. The
 * evidence costs one request whatever the ledger's length; this prints the count to show it.
 * GitHub is the app tests' fake: GraphQL executed against GitHub's schema, the ledger a real
 * tree of real signed documents.
 */
import nock from "nock";
import { appendEntries } from "../src/core/evidence/append.js";
import { createApp, examplePayload, github } from "../test/github/helpers/app.js";
import type { FakeGit } from "../test/github/helpers/fake-git.js";
import { LedgerWorld } from "../test/github/helpers/ledger-world.js";
import { benchKey, ledgerDocuments } from "./ledger-fixture.js";

const SIZES = [10, 10_000];

export async function run(): Promise<void> {
  const key = await benchKey();
  for (const merges of SIZES) {
    const world = await LedgerWorld.create({
      "policies/keys/gatehouse-evidence.asc": key.publicKey,
      "changes/CHG-2026-0001.yaml":
        "apiVersion: gatehouse/v1\nkind: ChangeRequest\nid: CHG-2026-0001\ntitle: Change 1\nstate: draft\ntype: normal\n",
    });
    const shas = Array.from({ length: merges + 1 }, (_, i) =>
      world.git.commitFiles(new Map([["n", String(i)]]), [], `merge ${i}`),
    );
    const placed = await ledgerDocuments(merges, key.signer, shas, Math.min(merges, 2000));
    writeLedger(world.git, placed);
    const pull = world.pull(
      "liu-yang",
      {
        "changes/CHG-2026-0001.yaml":
          "apiVersion: gatehouse/v1\nkind: ChangeRequest\nid: CHG-2026-0001\ntitle: Change 1, retitled\nstate: draft\ntype: normal\n",
      },
      ["li-na"],
      null,
    );
    const gh = github(pull).graphql(20).checks(1);
    const counts = { graphql: 0, writes: 0 };
    gh.scope.on("request", (req: { method: string; path: string }) => {
      if (req.path === "/graphql") counts.graphql += 1;
      else counts.writes += 1;
    });
    const ledgerBefore = world.git.requests.graphql;
    const started = performance.now();
    await createApp().probot.receive({
      id: `ledger-${merges}`,
      name: "pull_request",
      payload: examplePayload("pull_request", "opened", pull),
    } as never);
    const ms = performance.now() - started;
    const ledger = world.git.requests.graphql - ledgerBefore;
    const folder = [
      ...world.git
        .files(world.git.commits.get(world.git.refs.get("refs/notes/gatehouse")!)!.tree)
        .keys(),
    ].filter((path) => path.startsWith("index/CHG-2026/CHG-2026-0001/")).length;
    console.log(
      `${merges.toLocaleString("en-US").padStart(6)} earlier documents: ${counts.graphql + ledger + counts.writes} requests per judgement (${counts.graphql} for the pull request, ${ledger} for its evidence, ${counts.writes} check write); the record's folder holds ${folder} documents; ${ms.toFixed(0)} ms`,
    );
    nock.cleanAll();
  }
}

function writeLedger(git: FakeGit, placed: Parameters<typeof appendEntries>[1]): void {
  const entries = appendEntries({ commit: null, tip: null, note: null, heads: new Map() }, placed);
  const files = new Map(entries.map((e) => [e.path, git.blob(e.text)]));
  git.refs.set("refs/notes/gatehouse", git.commit(git.treeOf(files, true), [], "ledger"));
}
