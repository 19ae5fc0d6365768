/**
 * The App's logs hold no personal data. Probot and @octokit/webhooks log an error with everything
 * attached to it: a delivery rejected for its signature, or one whose handler failed, carries the
 * whole webhook payload (commit authors' names and e-mail addresses, pull request texts). The
 * logger Probot hands the App is changed once, at start, before any delivery:
 *
 * - errors are written without the payloads attached to them (the delivery's id and event name
 *   stay, so an operator can find it in GitHub's delivery log);
 * - every line written, whatever logged it, is masked as `gatehouse mask` masks a file.
 *
 * Probot's loggers are pino loggers, and every logger Probot, the webhooks and the App derive
 * later (per delivery, per request) inherits both from the one changed here.
 */
import type { Probot } from "probot";
import { maskText } from "../core/privacy/stream-masker.js";

// pino's own keys for a logger's serializers and hooks (pino.symbols), global symbols that
// every logger derived from this one reads through its prototype.
const serializersSym = Symbol.for("pino.serializers");
const hooksSym = Symbol.for("pino.hooks");

type Serializer = (value: unknown) => unknown;

/** An error as pino writes it by default, for a logger that has no error serializer. */
const plainError: Serializer = (value) =>
  value instanceof Error
    ? { ...value, type: value.name, message: value.message, stack: value.stack }
    : value;

/** Makes `log`, and every logger derived from it from now on, write no personal data. */
export function keepLogsPrivate(log: Probot["log"]): void {
  const target = log as unknown as Record<symbol, Record<string, unknown> | undefined>;
  const serializers = target[serializersSym] ?? {};
  const errorOf = (serializers.err as Serializer | undefined) ?? plainError;
  target[serializersSym] = {
    ...serializers,
    err: (error: unknown) => withoutPayloads(errorOf(error), 0),
  };
  const hooks = target[hooksSym] ?? {};
  const write = hooks.streamWrite as ((line: string) => string) | undefined;
  target[hooksSym] = {
    ...hooks,
    streamWrite: (line: string) => maskText(write ? write(line) : line),
  };
}

/** How deep an error's attachments are searched (an AggregateError's errors, their causes). */
const MAX_DEPTH = 6;

/**
 * A serialized error without webhook payloads or HTTP bodies: `payload` (a delivery's, or a
 * request's), and the body of a request or response, wherever they are attached.
 */
export function withoutPayloads(value: unknown, depth: number): unknown {
  if (value === null || typeof value !== "object") return value;
  if (depth > MAX_DEPTH) return "[left out]";
  if (Array.isArray(value)) return value.map((v) => withoutPayloads(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    if (key === "payload" || key === "body" || key === "data") {
      out[key] = "[left out: may hold personal data]";
    } else {
      out[key] = withoutPayloads(inner, depth + 1);
    }
  }
  return out;
}
