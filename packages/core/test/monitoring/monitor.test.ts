import { DEFAULT_MASS_ACCESS, MONITOR_MAX_KEYS, createMonitor, monitorRecords, type AuditEntry, type MonitoringOptions } from '@privacy-kit/core';
import { HOUR, MINUTE, T0, entry } from './monitor-fixtures';

function errorOf(options: unknown): { code?: string; message?: string } {
  try {
    createMonitor(options as MonitoringOptions);
  } catch (error) {
    return error as { code: string; message: string };
  }
  return {};
}

describe('createMonitor options', () => {
  test.each([
    [{ offHours: { from: '25:00', to: '20:00' } }, "createMonitor(): 'offHours.from' must be a time of day 'HH:MM' from '00:00' to '23:59', e.g. '07:00'; got '25:00'."],
    [{ offHours: { from: '07:00', to: '20:00', timeZone: 'Mars/Olympus' } }, "'offHours.timeZone' must be an IANA time zone such as 'Europe/Berlin' or 'UTC'; got 'Mars/Olympus'."],
    [{ offHours: { from: '07:00', to: '20:00', days: [0, 8] } }, "'offHours.days' must be a non-empty list of ISO weekdays 1 (Monday) to 7 (Sunday)"],
    [{ offHours: { from: '07:00', to: '07:00' } }, "'offHours.from' and 'offHours.to' are both '07:00'"],
    [{ massAccess: { threshold: 0 } }, "'massAccess.threshold' must be a whole number ≥ 1; got 0."],
    [{ probing: { windowMs: -5 } }, "'probing.windowMs' must be a whole number ≥ 1; got -5."],
    [{ spike: { exports: 2.5 } }, "'spike.exports' must be a whole number ≥ 1; got 2.5."],
    [{ baseline: { factor: 0 } }, "'baseline.factor' must be a number > 0; got 0."],
    [{ baseline: { learnMs: 1000 } }, "'baseline.learnMs' (1000) must be at least 'baseline.windowMs' (3600000)"],
    [{ massAccess: true }, "'massAccess' takes false (off) or { threshold, windowMs }; got boolean."],
    [{ firstSpecial: 'yes' }, "'firstSpecial' takes true or false; got 'yes'."],
    [{ adminPath: 'admin' }, "'adminPath' must be a path starting with '/'"],
    [{ massAcess: {} }, "createMonitor(): unknown option 'massAcess'. Did you mean 'massAccess'?"],
    [{ massAccess: { treshold: 5 } }, "unknown option 'treshold'. Did you mean 'threshold'?"],
    ['fast', 'createMonitor(): takes an options object'],
  ])('refuses %j with a PK_INVALID_OPTION error that names the option and what it takes', (options, message) => {
    const error = errorOf(options);
    expect(error.code).toBe('PK_INVALID_OPTION');
    expect(error.message).toMatch(/^@privacy-kit\/core: /);
    expect(error.message).toContain(message);
  });

  test('the named defaults are the documented ones', () => {
    expect(DEFAULT_MASS_ACCESS).toEqual({ threshold: 50, windowMs: 10 * MINUTE });
  });
});

describe('monitor', () => {
  test('observe never throws for a record with an unreadable time or odd content, and raises nothing for it', () => {
    const monitor = createMonitor();
    expect(monitor.observe(entry({ time: 'not a time' }))).toEqual([]);
    expect(monitor.observe({ ...entry(), categories: undefined } as unknown as AuditEntry)).toEqual([]);
  });

  test('memory stays bounded: 100,000 distinct actors over a long time leave only the recent keys', () => {
    const monitor = createMonitor({ offHours: { from: '00:00', to: '23:59' } });
    for (let n = 0; n < 100_000; n++) {
      monitor.observe(entry({ actor: `psn_actor-${n}`, subject: `psn_c-${n}`, ms: T0 + n * 10_000, categories: ['user.health_and_medical'], event: n % 2 === 0 ? 'access' : 'denied', decision: n % 2 === 0 ? 'allowed' : 'denied' }));
    }
    // firstSpecial remembers the 50,000 actors that touched special data (under its cap); the baseline the actors seen
    // in the last 7 days (one access every 20 s: 30,240) and the route; the sliding windows only their last minutes.
    const firstSpecial = 50_000;
    const baseline = (7 * 24 * HOUR) / 20_000 + 1;
    expect(monitor.size()).toBeLessThan(firstSpecial + baseline + 500);
  });

  test('memory stays bounded: every rule keeps at most MONITOR_MAX_KEYS keys when more actors are active at once', () => {
    const monitor = createMonitor({ massAccess: false, probing: false, spike: false, baseline: false });
    for (let n = 0; n < MONITOR_MAX_KEYS + 5000; n++) monitor.observe(entry({ actor: `psn_actor-${n}`, subject: 'psn_c', ms: T0 + n, categories: ['user.health_and_medical'] }));
    expect(monitor.size()).toBe(MONITOR_MAX_KEYS);
  });
});

describe('monitorRecords', () => {
  test('evaluates a whole log from an async iterable, streaming, and returns its alerts in order', async () => {
    async function* log(): AsyncGenerator<AuditEntry> {
      for (let n = 0; n < 60; n++) yield entry({ actor: 'psn_agent', subject: `psn_c-${n}`, ms: T0 + n * 1000 });
      for (let n = 0; n < 25; n++) yield entry({ event: 'denied', decision: 'denied', actor: 'psn_prober', subject: null, ms: T0 + 60_000 + n * 1000 });
    }
    const alerts = await monitorRecords(log());
    expect(alerts.map((a) => [a.rule, a.actor, a.count])).toEqual([['massAccess', 'psn_agent', 50], ['probing', 'psn_prober', 20]]);
  });

  test('takes a plain array and options', async () => {
    const records = Array.from({ length: 5 }, (_, n) => entry({ subject: `psn_c-${n}`, ms: T0 + n }));
    await expect(monitorRecords(records, { massAccess: { threshold: 5 } })).resolves.toHaveLength(1);
    await expect(monitorRecords(records, { massAccess: false })).resolves.toEqual([]);
  });
});
