import { UsageError } from "./errors.js";

const ISO_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?$/;
const EXAMPLE = "2026-11-25T10:00:00+08:00";

/**
 * `--now` as an instant. The offset is required: without one the verdict on a change window
 * would depend on the zone of the machine that runs the check. Dates that JavaScript would
 * roll over (February 30 becomes March 2) are refused rather than silently moved.
 */
export function parseNow(text: string | undefined): Date | undefined {
  if (text === undefined) return undefined;
  const match = ISO_TIME.exec(text);
  if (!match) {
    throw new UsageError(`--now must be an ISO 8601 time such as ${EXAMPLE}, not '${text}'.`);
  }
  const [, year, month, day, hour, minute, second, offset] = match;
  if (offset === undefined) {
    throw new UsageError(
      `--now '${text}' has no offset, so its meaning would depend on this machine's time zone; add one or Z, as in ${EXAMPLE}.`,
    );
  }
  const [y, mo, d, h, mi, s] = [year, month, day, hour, minute, second ?? "0"].map(Number);
  const daysInMonth = new Date(Date.UTC(y ?? 0, mo ?? 0, 0)).getUTCDate();
  const [offsetHours, offsetMinutes] =
    offset === "Z" ? [0, 0] : offset.slice(1).split(":").map(Number);
  if (
    (mo ?? 0) < 1 ||
    (mo ?? 0) > 12 ||
    (d ?? 0) < 1 ||
    (d ?? 0) > daysInMonth ||
    (h ?? 0) > 23 ||
    (mi ?? 0) > 59 ||
    (s ?? 0) > 59 ||
    (offsetHours ?? 0) > 23 ||
    (offsetMinutes ?? 0) > 59
  ) {
    throw new UsageError(
      `--now '${text}' is not a real date and time; give one such as ${EXAMPLE}.`,
    );
  }
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) {
    throw new UsageError(
      `--now '${text}' is not a real date and time; give one such as ${EXAMPLE}.`,
    );
  }
  return date;
}
