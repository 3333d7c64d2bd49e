import { isIsoInstant, isoTime } from '@privacy-kit/core';

describe('isoTime', () => {
  afterEach(() => jest.restoreAllMocks());

  it('writes UTC with an explicit +00:00 offset and milliseconds', () => {
    expect(isoTime(new Date(Date.UTC(2026, 10, 22, 10, 17, 8, 123)))).toBe('2026-11-22T10:17:08.123+00:00');
  });

  it('writes the current time when given no date', () => {
    jest.spyOn(Date, 'now').mockReturnValue(Date.UTC(2031, 0, 2, 3, 4, 5, 6));
    expect(isoTime()).toBe('2031-01-02T03:04:05.006+00:00');
  });

  it('formats the current millisecond once: the same Date.now() gives the same string without formatting again', () => {
    jest.spyOn(Date, 'now').mockReturnValue(Date.UTC(2030, 5, 1, 12, 0, 0, 1));
    const format = jest.spyOn(Date.prototype, 'toISOString');
    const first = isoTime();
    expect(isoTime()).toBe(first);
    expect(format).toHaveBeenCalledTimes(1);
  });

  it('gives a new string as soon as the millisecond changes', () => {
    const now = jest.spyOn(Date, 'now').mockReturnValue(Date.UTC(2030, 5, 1, 12, 0, 0, 1));
    expect(isoTime()).toBe('2030-06-01T12:00:00.001+00:00');
    now.mockReturnValue(Date.UTC(2030, 5, 1, 12, 0, 0, 2));
    expect(isoTime()).toBe('2030-06-01T12:00:00.002+00:00');
  });

  it('formats a given date even when it falls in the millisecond last formatted for now', () => {
    jest.spyOn(Date, 'now').mockReturnValue(Date.UTC(2030, 5, 1, 12, 0, 0, 1));
    isoTime();
    expect(isoTime(new Date(Date.UTC(1999, 11, 31, 23, 59, 59, 999)))).toBe('1999-12-31T23:59:59.999+00:00');
  });

  it('throws on an invalid date, as before', () => {
    expect(() => isoTime(new Date(Number.NaN))).toThrow(RangeError);
  });
});

describe('isIsoInstant', () => {
  it('takes an instant with seconds and an offset, as isoTime writes it', () => {
    for (const value of ['2026-12-05T09:00:00Z', '2026-12-05T10:00:00.123+01:00', '2026-12-05T04:00:00-05:00', isoTime()]) expect(isIsoInstant(value)).toBe(true);
  });

  it('refuses a time without an offset or seconds, a date alone, an impossible date and anything not text', () => {
    for (const value of ['2026-12-05T09:00:00', '2026-12-05T09:00Z', '2026-12-05', '2026-13-05T09:00:00Z', 'yesterday', '', 1_764_925_200_000, null, undefined, new Date()]) {
      expect(isIsoInstant(value)).toBe(false);
    }
  });
});
