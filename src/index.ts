/**
 * The Probot entry point: registers the handlers and nothing else. Logic lives in
 * `src/github/`, so that `probot run ./lib/index.js` and the tests load the same app.
 */
import type { Probot } from "probot";
import { redisStore } from "./github/redis-store.js";
import { keepLogsPrivate } from "./github/private-logs.js";
import { registerHandlers } from "./github/register-handlers.js";
import { requireWebhookSecret } from "./github/require-webhook-secret.js";
import { startupFacts, startupMessage } from "./github/startup-line.js";

export default (app: Probot): void => {
  // First: a rejected or failed delivery is logged with its payload (commit e-mails in it).
  keepLogsPrivate(app.log);
  try {
    requireWebhookSecret(process.env);
  } catch (error) {
    // A missing secret is the operator's mistake: one clear line, no stack trace.
    app.log.fatal((error as Error).message);
    process.exit(1);
  }
  // The yaml library reads process.env on every token it parses, and Node's process.env is a
  // slow native lookup: a plain copy, taken once, makes record parsing about three times faster.
  process.env = { ...process.env };
  const facts = startupFacts(process.env, (app as { webhookPath?: string }).webhookPath);
  app.log.info(facts, startupMessage(facts));
  // Replicas that share Redis share the order of writes and the coalescing of events too.
  registerHandlers(app, process.env.REDIS_URL ? { store: redisStore(process.env.REDIS_URL) } : {});
};
