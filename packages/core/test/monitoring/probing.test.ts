import { createMonitor, type Alert, type AuditEntry, type MonitoringOptions } from '@privacy-kit/core';
import { HOUR, MINUTE, T0, entry } from './monitor-fixtures';

const ONLY_PROBING: MonitoringOptions = { massAccess: false, spike: false, firstSpecial: false, baseline: false };

function run(records: readonly AuditEntry[], options: MonitoringOptions = ONLY_PROBING): Alert[] {
  const monitor = createMonitor(options);
  return records.flatMap((r) => [...monitor.observe(r)]);
}

function refusal(over: Partial<AuditEntry> & { readonly ms?: number }): AuditEntry {
  return entry({ event: 'denied', decision: 'denied', reason: 'forbidden', status: 403, subject: null, ...over });
}

describe('monitor rule probing', () => {
  test('20 refusals of one actor within 5 minutes raise one alert with the count, window and query', () => {
    const records = Array.from({ length: 20 }, (_, n) => refusal({ actor: 'psn_prober', ms: T0 + n * 10_000, route: n % 2 === 0 ? '/admin/users' : '/admin/keys' }));
    const alerts = run(records);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      rule: 'probing',
      actor: 'psn_prober',
      route: null,
      count: 20,
      threshold: 20,
      window: { from: '2026-11-23T09:00:00.000+00:00', to: '2026-11-23T09:03:10.000+00:00' },
      query: { actor: 'psn_prober', event: 'denied', decision: 'denied' },
    });
    expect(alerts[0]?.explanation).toBe('psn_prober was refused 20 times in 5 min (threshold 20).');
    expect(alerts[0]?.command).toBe('privacy-kit incidents scope --db FILE --actor psn_prober --from 2026-11-23T09:00:00.000+00:00 --to 2026-11-23T09:03:10.000+00:00');
  });

  test('refusals without an actor are counted per route (unauthenticated guessing on one route)', () => {
    const records = Array.from({ length: 25 }, (_, n) => refusal({ actor: null, ms: T0 + n * 1000, method: 'POST', route: '/login', reason: 'unauthenticated:missing' }));
    const alerts = run(records);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ rule: 'probing', actor: null, route: 'POST /login', count: 20, query: { route: 'POST /login', event: 'denied' } });
    expect(alerts[0]?.explanation).toBe('Unidentified callers were refused 20 times in 5 min (threshold 20) on POST /login.');
  });

  test('stays quiet on ordinary traffic: 200 users each refused a few times over a day, one refusal a minute from one actor', () => {
    const many = Array.from({ length: 600 }, (_, n) => refusal({ actor: `psn_user-${n % 200}`, ms: T0 + n * 2 * MINUTE }));
    const steady = Array.from({ length: 120 }, (_, n) => refusal({ actor: 'psn_steady', ms: T0 + n * MINUTE }));
    expect(run([...many, ...steady].sort((a, b) => a.time.localeCompare(b.time)))).toEqual([]);
  });

  test('one burst is one alert: 100 refusals in 5 minutes alert once, and again after the window has passed', () => {
    const burst = Array.from({ length: 100 }, (_, n) => refusal({ ms: T0 + n * 1000 }));
    const again = Array.from({ length: 20 }, (_, n) => refusal({ ms: T0 + HOUR + n * 1000 }));
    expect(run(burst)).toHaveLength(1);
    expect(run([...burst, ...again])).toHaveLength(2);
  });

  test('switched off (probing: false), it stays quiet on a burst that would fire it', () => {
    const burst = Array.from({ length: 50 }, (_, n) => refusal({ ms: T0 + n }));
    expect(run(burst, { ...ONLY_PROBING, probing: false })).toEqual([]);
  });

  test('a threshold and window of its own are used', () => {
    const records = Array.from({ length: 5 }, (_, n) => refusal({ ms: T0 + n * 10_000 }));
    expect(run(records, { ...ONLY_PROBING, probing: { threshold: 5, windowMs: 30_000 } })).toEqual([]);
    expect(run(records, { ...ONLY_PROBING, probing: { threshold: 5, windowMs: 60_000 } })).toHaveLength(1);
  });
});
