import { createMonitor, type Alert, type AuditEntry, type MonitoringOptions } from '@privacy-kit/core';
import { HOUR, T0, entry } from './monitor-fixtures';

const ONLY_BASELINE: MonitoringOptions = { massAccess: false, probing: false, spike: false, firstSpecial: false };
const DAY = 24 * HOUR;

function run(records: readonly AuditEntry[], options: MonitoringOptions = ONLY_BASELINE): Alert[] {
  const monitor = createMonitor(options);
  return records.flatMap((r) => [...monitor.observe(r)]);
}

/** `perHour` reads an hour by the actor, on the route, for `hours` hours from `start`. */
function steady(actor: string, route: string, start: number, hours: number, perHour: number): AuditEntry[] {
  return Array.from({ length: hours * perHour }, (_, n) => entry({ actor, route, subject: `psn_c-${n % 40}`, ms: start + Math.floor(n / perHour) * HOUR + (n % perHour) * Math.floor(HOUR / perHour) }));
}

describe('monitor rule baseline', () => {
  test("after 7 days of 10 reads an hour, 40 reads in one hour raise one alert for the actor and one for the route", () => {
    const learned = steady('psn_clerk', '/orders/:id', T0, 7 * 24, 10);
    const burst = steady('psn_clerk', '/orders/:id', T0 + 7 * DAY, 1, 40);
    const alerts = run([...learned, ...burst]);
    expect(alerts.map((a) => [a.actor, a.route, a.count, a.threshold])).toEqual([['psn_clerk', 'GET /orders/:id', 31, 30], [null, 'GET /orders/:id', 31, 30]]);
    expect(alerts[0]).toMatchObject({ rule: 'baseline', window: { from: '2026-11-30T09:00:00.000+00:00' }, query: { actor: 'psn_clerk', event: 'access' } });
    expect(alerts[0]?.explanation).toBe('psn_clerk made 31 accesses in the 1 h window from 2026-11-30T09:00:00.000Z on GET /orders/:id, above its learned mean of 10 per window (threshold 30 = max(3 × 10, 30)).');
    expect(alerts[1]?.explanation).toContain('Route GET /orders/:id made 31 accesses');
  });

  test('the threshold is factor × the learned mean when that is above the minimum', () => {
    const learned = steady('psn_busy', '/orders/:id', T0, 7 * 24, 20);
    const alerts = run([...learned, ...steady('psn_busy', '/orders/:id', T0 + 7 * DAY, 1, 70)], { ...ONLY_BASELINE, baseline: { minimum: 1 } });
    expect(alerts.filter((a) => a.actor === 'psn_busy').map((a) => [a.count, a.threshold])).toEqual([[61, 60]]);
  });

  test('nothing is raised while learning: a busy first day stays quiet', () => {
    expect(run(steady('psn_new', '/orders/:id', T0, 24, 100))).toEqual([]);
  });

  test('stays quiet on ordinary traffic: 200 actors with steady days keep within their baseline', () => {
    const records = Array.from({ length: 200 }, (_, a) => steady(`psn_user-${a}`, `/r${a % 4}`, T0, 8 * 24, 1)).flat().sort((x, y) => x.time.localeCompare(y.time));
    expect(run(records)).toEqual([]);
  });

  test('one alert per key per window: 100 reads in the burst hour alert once per key', () => {
    const learned = steady('psn_clerk', '/orders/:id', T0, 7 * 24, 10);
    expect(run([...learned, ...steady('psn_clerk', '/orders/:id', T0 + 7 * DAY, 1, 100)])).toHaveLength(2);
  });

  test('switched off (baseline: false), it stays quiet', () => {
    const learned = steady('psn_clerk', '/orders/:id', T0, 7 * 24, 10);
    expect(run([...learned, ...steady('psn_clerk', '/orders/:id', T0 + 7 * DAY, 1, 100)], { ...ONLY_BASELINE, baseline: false })).toEqual([]);
  });
});
