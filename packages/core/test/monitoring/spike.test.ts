import { createMonitor, type Alert, type AuditEntry, type MonitoringOptions } from '@privacy-kit/core';
import { HOUR, MINUTE, T0, entry } from './monitor-fixtures';

const ONLY_SPIKE: MonitoringOptions = { massAccess: false, probing: false, firstSpecial: false, baseline: false };

function run(records: readonly AuditEntry[], options: MonitoringOptions = ONLY_SPIKE): Alert[] {
  const monitor = createMonitor(options);
  return records.flatMap((r) => [...monitor.observe(r)]);
}

/** The records the rights service writes for one export or erasure request (received, a step, completed). */
function rightsRequest(kind: 'export' | 'erasure', n: number, ms: number): AuditEntry[] {
  const base = { event: 'rights' as const, actor: `psn_person-${n}`, subject: `psn_person-${n}`, method: 'POST', route: `/privacy/${kind}`, requestId: `req-${kind}-${n}` };
  return [
    entry({ ...base, ms, details: { requestId: `rr-${kind}-${n}`, kind, stage: 'received' } }),
    entry({ ...base, ms: ms + 1, details: { requestId: `rr-${kind}-${n}`, kind, source: 'orders', step: 'done' } }),
    entry({ ...base, ms: ms + 2, details: { requestId: `rr-${kind}-${n}`, kind, status: 'completed' } }),
  ];
}

describe('monitor rule spike', () => {
  test('20 data exports within an hour raise one app-wide alert, each request counted once', () => {
    const records = Array.from({ length: 20 }, (_, n) => rightsRequest('export', n, T0 + n * MINUTE)).flat();
    const alerts = run(records);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ rule: 'spike', actor: null, route: 'POST /privacy/export', count: 20, threshold: 20, query: { event: 'rights' } });
    expect(alerts[0]?.explanation).toBe('20 data exports across the app in 1 h (threshold 20) on POST /privacy/export.');
    expect(alerts[0]?.command).toBe('privacy-kit incidents scope --db FILE --from 2026-11-23T09:00:00.002+00:00 --to 2026-11-23T09:19:00.000+00:00');
  });

  test('10 erasures within an hour raise an erasure alert', () => {
    const records = Array.from({ length: 10 }, (_, n) => rightsRequest('erasure', n, T0 + n * MINUTE)).flat();
    const alerts = run(records);
    expect(alerts.map((a) => [a.rule, a.count, a.threshold, a.explanation])).toEqual([['spike', 10, 10, '10 erasures across the app in 1 h (threshold 10) on POST /privacy/erasure.']]);
  });

  test("30 admin actions within an hour (admin routes, 'keys' and 'copy' records) raise an admin alert", () => {
    const records = Array.from({ length: 30 }, (_, n) =>
      n === 0 ? entry({ event: 'keys', route: null, method: null, ms: T0 }) :
        n === 1 ? entry({ event: 'copy', route: null, method: null, ms: T0 + 1 }) :
          entry({ route: '/privacy/admin/requests/:id', method: 'GET', ms: T0 + n * MINUTE, requestId: `req-admin-${n}` }));
    const alerts = run(records);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ rule: 'spike', count: 30, threshold: 30, route: null });
    expect(alerts[0]?.explanation).toBe('30 admin actions across the app in 1 h (threshold 30).');
  });

  test('the admin prefix is an option: requests under adminPath count, a route that only starts with its text does not', () => {
    const under = Array.from({ length: 3 }, (_, n) => entry({ route: '/ops/requests', ms: T0 + n, requestId: `req-${n}` }));
    const lookalike = Array.from({ length: 3 }, (_, n) => entry({ route: '/opsx', ms: T0 + n, requestId: `req-x-${n}` }));
    const options: MonitoringOptions = { ...ONLY_SPIKE, adminPath: '/ops', spike: { admin: 3 } };
    expect(run(under, options)).toHaveLength(1);
    expect(run(lookalike, options)).toEqual([]);
  });

  test('stays quiet on ordinary traffic: 15 exports and 5 erasures spread over a day, 1,000 reads', () => {
    const rights = [
      ...Array.from({ length: 15 }, (_, n) => rightsRequest('export', n, T0 + n * HOUR)).flat(),
      ...Array.from({ length: 5 }, (_, n) => rightsRequest('erasure', n, T0 + n * 3 * HOUR + 30 * MINUTE)).flat(),
    ].sort((a, b) => a.time.localeCompare(b.time));
    const reads = Array.from({ length: 1000 }, (_, n) => entry({ subject: `psn_c-${n}`, ms: T0 + 20 * HOUR + n }));
    expect(run([...rights, ...reads])).toEqual([]);
  });

  test('one burst is one alert: 60 exports in an hour alert once', () => {
    const records = Array.from({ length: 60 }, (_, n) => rightsRequest('export', n, T0 + n * 30_000)).flat();
    expect(run(records)).toHaveLength(1);
  });

  test('switched off (spike: false), it stays quiet on a burst that would fire it', () => {
    const records = Array.from({ length: 60 }, (_, n) => rightsRequest('export', n, T0 + n * 1000)).flat();
    expect(run(records, { ...ONLY_SPIKE, spike: false })).toEqual([]);
  });
});
