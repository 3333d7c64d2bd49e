import type { Retention } from './retention';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * Moves a date by calendar months the way Art. 12(3) GDPR counts "one month" (Regulation 1182/71): the same day
 * of the month `months` later (or earlier, for a negative number), or the last day of that month when it has no
 * such day (31 January + 1 month = 28/29 February; 31 March - 1 month = 28/29 February). Time of day is kept.
 *
 * This is the one month rule of privacy-kit: due dates of rights requests and retention cutoffs both use it.
 *
 * @param from - the starting instant (UTC calendar)
 * @param months - whole months to add; negative to go back
 * @example
 * addCalendarMonths(new Date('2026-03-31T00:00:00Z'), -1).toISOString(); // '2026-02-28T00:00:00.000Z'
 */
export function addCalendarMonths(from: Date, months: number): Date {
  const result = new Date(from.getTime());
  const day = result.getUTCDate();
  result.setUTCDate(1);
  result.setUTCMonth(result.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(result.getUTCFullYear(), result.getUTCMonth() + 1, 0)).getUTCDate();
  result.setUTCDate(Math.min(day, lastDay));
  return result;
}

/**
 * `from` moved by a period: hours, days and weeks as fixed lengths, months and years as calendar units counted
 * as in {@link addCalendarMonths}.
 *
 * @param from - the starting instant
 * @param period - a parsed period (see `parseRetention`)
 * @param direction - 1 to add (default), -1 to subtract
 * @example
 * addPeriod(new Date('2028-02-29T00:00:00Z'), parseRetention('1y', 'x')).toISOString(); // '2029-02-28T00:00:00.000Z'
 */
export function addPeriod(from: Date, period: Retention, direction: 1 | -1 = 1): Date {
  const amount = direction * period.amount;
  switch (period.unit) {
    case 'hour': return new Date(from.getTime() + amount * HOUR_MS);
    case 'day': return new Date(from.getTime() + amount * DAY_MS);
    case 'week': return new Date(from.getTime() + amount * 7 * DAY_MS);
    case 'month': return addCalendarMonths(from, amount);
    case 'year': return addCalendarMonths(from, 12 * amount);
  }
}

/**
 * The instant before which data kept for `retention` is past its period, as seen at `now`: `now` minus the period,
 * with months and years counted as calendar units that clamp to a month's last day (see {@link addCalendarMonths}), so
 * the cutoff never falls after the day the period really started and nothing is deleted early.
 *
 * @example
 * retentionCutoff(parseRetention('1m', 'x'), new Date('2026-03-31T00:00:00Z')); // 2026-02-28T00:00:00Z
 */
export function retentionCutoff(retention: Retention, now: Date): Date {
  return addPeriod(now, retention, -1);
}
