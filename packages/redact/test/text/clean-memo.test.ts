import { definePersonalData } from '@privacy-kit/core';
import { createRedactor, type Detector, type ReportMatch } from '@privacy-kit/redact';

/** A detector that counts how often the engine scans with it, finding `EMP-` followed by six digits. */
function countingDetector(): { detector: Detector; scans: () => number } {
  let scans = 0;
  const pattern = /EMP-\d{6}/g;
  const detector: Detector = {
    name: 'employeeId',
    category: 'user.unique_id',
    label: 'employeeId',
    secret: false,
    minLength: 1,
    minDigits: 0,
    requires: 0,
    scan(text: string, report: ReportMatch): void {
      scans++;
      pattern.lastIndex = 0;
      for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) if (report(m.index, m.index + m[0].length)) return;
    },
  };
  return { detector, scans: () => scans };
}

describe('the memo of clean strings', () => {
  it('scans a short string that held nothing only once, however often it is logged', () => {
    const { detector, scans } = countingDetector();
    const redact = createRedactor({ detectors: { employeeId: detector } });
    const value = 'GET /api/v1/products';
    expect([redact(value), redact(value), redact({ route: value })]).toEqual([value, value, { route: value }]);
    expect(scans()).toBeGreaterThan(0);
    const afterFirst = scans();
    redact(value);
    expect(scans()).toBe(afterFirst);
  });

  it('scans a string again every time when something was found in it: no personal value is remembered', () => {
    const { detector, scans } = countingDetector();
    const redact = createRedactor({ detectors: { employeeId: detector } });
    expect(redact('badge EMP-123456')).toBe('badge [REDACTED:employeeId]');
    const afterFirst = scans();
    expect(redact('badge EMP-123456')).toBe('badge [REDACTED:employeeId]');
    expect(scans()).toBeGreaterThan(afterFirst);
  });

  it('forgets what it found clean when a class declares a new personal field, which makes field=value text personal', () => {
    const redact = createRedactor();
    const line = 'loyaltyHandle=handle-7 updated';
    expect(redact(line)).toBe(line);
    class LoyaltyMember {
      constructor(readonly loyaltyHandle: string) {}
    }
    definePersonalData(LoyaltyMember, 'loyaltyHandle', { category: 'user.account.username' });
    expect(redact(line)).toBe('loyaltyHandle=[REDACTED:username] updated');
  });

  it('scans strings longer than CLEAN_MEMO_MAX_LENGTH every time (free-text lines do not repeat)', () => {
    const { detector, scans } = countingDetector();
    const redact = createRedactor({ detectors: { employeeId: detector } });
    const line = `2026-01-01T00:00:00Z INFO [http] ${'x'.repeat(120)}`;
    redact(line);
    const afterFirst = scans();
    redact(line);
    expect(scans()).toBeGreaterThan(afterFirst);
  });
});
