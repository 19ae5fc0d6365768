/**
 * Every test of the file talks to nock only: the network is closed, and each request that no
 * interceptor answered is recorded, so that a test can assert there was none.
 */
import nock from "nock";
import { afterEach, beforeEach } from "vitest";

/** Closes the network around each test; returns the requests nock could not match so far. */
export function noNetwork(): () => string[] {
  let unmatched: string[] = [];
  const onNoMatch = (req: { method?: string; path?: string }) => {
    unmatched.push(`${req.method ?? ""} ${req.path ?? ""}`);
  };
  beforeEach(() => {
    unmatched = [];
    nock.disableNetConnect();
    nock.emitter.on("no match", onNoMatch);
  });
  afterEach(() => {
    nock.emitter.removeListener("no match", onNoMatch);
    nock.cleanAll();
    nock.enableNetConnect();
  });
  return () => unmatched;
}
