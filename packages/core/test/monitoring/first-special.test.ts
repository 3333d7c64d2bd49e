import { createMonitor, type Alert, type AuditEntry, type MonitoringOptions } from '@privacy-kit/core';
import { MINUTE, T0, entry } from './monitor-fixtures';

const ONLY_FIRST: MonitoringOptions = { massAccess: false, probing: false, spike: false, baseline: false };

function run(records: readonly AuditEntry[], options: MonitoringOptions = ONLY_FIRST): Alert[] {
  const monitor = createMonitor(options);
  return records.flatMap((r) => [...monitor.observe(r)]);
}

describe('monitor rule firstSpecial', () => {
  test("an actor reading someone's health data for the first time raises an alert naming the special categories", () => {
    const alerts = run([
      entry({ actor: 'psn_agent', subject: 'psn_c-1', categories: ['user.contact.email'] }),
      entry({ actor: 'psn_agent', subject: 'psn_c-2', ms: T0 + MINUTE, route: '/patients/:id', categories: ['user.health_and_medical', 'user.contact.email'] }),
    ]);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ rule: 'firstSpecial', actor: 'psn_agent', route: 'GET /patients/:id', count: 1, categories: ['user.health_and_medical'] });
    expect(alerts[0]?.explanation).toBe('psn_agent touched special categories (user.health_and_medical) for the first time the monitor has seen on GET /patients/:id.');
    expect(alerts[0]?.command).toBe("privacy-kit incidents scope --db FILE --actor psn_agent --route 'GET /patients/:id' --from 2026-11-23T09:01:00.000+00:00 --to 2026-11-23T09:01:00.000+00:00");
  });

  test('a child of a special category counts (user.health_and_medical.diagnosis)', () => {
    expect(run([entry({ categories: ['user.health_and_medical.diagnosis'] })])).toHaveLength(1);
  });

  test('the same actor touching special categories again stays quiet (first time only)', () => {
    const records = Array.from({ length: 20 }, (_, n) => entry({ subject: `psn_c-${n}`, ms: T0 + n * MINUTE, categories: ['user.health_and_medical'] }));
    expect(run(records)).toHaveLength(1);
  });

  test('stays quiet on ordinary traffic: 200 people reading their own health data, agents reading contact data', () => {
    const selves = Array.from({ length: 200 }, (_, n) => entry({ actor: `psn_user-${n}`, subject: `psn_user-${n}`, ms: T0 + n * MINUTE, categories: ['user.health_and_medical'] }));
    const agents = Array.from({ length: 200 }, (_, n) => entry({ actor: `psn_agent-${n % 5}`, subject: `psn_c-${n}`, ms: T0 + n * MINUTE, categories: ['user.contact.email', 'unknown.custom'] }));
    expect(run([...selves, ...agents])).toEqual([]);
  });

  test('after a restart the first access is first again, unless the monitor is primed with past records', async () => {
    const past = [entry({ actor: 'psn_agent', subject: 'psn_c-1', categories: ['user.health_and_medical'] })];
    const now = entry({ actor: 'psn_agent', subject: 'psn_c-2', ms: T0 + MINUTE, categories: ['user.health_and_medical'] });
    expect(createMonitor(ONLY_FIRST).observe(now)).toHaveLength(1);
    const primed = createMonitor(ONLY_FIRST);
    await expect(primed.prime(past)).resolves.toBe(1);
    expect(primed.observe(now)).toEqual([]);
  });

  test('switched off (firstSpecial: false), it stays quiet', () => {
    expect(run([entry({ categories: ['user.health_and_medical'] })], { ...ONLY_FIRST, firstSpecial: false })).toEqual([]);
  });
});
