/**
 * `npm run bench -- deploy`: the custom deployment protection rule's time from webhook to answer
 * (the POST to the run's callback), median and p95 over 50 concurrent deliveries, each of its own
 * deployment judged in full (policy, change records, files since the last deployment, teams).
 * GitHub asks within a few seconds and counts a delivery unanswered after 10 s as failed; the app
 * rejects at 8 s. GitHub is the schema-executing fake of the app tests with nock, answering the
 * repeated queries from memory, so the times measure gatehouse and Probot, not the fake.
 */
import nock from "nock";
import { INSIDE, OPS } from "../test/core/deploy/pack-snapshot.js";
import { createApp } from "../test/github/helpers/app.js";
import {
  protectedRepository,
  protectionGitHub,
  protectionPayload,
} from "../test/github/helpers/protection-fixture.js";

async function concurrent(deliveries: number) {
  const pull = protectedRepository();
  const gh = protectionGitHub(pull, ["deploy/production/payments/app.yaml"], {
    deliveries,
    cached: true,
  });
  const app = createApp({ deployments: { now: () => INSIDE } });
  const payload = protectionPayload(pull, OPS);
  const started = performance.now();
  await Promise.all(
    Array.from({ length: deliveries }, (_, i) =>
      app.probot.receive({ id: `p-${i}`, name: "deployment_protection_rule", payload } as never),
    ),
  );
  const pending = gh.scope.pendingMocks().length;
  nock.cleanAll();
  const times = gh.answeredAt.map((t) => t - started).sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0;
  const approved = gh.answers.filter((a) => a.state === "approved").length;
  return {
    deliveries,
    answered: times.length,
    approved,
    pending,
    median: at(0.5),
    p95: at(0.95),
    max: times.at(-1) ?? 0,
  };
}

export async function run(): Promise<void> {
  nock.disableNetConnect();
  // One delivery first, so that loading modules and the schema do not count.
  await concurrent(1);
  console.log("Deployment protection rule, webhook to answer (GitHub's limit: 10 s; ours: 8 s)");
  for (const deliveries of [1, 50]) {
    const r = await concurrent(deliveries);
    console.log(
      `${String(deliveries).padStart(2)} concurrent deliveries: median ${r.median.toFixed(0)} ms, p95 ${r.p95.toFixed(0)} ms, max ${r.max.toFixed(0)} ms (${r.answered}/${deliveries} answered, ${r.approved} approved${r.pending > 0 ? `, ${r.pending} GitHub mocks unused` : ""})`,
    );
  }
  nock.enableNetConnect();
}
