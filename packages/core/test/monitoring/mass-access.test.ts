import fc from 'fast-check';
import { createMonitor, type Alert, type AuditEntry } from '@privacy-kit/core';
import { HOUR, MINUTE, T0, entry } from './monitor-fixtures';

const ONLY_MASS = { probing: false, spike: false, firstSpecial: false, baseline: false } as const;

function run(records: readonly AuditEntry[], options: Parameters<typeof createMonitor>[0] = ONLY_MASS): Alert[] {
  const monitor = createMonitor(options);
  return records.flatMap((r) => [...monitor.observe(r)]);
}

describe('monitor rule massAccess', () => {
  test('an actor reaching 50 distinct subjects within 10 minutes raises one alert that explains itself', () => {
    const records = Array.from({ length: 50 }, (_, n) => entry({ actor: 'psn_agent', subject: `psn_customer-${n}`, ms: T0 + n * 6000 }));
    const alerts = run(records);
    expect(alerts).toHaveLength(1);
    const [alert] = alerts as [Alert];
    expect(alert).toMatchObject({
      rule: 'massAccess',
      actor: 'psn_agent',
      route: 'GET /customers/:id',
      count: 50,
      threshold: 50,
      window: { from: '2026-11-23T09:00:00.000+00:00', to: '2026-11-23T09:04:54.000+00:00' },
      time: '2026-11-23T09:04:54.000+00:00',
      categories: ['user.contact.email'],
      query: { actor: 'psn_agent', route: 'GET /customers/:id', event: 'access', decision: 'allowed', from: '2026-11-23T09:00:00.000+00:00', to: '2026-11-23T09:04:54.000+00:00' },
    });
    expect(alert.id).toMatch(/^alert-[0-9a-f]{16}$/);
    expect(alert.explanation).toBe('psn_agent reached 50 distinct subjects in 10 min (threshold 50) on GET /customers/:id.');
    expect(alert.command).toBe("privacy-kit incidents scope --db FILE --actor psn_agent --route 'GET /customers/:id' --from 2026-11-23T09:00:00.000+00:00 --to 2026-11-23T09:04:54.000+00:00");
  });

  test('the same run of records gives the same alert id (stable for one rule, actor and window start)', () => {
    const records = Array.from({ length: 50 }, (_, n) => entry({ subject: `psn_customer-${n}`, ms: T0 + n * 1000 }));
    expect(run(records)[0]?.id).toBe(run(records)[0]?.id);
  });

  test('one burst is one alert: 200 subjects in 10 minutes alert once, and again only after the window has passed', () => {
    const burst = Array.from({ length: 200 }, (_, n) => entry({ subject: `psn_c-${n}`, ms: T0 + n * 3000 }));
    expect(run(burst)).toHaveLength(1);
    const later = Array.from({ length: 50 }, (_, n) => entry({ subject: `psn_d-${n}`, ms: T0 + HOUR + n * 1000 }));
    expect(run([...burst, ...later])).toHaveLength(2);
  });

  test('the route is null and the categories a union when the counted records span several routes', () => {
    const records = Array.from({ length: 4 }, (_, n) => entry({ subject: `psn_c-${n}`, ms: T0 + n, route: n % 2 === 0 ? '/a/:id' : '/b/:id', categories: [n % 2 === 0 ? 'user.contact.email' : 'user.financial'] }));
    const [alert] = run(records, { ...ONLY_MASS, massAccess: { threshold: 4 } });
    expect(alert?.route).toBeNull();
    expect(alert?.query.route).toBeUndefined();
    expect(alert?.categories).toEqual(['user.contact.email', 'user.financial']);
    expect(alert?.explanation).toBe('psn_agent reached 4 distinct subjects in 10 min (threshold 4).');
  });

  test('stays quiet on ordinary traffic: a support agent reading 30 customers in an hour, 200 people reading their own data over a day', () => {
    const agent = Array.from({ length: 30 }, (_, n) => entry({ actor: 'psn_support', subject: `psn_c-${n}`, ms: T0 + n * 2 * MINUTE }));
    const selves = Array.from({ length: 200 * 20 }, (_, n) => entry({ actor: `psn_user-${n % 200}`, subject: `psn_user-${n % 200}`, ms: T0 + HOUR + n * 20_000 }));
    expect(run([...agent, ...selves], {})).toEqual([]);
  });

  test('re-reading the same subjects does not count: 500 reads of 10 customers stay quiet', () => {
    const records = Array.from({ length: 500 }, (_, n) => entry({ subject: `psn_c-${n % 10}`, ms: T0 + n * 100 }));
    expect(run(records)).toEqual([]);
  });

  test('refused accesses and records without an actor are not counted', () => {
    const denied = Array.from({ length: 60 }, (_, n) => entry({ subject: `psn_c-${n}`, ms: T0 + n, event: 'denied', decision: 'denied' }));
    const anonymous = Array.from({ length: 60 }, (_, n) => entry({ actor: null, subject: `psn_c-${n}`, ms: T0 + n }));
    expect(run([...denied, ...anonymous])).toEqual([]);
  });

  test('switched off (massAccess: false), it stays quiet on a burst that would fire it', () => {
    const burst = Array.from({ length: 100 }, (_, n) => entry({ subject: `psn_c-${n}`, ms: T0 + n }));
    expect(run(burst, { ...ONLY_MASS, massAccess: false })).toEqual([]);
  });

  test('a record older than the newest seen is still counted (the window does not move back)', () => {
    const records = [
      ...Array.from({ length: 3 }, (_, n) => entry({ subject: `psn_c-${n}`, ms: T0 + 60_000 })),
      entry({ subject: 'psn_late', ms: T0 + 1000 }),
    ];
    expect(run(records, { ...ONLY_MASS, massAccess: { threshold: 4 } })).toHaveLength(1);
  });

  test('property: it fires iff some window of windowMs holds at least threshold distinct subjects of one actor', () => {
    const record = fc.record({
      actor: fc.constantFrom('psn_a', 'psn_b'),
      subject: fc.constantFrom('s1', 's2', 's3', 's4', 's5'),
      gap: fc.integer({ min: 0, max: 40 }),
    });
    fc.assert(fc.property(fc.array(record, { maxLength: 40 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 60 }), (rows, threshold, windowMs) => {
      let ms = T0;
      const timed = rows.map((r) => ({ ...r, ms: (ms += r.gap) }));
      // Oracle: for each record, the distinct subjects of its actor in (ms - windowMs, ms].
      const expected = timed.some((r) => new Set(timed.filter((o) => o.actor === r.actor && o.ms <= r.ms && o.ms > r.ms - windowMs).map((o) => o.subject)).size >= threshold);
      const alerts = run(timed.map((r) => entry({ actor: r.actor, subject: r.subject, ms: r.ms })), { ...ONLY_MASS, massAccess: { threshold, windowMs } });
      return (alerts.length > 0) === expected;
    }));
  });
});
