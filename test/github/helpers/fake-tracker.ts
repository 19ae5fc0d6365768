/* eslint-disable @typescript-eslint/no-explicit-any -- nock bodies are plain JSON */
/**
 * A repository's issues and deployments as GitHub serves them, in memory, for what a merge
 * leaves behind (the bypass issue, the post-implementation review, the Deployments). Each one
 * remembers who made it: GitHub names the App in `performed_via_github_app` for what an App
 * made, so a test can stage an issue or a deployment made by a person or another App. A test
 * can make GitHub fail the next requests of a kind with 502, as a GitHub outage does.
 */
import nock from "nock";
import { APP_ID } from "./app-id.js";

export interface FakeIssue {
  number: number;
  title: string;
  body: string;
  labels: string[];
  state: "open" | "closed";
  created_at: string;
  /** Who opened it: the App's bot, a person, or another App's bot. */
  user: { login: string; type: "User" | "Bot" };
  performed_via_github_app: { id: number; slug: string } | null;
}

export interface FakeDeployment {
  id: number;
  sha: string;
  environment: string;
  payload: unknown;
  performed_via_github_app: { id: number; slug: string } | null;
}

/** What this App's installation token makes, as GitHub attributes it. */
export const OWN_APP = { id: APP_ID, slug: "gatehouse" };
const OWN_BOT = { login: "gatehouse[bot]", type: "Bot" as const };

type Kind = "createIssue" | "listIssues" | "createDeployment" | "listDeployments";

export class FakeTracker {
  readonly issues: FakeIssue[] = [];
  readonly deployments: FakeDeployment[] = [];
  /** Requests of each kind GitHub still answers with 502 before it answers again. */
  readonly failures: Record<Kind, number> = {
    createIssue: 0,
    listIssues: 0,
    createDeployment: 0,
    listDeployments: 0,
  };
  /** How long GitHub takes to list issues: two deliveries at once then both ask before either opens. */
  listDelayMs = 0;
  /** Requests of each kind, failed ones included. */
  readonly requests: Record<Kind, number> = {
    createIssue: 0,
    listIssues: 0,
    createDeployment: 0,
    listDeployments: 0,
  };

  /** An issue someone opened by hand, or another App (`performed_via_github_app`). */
  opened(issue: Pick<FakeIssue, "title" | "body" | "labels"> & Partial<FakeIssue>): FakeIssue {
    const made: FakeIssue = {
      number: 100 + this.issues.length + 1,
      state: "open",
      created_at: "2026-11-24T03:00:05Z",
      user: { login: "mallory", type: "User" },
      performed_via_github_app: null,
      ...issue,
    };
    this.issues.push(made);
    return made;
  }

  /** A Deployment someone else created (null: with a token of their own, no App). */
  deployed(deployment: Omit<FakeDeployment, "id">): void {
    this.deployments.push({ id: 900 + this.deployments.length, ...deployment });
  }

  /** Serves issue and deployment creation and listing for one repository through nock. */
  serve(
    api: string,
    owner: string,
    name: string,
    check: (method: string, path: string, body: unknown) => void = () => undefined,
  ): nock.Scope {
    const repo = `/repos/${owner}/${name}`;
    const failing = (kind: Kind): boolean => {
      this.requests[kind] += 1;
      if (this.failures[kind] === 0) return false;
      this.failures[kind] -= 1;
      return true;
    };
    const outage = [502, { message: "Server Error" }] as const;
    const query = (uri: string) => new URL(uri, api).searchParams;
    return nock(api)
      .persist()
      .post(`${repo}/issues`)
      .reply((_uri, body: any) => {
        if (failing("createIssue")) return outage;
        check("POST", "/issues", body);
        const issue = this.opened({
          title: body.title,
          body: body.body ?? "",
          labels: body.labels ?? [],
          created_at: "2026-11-24T03:00:10Z",
          user: OWN_BOT,
          performed_via_github_app: OWN_APP,
        });
        return [201, { ...issue, labels: issue.labels.map((l) => ({ name: l })) }];
      })
      .get(new RegExp(`^${repo}/issues(\\?.*)?$`))
      .reply(async (uri) => {
        if (failing("listIssues")) return outage;
        await new Promise((resolve) => setTimeout(resolve, this.listDelayMs));
        const q = query(uri);
        const labels = (q.get("labels") ?? "").split(",").filter(Boolean);
        const state = q.get("state") ?? "open";
        const since = q.get("since");
        const listed = this.issues
          .filter((i) => labels.every((l) => i.labels.includes(l)))
          .filter((i) => state === "all" || i.state === state)
          .filter((i) => since === null || i.created_at >= since)
          .map((i) => ({ ...i, labels: i.labels.map((l) => ({ name: l })) }));
        return [200, listed.reverse()];
      })
      .post(`${repo}/deployments`)
      .reply((_uri, body: any) => {
        if (failing("createDeployment")) return outage;
        check("POST", "/deployments", body);
        const made = {
          id: 900 + this.deployments.length,
          sha: body.ref,
          environment: body.environment,
          payload: body.payload,
          performed_via_github_app: OWN_APP,
        };
        this.deployments.push(made);
        return [201, made];
      })
      .get(new RegExp(`^${repo}/deployments(\\?.*)?$`))
      .reply((uri) => {
        if (failing("listDeployments")) return outage;
        const q = query(uri);
        const listed = this.deployments.filter(
          (d) =>
            (q.get("sha") === null || d.sha === q.get("sha")) &&
            (q.get("environment") === null || d.environment === q.get("environment")),
        );
        return [200, listed];
      });
  }
}
