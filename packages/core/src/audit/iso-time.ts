/**
 * An ISO 8601 timestamp with an explicit offset, e.g. '2026-11-22T10:17:08.123+00:00' (UTC).
 *
 * @param date - defaults to now
 */
export function isoTime(date: Date = new Date()): string {
  return date.toISOString().replace(/Z$/, '+00:00');
}
