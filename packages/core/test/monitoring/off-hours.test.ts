import { createMonitor, type Alert, type AuditEntry, type MonitoringOptions } from '@privacy-kit/core';
import { HOUR, MINUTE, entry } from './monitor-fixtures';

const BASE: MonitoringOptions = { massAccess: false, probing: false, spike: false, firstSpecial: false, baseline: false };
const BERLIN: MonitoringOptions = { ...BASE, offHours: { from: '07:00', to: '20:00', timeZone: 'Europe/Berlin', days: [1, 2, 3, 4, 5] } };

function run(records: readonly AuditEntry[], options: MonitoringOptions = BERLIN): Alert[] {
  const monitor = createMonitor(options);
  return records.flatMap((r) => [...monitor.observe(r)]);
}

describe('monitor rule offHours', () => {
  test('an access at 23:14 Berlin time on a weekday raises an alert naming the local time and the declared hours', () => {
    // 2026-11-24 is a Tuesday; Berlin is UTC+1 in November.
    const alerts = run([entry({ actor: 'psn_night', time: '2026-11-24T22:14:00.000+00:00' })]);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      rule: 'offHours',
      actor: 'psn_night',
      route: 'GET /customers/:id',
      count: 1,
      window: { from: '2026-11-24T22:14:00.000+00:00', to: '2026-11-24T22:14:00.000+00:00' },
      query: { actor: 'psn_night', route: 'GET /customers/:id', event: 'access' },
    });
    expect(alerts[0]?.explanation).toBe('psn_night accessed personal data at 23:14 on Tuesday (Europe/Berlin) on GET /customers/:id, outside the declared hours 07:00-20:00, Mon, Tue, Wed, Thu, Fri.');
  });

  test('an access within the hours on a declared day is quiet, also at the edges (from inclusive, to exclusive)', () => {
    const times = ['2026-11-24T06:00:00.000+00:00', '2026-11-24T12:00:00.000+00:00', '2026-11-24T18:59:59.999+00:00'];
    expect(run(times.map((time) => entry({ time })))).toEqual([]);
    expect(run([entry({ time: '2026-11-24T19:00:00.000+00:00' })])).toHaveLength(1);
  });

  test('an access at noon on a Saturday, a day not declared, raises an alert', () => {
    const alerts = run([entry({ time: '2026-11-28T11:00:00.000+00:00' })]);
    expect(alerts[0]?.explanation).toContain('at 12:00 on Saturday (Europe/Berlin)');
  });

  test('the time zone follows daylight saving: 06:30 UTC in July is 08:30 in Berlin (within hours)', () => {
    expect(run([entry({ time: '2026-07-07T06:30:00.000+00:00' })])).toEqual([]);
    expect(run([entry({ time: '2026-11-24T05:30:00.000+00:00' })])).toHaveLength(1);
  });

  test('a night shift (from after to) covers the hours across midnight', () => {
    const options: MonitoringOptions = { ...BASE, offHours: { from: '22:00', to: '06:00' } };
    expect(run([entry({ time: '2026-11-24T23:30:00.000+00:00' }), entry({ time: '2026-11-25T05:59:00.000+00:00' })], options)).toEqual([]);
    expect(run([entry({ time: '2026-11-25T12:00:00.000+00:00' })], options)).toHaveLength(1);
  });

  test('one alert per actor per hour at most: 30 night accesses in an hour alert once, the next hour again', () => {
    const start = Date.parse('2026-11-24T22:00:00.000Z');
    const night = Array.from({ length: 30 }, (_, n) => entry({ ms: start + n * 2 * MINUTE }));
    expect(run(night)).toHaveLength(1);
    expect(run([...night, entry({ ms: start + HOUR })])).toHaveLength(2);
  });

  test('stays quiet on ordinary traffic: 200 actors reading during working hours all week', () => {
    const start = Date.parse('2026-11-23T07:00:00.000Z');
    const records = Array.from({ length: 2000 }, (_, n) => entry({ actor: `psn_user-${n % 200}`, ms: start + Math.floor(n / 400) * 24 * HOUR + (n % 400) * MINUTE }));
    expect(run(records)).toEqual([]);
  });

  test('off unless declared: the default monitor is quiet on a night access', () => {
    expect(run([entry({ time: '2026-11-24T02:00:00.000+00:00' })], BASE)).toEqual([]);
  });
});
