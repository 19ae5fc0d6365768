import { describe, expect, it } from "vitest";
import { requireWebhookSecret } from "../../src/github/require-webhook-secret.js";

describe("requireWebhookSecret", () => {
  it.each([
    { env: { NODE_ENV: "production" }, refused: true },
    { env: {}, refused: true },
    { env: { WEBHOOK_SECRET: "  " }, refused: true },
    { env: { WEBHOOK_SECRET: "development" }, refused: true },
    { env: { NODE_ENV: "production", WEBHOOK_SECRET: "s3cret-from-the-app" }, refused: false },
    { env: { NODE_ENV: "development" }, refused: false },
  ])("with $env the app refuses to start: $refused", ({ env, refused }) => {
    const start = () => requireWebhookSecret(env as NodeJS.ProcessEnv);
    if (refused) expect(start).toThrow(/WEBHOOK_SECRET is not set/);
    else expect(start).not.toThrow();
  });
});
