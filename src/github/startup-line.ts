/**
 * The one line the App logs when it starts: which App, which GitHub, where the webhooks arrive,
 * and whether the replicas share Redis — what an operator checks first when nothing happens.
 */
export interface StartupFacts {
  appId: number | null;
  host: string;
  webhookPath: string;
  redis: boolean;
}

export function startupFacts(
  env: Record<string, string | undefined>,
  webhookPath?: string,
): StartupFacts {
  return {
    appId: Number(env.APP_ID) || null,
    host: env.GHE_HOST || "github.com",
    webhookPath: webhookPath ?? (env.WEBHOOK_PATH || "/api/github/webhooks"),
    redis: Boolean(env.REDIS_URL),
  };
}

export function startupMessage(facts: StartupFacts): string {
  return `gatehouse started: app ${facts.appId ?? "(no APP_ID)"} on ${facts.host}, webhooks at ${facts.webhookPath}, ${facts.redis ? "sharing state through Redis" : "state in this process only (no REDIS_URL)"}`;
}
