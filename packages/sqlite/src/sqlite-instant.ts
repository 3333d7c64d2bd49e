import type { SqlInstant } from '@privacy-kit/core/store';

/**
 * How the SQLite store compares audit times as instants (the `from`/`to` filters of `readAudit`): the log keeps the
 * time as ISO 8601 text with an offset and has no numeric time column, so both the column and the bound value are
 * normalised to UTC text to the millisecond (`strftime('%Y-%m-%dT%H:%M:%f', …)`), which orders as the instants do
 * (years 0000-9999). A stored time SQLite cannot read gives NULL and matches no window.
 */
export const SQLITE_INSTANT: SqlInstant = (expression) => `strftime('%Y-%m-%dT%H:%M:%f', ${expression})`;
