/** A GraphQL client over the fake GitHub that keeps the queries it sent, for counting them. */
import type { GraphQLClient } from "../../../src/github/load-snapshot.js";
import { answerGraphQL, type FakePull } from "./fake-github.js";

export function recordingClient(pull: FakePull): GraphQLClient & { queries: string[] } {
  const github = {
    queries: [] as string[],
    async graphql<T>(query: string, variables?: Record<string, unknown>): Promise<T> {
      github.queries.push(query);
      const answer = answerGraphQL(pull, { query, ...(variables ? { variables } : {}) });
      if (answer.errors) throw new Error(JSON.stringify(answer.errors));
      return answer.data as T;
    },
  };
  return github;
}
