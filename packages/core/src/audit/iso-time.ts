/** The millisecond last formatted by {@link isoTime}, and its text: a request writes the time more than once. */
let lastMs = Number.NaN;
let lastText = '';

/**
 * An ISO 8601 timestamp with an explicit offset, e.g. '2026-11-22T10:17:08.123+00:00' (UTC). The text of the
 * current millisecond is formatted once and reused.
 *
 * @param date - defaults to now
 */
export function isoTime(date?: Date): string {
  const ms = date === undefined ? Date.now() : date.getTime();
  if (ms === lastMs) return lastText;
  // toISOString always ends in 'Z' (and throws a RangeError for an invalid date, NaN never matching lastMs).
  const text = `${new Date(ms).toISOString().slice(0, -1)}+00:00`;
  lastMs = ms;
  lastText = text;
  return text;
}

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Whether a value is an ISO 8601 instant with seconds and an explicit offset, e.g. '2026-12-05T09:00:00Z' or
 * '2026-12-05T10:00:00.123+01:00': the form every store keeps and every query of a time window takes.
 *
 * @param value - anything
 */
export function isIsoInstant(value: unknown): value is string {
  return typeof value === 'string' && ISO_WITH_OFFSET.test(value) && !Number.isNaN(Date.parse(value));
}
