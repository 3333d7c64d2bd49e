import { parseRetention, retentionCutoff } from '@privacy-kit/core';

describe('retention periods', () => {
  it.each([
    ['12h', 12, 'hour'], ['30d', 30, 'day'], ['6w', 6, 'week'], ['6m', 6, 'month'], ['6mo', 6, 'month'], ['2y', 2, 'year'], ['P30D', 30, 'day'], ['P2Y', 2, 'year'],
  ])('parses %s', (text, amount, unit) => {
    expect(parseRetention(text, 't')).toEqual({ text, amount, unit });
  });

  it.each(['', '0d', '30', 'two years', 'P1Y2M', -1])('refuses %p with the accepted forms', (text) => {
    expect(() => parseRetention(text, 'UserDto.email')).toThrow(expect.objectContaining({ code: 'PK_INVALID_RETENTION', message: expect.stringContaining('UserDto.email') }));
  });

  it('computes cutoffs in calendar units', () => {
    const now = new Date('2026-03-31T12:00:00Z');
    expect(retentionCutoff(parseRetention('30d', 't'), now).toISOString()).toBe('2026-03-01T12:00:00.000Z');
    expect(retentionCutoff(parseRetention('2y', 't'), now).toISOString()).toBe('2024-03-31T12:00:00.000Z');
    expect(retentionCutoff(parseRetention('12h', 't'), now).toISOString()).toBe('2026-03-31T00:00:00.000Z');
  });
});
