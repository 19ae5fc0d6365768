/* eslint-disable @typescript-eslint/no-explicit-any -- webhook payloads are plain JSON patched freely */
import { createServer, type Server } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import type { WebhookDefinition } from "@octokit/webhooks-examples";
import nock from "nock";
import { pino } from "pino";
import { Probot } from "probot";
import { afterEach, describe, expect, it, vi } from "vitest";
import app from "../../src/index.js";
import { APP_ID, createApp, examplePayload, github, receive } from "./helpers/app.js";
import { noNetwork } from "./helpers/no-network.js";
import { CHANGE_PATH, changeRequest, requestChangePull } from "./helpers/pull-fixture.js";

const FIELD = "13800138000";
const FILE = "110101199003074573";

describe("the App's check run", () => {
  const unmatched = noNetwork();

  it("shows unknown field names and file names masked", async () => {
    const pull = await requestChangePull({
      headFiles: new Map([
        [CHANGE_PATH, `${changeRequest("requested")}"${FIELD}": called\n`],
        [`docs/${FILE}.md`, "notes\n"],
      ]),
    });
    const gh = github(pull).graphql(2).checks();
    const { probot, logs } = createApp();

    await receive(
      { probot, logs },
      "pull_request",
      examplePayload("pull_request", "synchronize", pull),
    );

    expect(unmatched()).toStrictEqual([]);
    const written = JSON.stringify(gh.checkRuns);
    expect(gh.last().body.conclusion).toBe("failure");
    expect(written).toContain("138****8000"); // the field is named, masked
    expect(written).not.toContain(FIELD);
    expect(written).not.toContain(FILE);
    expect(logs.join("")).not.toContain(FIELD);
  });
});

describe("the App's logs", () => {
  let server: Server | undefined;
  afterEach(async () => {
    vi.unstubAllEnvs();
    if (server) await new Promise((done) => server!.close(done));
    server = undefined;
    nock.enableNetConnect();
  });

  it("hold neither the payload nor an e-mail of a delivery rejected for its signature", async () => {
    vi.stubEnv("WEBHOOK_SECRET", "the right secret");
    const lines: string[] = [];
    const log = pino({ level: "debug" }, { write: (line: string) => void lines.push(line) });
    const probot = new Probot({
      appId: APP_ID,
      privateKey: "unused",
      secret: "the right secret",
      log,
    });
    await probot.load(app);
    const middleware = await probot.getNodeMiddleware({ path: "/api/github/webhooks" });
    server = createServer((req, res) => void middleware(req, res));
    await new Promise<void>((ready) => server!.listen(0, "127.0.0.1", ready));
    nock.enableNetConnect("127.0.0.1");

    const examples = createRequire(import.meta.url)(
      "@octokit/webhooks-examples",
    ) as WebhookDefinition[];
    const push = structuredClone((examples.find((d) => d.name === "push")!.examples as any[])[0]);
    push.head_commit.author.email = "wang.jun@acme-bank.cn";
    push.pusher.email = "li.na@acme-bank.cn";
    const body = JSON.stringify(push);
    const { port } = server.address() as AddressInfo;
    const answer = await fetch(`http://127.0.0.1:${port}/api/github/webhooks`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-github-event": "push",
        "x-github-delivery": "72d3162e-cc78-11e3-81ab-4c9367dc0958",
        "x-hub-signature-256": `sha256=${"0".repeat(64)}`,
      },
      body,
    });

    expect(answer.status).toBeGreaterThanOrEqual(400);
    const written = lines.join("");
    expect(written).toContain("signature does not match"); // the rejection is logged
    expect(written).toContain("72d3162e-cc78-11e3-81ab-4c9367dc0958"); // with its delivery id
    expect(written).not.toContain("wang.jun@acme-bank.cn");
    expect(written).not.toContain("li.na@acme-bank.cn");
    expect(written).not.toContain(
      push.repository.full_name === undefined ? body : body.slice(0, 200),
    );
  });
});
