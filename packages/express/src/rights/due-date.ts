import type { Retention } from '@privacy-kit/core';

/**
 * Adds calendar months the way Art. 12(3) GDPR counts "one month" (Regulation 1182/71): the same day of the month
 * `months` later, or the last day of that month when it has no such day (31 January + 1 month = 28/29 February).
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

/** `from` plus a period; months and years are calendar units counted as in {@link addCalendarMonths}. */
export function addPeriod(from: Date, period: Retention): Date {
  switch (period.unit) {
    case 'hour': return new Date(from.getTime() + period.amount * 3_600_000);
    case 'day': return new Date(from.getTime() + period.amount * 86_400_000);
    case 'week': return new Date(from.getTime() + period.amount * 7 * 86_400_000);
    case 'month': return addCalendarMonths(from, period.amount);
    case 'year': return addCalendarMonths(from, 12 * period.amount);
  }
}

/**
 * When a data subject request received at `receivedAt` must be answered: `receivedAt + period`, and never later
 * than one month after receipt (Art. 12(3)).
 *
 * @param receivedAt - when the request arrived
 * @param period - the app's answering period (default one month)
 */
export function rightsDueDate(receivedAt: Date, period: Retention): Date {
  const wanted = addPeriod(receivedAt, period);
  const latest = addCalendarMonths(receivedAt, 1);
  return wanted.getTime() < latest.getTime() ? wanted : latest;
}
