import { addCalendarMonths, addPeriod, type Retention } from '@privacy-kit/core';

/**
 * When a data subject request received at `receivedAt` must be answered: `receivedAt + period`, and never later
 * than one month after receipt (Art. 12(3)). Months are counted by core's one calendar-month rule.
 *
 * @param receivedAt - when the request arrived
 * @param period - the app's answering period (default one month)
 */
export function rightsDueDate(receivedAt: Date, period: Retention): Date {
  const wanted = addPeriod(receivedAt, period);
  const latest = addCalendarMonths(receivedAt, 1);
  return wanted.getTime() < latest.getTime() ? wanted : latest;
}
