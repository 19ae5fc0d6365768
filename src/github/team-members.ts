/**
 * The members of the teams a policy names, as the snapshot's queries read them: the first query
 * for the teams the last judgement needed, follow-up queries for the rest and for next pages.
 * Members are never cached: who belongs to a team is not named by any id, and a member removed
 * a minute ago must not approve.
 */
import type { Login, TeamName } from "../core/types.js";
import type { GraphQLClient } from "./load-snapshot.js";
import type { TeamAnswer } from "./graphql-types.js";
import { teamMembersPart, type FollowUpPlan } from "./snapshot-queries.js";

/** Teams asked for in one query (each a page of members). */
export const TEAMS_PER_QUERY = 50;

type TeamRef = FollowUpPlan["teams"][number];

/** An error GitHub gave for one team alias (`t<i>`) of a query that answered the rest. */
export interface TeamError {
  type?: string;
  message?: string;
}

/** Collects the members of the teams a policy names, page by page. */
export class TeamMembers {
  readonly teams: Record<TeamName, Login[]> = {};
  /** Teams whose (next) page is still to be read. */
  readonly pending: TeamRef[] = [];
  private readonly totals: Record<TeamName, number> = {};

  constructor(names: Iterable<TeamName>) {
    for (const name of new Set(names)) {
      const [org, slug] = name.split("/");
      if (!org || !slug) continue;
      this.teams[name] = [];
      this.pending.push({ org, slug, after: null });
    }
  }

  /** True when the policy names this team and its first page is still to be read. */
  wants(team: { org: string; slug: string }): boolean {
    return this.pending.some((p) => p.after === null && p.org === team.org && p.slug === team.slug);
  }

  /**
   * Takes a page of a team's members. GitHub refusing to show a team is a permission problem,
   * never "a team of nobody", and throws; an organisation that does not exist answers with no
   * team, whose role then has no holder, as the core says.
   */
  take(team: TeamRef, answer: TeamAnswer | undefined, error?: TeamError): void {
    const name = `${team.org}/${team.slug}`;
    const at = this.pending.findIndex(
      (p) => p.org === team.org && p.slug === team.slug && p.after === team.after,
    );
    if (at >= 0) this.pending.splice(at, 1);
    if (error?.type === "FORBIDDEN") {
      throw new Error(
        `GitHub did not let gatehouse read the members of the team @${name} (FORBIDDEN: ${error.message ?? "no reason given"}). This is a permission problem, not a missing member: give the App the organisation permission "Members: read" and install it on the organisation, then comment /gatehouse recheck.`,
      );
    }
    const members = answer?.team?.members;
    if (!members) return;
    this.teams[name]?.push(...(members.nodes ?? []).flatMap((m) => (m ? [m.login] : [])));
    if (members.totalCount !== undefined) this.totals[name] = members.totalCount;
    if (members.pageInfo.hasNextPage && members.pageInfo.endCursor) {
      this.pending.push({ ...team, after: members.pageInfo.endCursor });
    }
  }

  /** The next teams to read, at most `count`, taken off the pending list. */
  next(count: number): TeamRef[] {
    return this.pending.splice(0, count);
  }

  /** A team GitHub listed fewer members of than it holds: a role could miss its holder. */
  incomplete(): string | null {
    for (const [name, total] of Object.entries(this.totals)) {
      const listed = this.teams[name]?.length ?? 0;
      if (listed < total) {
        return `GitHub listed ${listed} of the ${total} members of the team @${name}, so gatehouse could not tell who holds its roles. Judge it again with /gatehouse recheck.`;
      }
    }
    return null;
  }
}

/**
 * Runs a query whose team aliases (`t<i>`) may fail one by one: an organisation that does not
 * exist, or a team GitHub will not show. The rest of the answer is kept, with those errors by
 * alias for {@link TeamMembers.take} to judge; any other error is thrown as GitHub gave it.
 */
export async function queryAllowingTeamErrors<T>(
  github: GraphQLClient,
  query: string,
  variables: Record<string, unknown>,
): Promise<{ data: T; teamErrors: Map<string, TeamError> }> {
  try {
    return { data: await github.graphql<T>(query, variables), teamErrors: new Map() };
  } catch (error) {
    const partial = error as {
      name?: string;
      data?: unknown;
      errors?: Array<{ path?: unknown[]; type?: string; message?: string }>;
    };
    const alias = (e: { path?: unknown[] }) => String(e.path?.[0] ?? "");
    if (
      partial.name === "GraphqlResponseError" &&
      partial.data &&
      partial.errors?.every((e) => /^t\d+$/.test(alias(e)))
    ) {
      const teamErrors = new Map<string, TeamError>();
      for (const e of partial.errors) {
        teamErrors.set(alias(e), {
          ...(e.type !== undefined ? { type: e.type } : {}),
          ...(e.message !== undefined ? { message: e.message } : {}),
        });
      }
      return { data: partial.data as T, teamErrors };
    }
    throw error;
  }
}

/**
 * The members of the named teams, every page, in queries of their own (for a judgement that has
 * no snapshot query to ask them in, as the deployment protection rule's). Throws as
 * {@link TeamMembers.take} does, and when GitHub listed fewer members than a team holds.
 */
export async function readTeamMembers(
  github: GraphQLClient,
  names: Iterable<TeamName>,
): Promise<Record<TeamName, Login[]>> {
  const members = new TeamMembers(names);
  while (members.pending.length > 0) {
    const teams = members.next(TEAMS_PER_QUERY);
    const into = { params: [] as string[], variables: {} as Record<string, unknown> };
    const parts = teams.map((team, i) => teamMembersPart(i, team, into));
    const query = `query GatehouseTeams(${into.params.join(", ")}) {\n${parts.join("\n")}\n}`;
    const { data, teamErrors } = await queryAllowingTeamErrors<
      Record<string, TeamAnswer | undefined>
    >(github, query, into.variables);
    teams.forEach((team, i) => members.take(team, data[`t${i}`], teamErrors.get(`t${i}`)));
  }
  const missing = members.incomplete();
  if (missing) throw new Error(missing);
  return members.teams;
}
