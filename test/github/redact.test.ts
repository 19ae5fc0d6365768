import { describe, expect, it } from "vitest";
import { describeError, redact } from "../../src/github/redact.js";

describe("redact", () => {
  it.each([
    ["token ghs_abcdefghijklmnop1234 expired", "token [token] expired"],
    ["used ghp_ABCDEFGHIJ0123456789", "used [token]"],
    ["github_pat_11ABCDEFG_abcdefghijk in header", "[token] in header"],
    ["Authorization: bearer eyJhbGciOiJSUzI1NiJ9.abc", "Authorization: bearer [token]"],
    ["commit by wang.jun@acme.example", "commit by [e-mail]"],
    ["nothing secret here", "nothing secret here"],
  ])("%s", (message, expected) => {
    expect(redact(message)).toBe(expected);
  });

  it("describes an HTTP error by its status, on one line", () => {
    const error = Object.assign(new Error("Bad Gateway\n    at stack"), { status: 502 });
    expect(describeError(error)).toBe("GitHub answered 502: Bad Gateway");
  });
});
