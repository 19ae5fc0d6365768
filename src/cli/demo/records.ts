import { stringify } from "yaml";
import { maskText } from "../../core/privacy/stream-masker.js";

/**
 * The demo's records as they grow, step by step. Desensitised: no personal data anywhere,
 * except in the one first draft the personal-data gate refuses ({@link incidentAt}.collectedRaw).
 */

const header = (kind: string, id: string, title: string) => ({
  apiVersion: "gatehouse/v1",
  kind,
  id,
  title,
});

export const CHG = "CHG-2026-0001";
export const CHG_PATH = `changes/${CHG}.yaml`;
export const INC = "INC-2026-0001";
export const INC_PATH = `incidents/${INC}.yaml`;
export const IMP = "IMP-2026-0001";
export const IMP_PATH = `improvements/${IMP}.yaml`;

const change = {
  ...header("ChangeRequest", CHG, "Upgrade the payment gateway to 4.2"),
  state: "draft",
  type: "normal",
  system: "payment-gateway",
  environment: "production",
  risk: "medium",
  covers: ["deploy/production/payment-gateway/**"],
};
const requirements = {
  scope: "Raise the gateway's connection limit and add the new settlement API (REQ-3101).",
  tickets: ["REQ-3101"],
};
const architecture = {
  review: "approved",
  notes: "Reviewed in the architecture board of week 46.",
};
const deployment = {
  version: "4.2.0",
  artifact: "registry.bank.example/payment-gateway:4.2.0",
  strategy: "rolling",
  steps: ["Drain node 1 and upgrade it", "Verify health checks", "Repeat for nodes 2 and 3"],
  rollback: ["Redeploy 4.1.7 node by node", "Verify health checks"],
};
const testing = { conclusion: "passed", report: "TR-2026-118: 412 cases passed, 0 open defects." };

/** The change request after each step of the story. */
export const changeAt = {
  requirements: { ...change, requirements },
  architecture: { ...change, requirements, architecture },
  deployment: { ...change, requirements, architecture, deployment },
  testing: { ...change, requirements, architecture, deployment, testing },
  requested: { ...change, state: "requested", requirements, architecture, deployment, testing },
  scheduled: (window: { start: string; end: string }) => ({
    ...change,
    state: "scheduled",
    window,
    requirements,
    architecture,
    deployment,
    testing,
  }),
  cancelled: (window: { start: string; end: string }) => ({
    ...changeAt.scheduled(window),
    state: "cancelled",
  }),
};

const incident = {
  ...header("IncidentAnalysis", INC, "Payment gateway timeouts during the evening peak"),
  severity: "P2",
  systems: ["payment-gateway"],
};
/** ISO 7064 MOD 11-2, the check character of a mainland resident ID (GB 11643). */
function residentIdCheck(first17: string): string {
  const sum = [...first17].reduce(
    (total, digit, i) => total + Number(digit) * (2 ** (17 - i) % 11),
    0,
  );
  return "10X98765432".charAt(sum % 11);
}

/**
 * A customer as the hotline logged them: a mobile number and a resident ID that pass the
 * detectors' checks but belong to nobody (an invented 1990 birth date, a Beijing region code).
 * Built here rather than written out, so that no search of the source finds a "real" ID.
 */
export const CUSTOMER = (() => {
  const mobile = ["139", "1234", "5678"].join("");
  const id17 = ["110105", "19900307", "123"].join("");
  return { mobile, residentId: id17 + residentIdCheck(id17) };
})();

/** What the ops lead first pastes from the hotline ticket, personal data and all. */
const rawSymptoms =
  "About 3% of card payments timed out after 30 s; customers retried. " +
  `Hotline ticket: customer ${CUSTOMER.mobile} (resident ID ${CUSTOMER.residentId}) was charged twice.`;

const collection = {
  occurredAt: "2026-11-18T19:42:00+08:00",
  detectedAt: "2026-11-18T19:45:00+08:00",
  resolvedAt: "2026-11-18T20:31:00+08:00",
  // What the record keeps after `gatehouse mask`: the same text with the values masked.
  symptoms: maskText(rawSymptoms),
  timeline: [
    { at: "2026-11-18T19:45:00+08:00", event: "Alarm on gateway latency" },
    { at: "2026-11-18T20:05:00+08:00", event: "Connection pool found exhausted" },
    { at: "2026-11-18T20:31:00+08:00", event: "Pool enlarged, traffic normal" },
  ],
};
const analysis = {
  rootCause: "The connection pool was sized for last year's peak and ran out.",
  category: "capacity",
  handlingStrategy: "Enlarge the pool now; alarm on pool usage; review sizing every quarter.",
  actions: ["Raise the pool to 400", "Alarm at 80% pool usage"],
};
const confirmation = {
  decision: "disputed",
  reason: "Pool exhaustion was the effect: a slow settlement query held connections too long.",
};
const arbitration = {
  decision: "accept-analysis",
  reason: "Both hold; the improvement plan adds the slow query to its actions.",
};

export const incidentAt = {
  /** The first draft of the collection, before the ops lead desensitised it. */
  collectedRaw: {
    ...incident,
    state: "collected",
    collection: { ...collection, symptoms: rawSymptoms },
  },
  collected: { ...incident, state: "collected", collection },
  analyzed: { ...incident, state: "analyzed", collection, analysis },
  disputed: { ...incident, state: "disputed", collection, analysis, confirmation },
  confirmed: { ...incident, state: "confirmed", collection, analysis, confirmation, arbitration },
  closed: {
    ...incident,
    state: "closed",
    improvements: [IMP],
    collection,
    analysis,
    confirmation,
    arbitration,
  },
};

const plan = {
  ...header("ImprovementPlan", IMP, "Alarm on connection-pool usage of the payment gateway"),
  source: { incidents: [INC] },
};
const opportunity = {
  description: "Pool exhaustion was seen only after customers were affected.",
  evidence: `${INC}: alarm came 3 minutes after the first timeouts.`,
};
const planSection = {
  actions: [
    "Alarm at 80% pool usage",
    "Index the slow settlement query",
    "Quarterly sizing review",
  ],
  owner: "wang-jun",
  due: "2026-12-31",
};

export const improvementAt = {
  proposed: { ...plan, state: "proposed", opportunity },
  planned: { ...plan, state: "planned", opportunity, plan: planSection },
  approved: { ...plan, state: "approved", opportunity, plan: planSection },
};

/** A record as its file holds it. */
export function yamlOf(record: object): string {
  return stringify(record, { lineWidth: 0 });
}

/** The deployment file of the payment gateway in production (CHG-2026-0001 covers it). */
export const GATEWAY_FILE = "deploy/production/payment-gateway/gateway.yaml";

/** The gateway's deployment file at a version. */
export function gatewayAt(version: string): string {
  return yamlOf({
    image: `registry.bank.example/payment-gateway:${version}`,
    replicas: 3,
    strategy: "rolling",
  });
}

export const EMG = "CHG-2026-0002";
export const EMG_PATH = `changes/${EMG}.yaml`;
/** Friday 00:30–01:30, in the rest of Thursday night's production window. */
export const EMG_WINDOW = { start: "2026-11-27T00:30:00+08:00", end: "2026-11-27T01:30:00+08:00" };

const emergency = {
  ...header("ChangeRequest", EMG, "Hotfix: release the settlement connections the gateway holds"),
  state: "draft",
  type: "emergency",
  system: "payment-gateway",
  environment: "production",
  risk: "high",
  window: EMG_WINDOW,
  covers: ["deploy/production/payment-gateway/**"],
  deployment: {
    version: "4.2.1",
    artifact: "registry.bank.example/payment-gateway:4.2.1",
    strategy: "rolling",
    steps: ["Upgrade node by node", "Verify settlements complete"],
    rollback: ["Redeploy 4.2.0 node by node"],
  },
};

/** The emergency change of the deployment chapter, drafted and authorised the same night. */
export const emergencyAt = {
  draft: emergency,
  scheduled: { ...emergency, state: "scheduled" },
};
