import { addCalendarMonths, parseRetention } from '@privacy-kit/core';
import { rightsDueDate } from '../../src/rights/due-date';

describe('due dates of data subject requests (Art. 12(3))', () => {
  const at = (iso: string) => new Date(iso);

  it('falls on the same day of the next month', () => {
    expect(addCalendarMonths(at('2026-03-05T08:30:00Z'), 1).toISOString()).toBe('2026-04-05T08:30:00.000Z');
  });

  it('falls on the last day of the next month when it has no such day', () => {
    expect(addCalendarMonths(at('2026-01-31T10:00:00Z'), 1).toISOString()).toBe('2026-02-28T10:00:00.000Z');
    expect(addCalendarMonths(at('2028-01-31T10:00:00Z'), 1).toISOString()).toBe('2028-02-29T10:00:00.000Z');
    expect(addCalendarMonths(at('2026-08-31T10:00:00Z'), 1).toISOString()).toBe('2026-09-30T10:00:00.000Z');
  });

  it('crosses the year end', () => {
    expect(addCalendarMonths(at('2026-12-15T00:00:00Z'), 1).toISOString()).toBe('2027-01-15T00:00:00.000Z');
  });

  it('uses a shorter period as given and caps a longer one at one month', () => {
    const received = at('2026-02-01T00:00:00Z');
    expect(rightsDueDate(received, parseRetention('14d', 'test')).toISOString()).toBe('2026-02-15T00:00:00.000Z');
    expect(rightsDueDate(received, parseRetention('1m', 'test')).toISOString()).toBe('2026-03-01T00:00:00.000Z');
    expect(rightsDueDate(received, parseRetention('30d', 'test')).toISOString()).toBe('2026-03-01T00:00:00.000Z');
    expect(rightsDueDate(received, parseRetention('1y', 'test')).toISOString()).toBe('2026-03-01T00:00:00.000Z');
  });
});
