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
