import { describe, expect, it } from "vitest";
import { identityMap, resolveLogin } from "../../../src/core/evaluate/resolve-login.js";

const identities = {
  known: identityMap([["Wang.Jun@Acme.example", "wang-jun"]]),
  extra: identityMap([
    ["li.na@acme.example", "li-na"],
    ["wang.jun@acme.example", "someone-else"],
  ]),
};
const person = (email: string, login?: string) => ({
  name: "n",
  email,
  date: new Date(0),
  ...(login ? { login } : {}),
});

describe("resolveLogin", () => {
  it.each([
    ["takes the login the adapter set", person("x@y.example", "zhao-min"), "zhao-min"],
    ["maps a known e-mail without regard to case", person("wang.jun@ACME.example"), "wang-jun"],
    [
      "prefers the snapshot's identities over a stage's",
      person("wang.jun@acme.example"),
      "wang-jun",
    ],
    ["reads an old-style noreply address", person("chen-jie@users.noreply.github.com"), "chen-jie"],
    [
      "reads a new-style noreply address",
      person("4242+chen-jie@users.noreply.github.com"),
      "chen-jie",
    ],
    ["falls back to a stage's identities", person("li.na@acme.example"), "li-na"],
    ["gives up on an unknown e-mail", person("stranger@else.example"), null],
    ["gives up on GitHub's web-flow committer", person("noreply@github.com"), null],
    ["gives up on an empty e-mail", person(""), null],
  ])("%s", (_name, who, expected) => {
    expect(resolveLogin(who, identities)).toBe(expected);
  });
});
