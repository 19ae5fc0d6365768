/**
 * Refuses to start without a webhook secret outside development. Without one, Probot accepts
 * deliveries signed with its well-known default secret, so anyone who can reach the server
 * could make gatehouse judge (and post) at will.
 */
export function requireWebhookSecret(env: NodeJS.ProcessEnv): void {
  const development = env.NODE_ENV === "development" || env.NODE_ENV === "test";
  const secret = env.WEBHOOK_SECRET?.trim() ?? "";
  if (development) return;
  if (secret === "" || secret === "development") {
    throw new Error(
      "WEBHOOK_SECRET is not set. Set it to the webhook secret of the GitHub App (see .env.example); only NODE_ENV=development may run without one.",
    );
  }
}
