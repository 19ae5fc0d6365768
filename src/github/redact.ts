/**
 * Removes what must never reach a log or a check run from an error message: GitHub tokens
 * (ghs_, ghp_, gho_, ghu_, ghr_, github_pat_), bearer credentials and e-mail addresses.
 */
export function redact(message: string): string {
  return message
    .replace(/\b(?:gh[pousr]_[A-Za-z0-9]{8,}|github_pat_[A-Za-z0-9_]{8,})/g, "[token]")
    .replace(/\b(bearer|token)\s+[A-Za-z0-9._-]{8,}/gi, "$1 [token]")
    .replace(/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g, "[e-mail]");
}

/** What a network error's code means, in words. */
const NETWORK: Record<string, string> = {
  ENOTFOUND: "DNS lookup failed",
  EAI_AGAIN: "DNS lookup failed",
  ECONNREFUSED: "the connection was refused",
  ECONNRESET: "the connection was reset",
  EPIPE: "the connection was closed",
  ETIMEDOUT: "the connection timed out",
  EHOSTUNREACH: "the host is unreachable",
  ENETUNREACH: "the network is unreachable",
  UND_ERR_CONNECT_TIMEOUT: "the connection timed out",
  UND_ERR_SOCKET: "the connection was closed",
  CERT_HAS_EXPIRED: "its TLS certificate has expired",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "its TLS certificate is not trusted",
  DEPTH_ZERO_SELF_SIGNED_CERT: "its TLS certificate is self-signed",
  SELF_SIGNED_CERT_IN_CHAIN: "its TLS certificate is not trusted",
};

interface Described {
  name?: unknown;
  status?: unknown;
  message?: unknown;
  cause?: unknown;
  code?: unknown;
  errors?: Array<{ message?: unknown; type?: unknown }>;
  request?: { url?: unknown };
}

/**
 * A one-line, redacted description of an error, without a stack, saying what GitHub said: a
 * GraphQL error keeps GitHub's own messages, a network failure says it is one ("could not
 * reach api.github.com: DNS lookup failed") rather than "GitHub answered 500" (which is how
 * Octokit reports a request that never got an answer).
 */
export function describeError(error: unknown): string {
  const e = (error ?? {}) as Described;
  const network = networkFailure(e);
  if (network) return redact(network);
  if (e.name === "GraphqlResponseError" && Array.isArray(e.errors) && e.errors.length > 0) {
    const messages = e.errors.map((g) => String(g.message ?? g.type ?? "")).filter(Boolean);
    return redact(`GitHub said: ${[...new Set(messages)].slice(0, 3).join("; ")}`);
  }
  const status = e.status;
  const message = error instanceof Error ? error.message : String(error);
  const prefix = typeof status === "number" ? `GitHub answered ${status}: ` : "";
  return redact(prefix + message.split("\n")[0]);
}

/** The words for a request that got no answer at all, or null when GitHub did answer. */
function networkFailure(e: Described): string | null {
  const chain: Described[] = [];
  for (
    let c: unknown = e;
    c && typeof c === "object" && chain.length < 5;
    c = (c as Described).cause
  ) {
    chain.push(c as Described);
  }
  const host = hostOf(e.request?.url);
  const timedOut = chain.some((c) => c.name === "TimeoutError" || c.name === "AbortError");
  if (timedOut) return `${host} did not answer in time; gatehouse gave up on the request`;
  const code = chain.map((c) => c.code).find((c): c is string => typeof c === "string");
  if (code && NETWORK[code]) return `could not reach ${host}: ${NETWORK[code]} (${code})`;
  if (chain.some((c) => c.name === "TypeError" && c.message === "fetch failed")) {
    return `could not reach ${host}: the request failed before GitHub answered`;
  }
  return null;
}

function hostOf(url: unknown): string {
  try {
    return new URL(String(url)).host || "GitHub";
  } catch {
    return "GitHub";
  }
}
