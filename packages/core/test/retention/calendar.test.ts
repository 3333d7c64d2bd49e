import { addCalendarMonths, addPeriod, parseRetention, retentionCutoff } from '@privacy-kit/core';

const at = (iso: string): Date => new Date(iso);
const period = (text: string) => parseRetention(text, 'test');

describe('one calendar-month rule for retention cutoffs and due dates', () => {
  it('keeps the day of the month when the target month has it', () => {
    expect(addCalendarMonths(at('2026-03-05T08:30:00Z'), 1).toISOString()).toBe('2026-04-05T08:30:00.000Z');
    expect(addCalendarMonths(at('2026-03-05T08:30:00Z'), -1).toISOString()).toBe('2026-02-05T08:30:00.000Z');
  });

  it('clamps a month end forward to the last day of a shorter month', () => {
    expect(addCalendarMonths(at('2026-01-31T10:00:00Z'), 1).toISOString()).toBe('2026-02-28T10:00:00.000Z');
    expect(addCalendarMonths(at('2026-08-31T10:00:00Z'), 1).toISOString()).toBe('2026-09-30T10:00:00.000Z');
  });

  it('clamps a month end backward instead of rolling into the next month', () => {
    // 31 March minus one month is 28 February, not 3 March: the sweep must never delete early.
    expect(retentionCutoff(period('1m'), at('2026-03-31T12:00:00Z')).toISOString()).toBe('2026-02-28T12:00:00.000Z');
    expect(retentionCutoff(period('1m'), at('2026-05-31T00:00:00Z')).toISOString()).toBe('2026-04-30T00:00:00.000Z');
    expect(retentionCutoff(period('3m'), at('2026-05-31T00:00:00Z')).toISOString()).toBe('2026-02-28T00:00:00.000Z');
  });

  it('lands on 29 February in a leap year and on 28 February otherwise', () => {
    expect(retentionCutoff(period('1m'), at('2028-03-31T00:00:00Z')).toISOString()).toBe('2028-02-29T00:00:00.000Z');
    expect(retentionCutoff(period('1m'), at('2028-03-29T00:00:00Z')).toISOString()).toBe('2028-02-29T00:00:00.000Z');
    expect(addCalendarMonths(at('2028-01-31T10:00:00Z'), 1).toISOString()).toBe('2028-02-29T10:00:00.000Z');
  });

  it('counts a year from 29 February to 28 February of a common year, both ways', () => {
    expect(retentionCutoff(period('1y'), at('2028-02-29T09:00:00Z')).toISOString()).toBe('2027-02-28T09:00:00.000Z');
    expect(addPeriod(at('2028-02-29T09:00:00Z'), period('1y')).toISOString()).toBe('2029-02-28T09:00:00.000Z');
    expect(addPeriod(at('2028-02-29T09:00:00Z'), period('4y')).toISOString()).toBe('2032-02-29T09:00:00.000Z');
  });

  it('crosses year boundaries in both directions', () => {
    expect(addCalendarMonths(at('2026-12-15T00:00:00Z'), 1).toISOString()).toBe('2027-01-15T00:00:00.000Z');
    expect(retentionCutoff(period('2m'), at('2027-01-31T00:00:00Z')).toISOString()).toBe('2026-11-30T00:00:00.000Z');
  });

  it('uses the same rule for the cutoff as for adding a period: a cutoff never comes after the period it undoes', () => {
    for (const text of ['1m', '2m', '6m', '1y', '2y']) {
      for (let day = 0; day < 366 * 4; day += 1) {
        const now = new Date(Date.UTC(2026, 0, 1, 6) + day * 86_400_000);
        const cutoff = retentionCutoff(period(text), now);
        // Data stored exactly at the cutoff reaches the end of its period at or after now, never before.
        expect(addPeriod(cutoff, period(text)).getTime()).toBeLessThanOrEqual(now.getTime());
        expect(cutoff.getTime()).toBeLessThan(now.getTime());
      }
    }
  });

  it('subtracts days, weeks and hours as fixed lengths', () => {
    const now = at('2026-03-31T12:00:00Z');
    expect(retentionCutoff(period('30d'), now).toISOString()).toBe('2026-03-01T12:00:00.000Z');
    expect(retentionCutoff(period('2w'), now).toISOString()).toBe('2026-03-17T12:00:00.000Z');
    expect(retentionCutoff(period('12h'), now).toISOString()).toBe('2026-03-31T00:00:00.000Z');
    expect(addPeriod(now, period('30d')).toISOString()).toBe('2026-04-30T12:00:00.000Z');
  });
});
