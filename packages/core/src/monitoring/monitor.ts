import type { AuditEntry } from '../audit/audit-record';
import { routeLabel } from './alert-text';
import type { Alert, Monitor, MonitoringOptions } from './monitoring-contracts';
import { resolveMonitoringOptions } from './monitor-options';
import { BaselineRule } from './rules/baseline.rule';
import { FirstSpecialRule } from './rules/first-special.rule';
import { MassAccessRule } from './rules/mass-access.rule';
import type { MonitorRule } from './rules/monitor-rule';
import { OffHoursRule } from './rules/off-hours.rule';
import { ProbingRule } from './rules/probing.rule';
import { SpikeRule } from './rules/spike.rule';

/** Idle keys are looked for at most this often (in record time): a sweep per record would cost more than it frees. */
const SWEEP_EVERY_MS = 1000;
const NO_ALERTS: readonly Alert[] = Object.freeze([]);
const NO_CATEGORIES: readonly string[] = Object.freeze([]);

/** The monitor `createMonitor` returns: a {@link Monitor} that can also be primed with past records. */
export interface PrivacyMonitor extends Monitor {
  /**
   * Feeds past records (e.g. the last days of the audit log at start-up) without reporting their alerts, so that
   * after a restart an actor is not "first" again (`firstSpecial`), baselines are learned and bursts under way are
   * known.
   *
   * @param records - in time order
   * @returns how many records were fed
   */
  prime(records: Iterable<AuditEntry> | AsyncIterable<AuditEntry>): Promise<number>;
  /**
   * How many entries the monitor holds (keys and the window entries of every rule): it stays bounded by the traffic
   * of the rules' windows, and by `MONITOR_MAX_KEYS` keys per rule.
   */
  size(): number;
}

/**
 * Creates the monitor of the audit stream: pure logic, no timers and no I/O (time comes from the records). Feed it
 * every audit record in append order; `observe` returns the alerts the record raised.
 *
 * Memory: each sliding-window rule holds the records (massAccess: the distinct subjects; spike: the distinct
 * requests) of its window for the keys active within it; idle keys are forgotten; each rule keeps at most
 * `MONITOR_MAX_KEYS` keys. A record older than the newest one seen counts as if it came at the newest time (windows
 * never move back).
 *
 * @param options - the rules' thresholds and windows, or `false` to switch a rule off (see the named defaults)
 * @throws PrivacyKitError PK_INVALID_OPTION naming the option, what it takes and what it got
 * @example
 * const monitor = createMonitor({ massAccess: { threshold: 100, windowMs: 600_000 }, offHours: { from: '07:00', to: '20:00', timeZone: 'Europe/Berlin' } });
 * for (const alert of monitor.observe(record)) notify(alert.explanation);
 */
export function createMonitor(options?: MonitoringOptions): PrivacyMonitor {
  const o = resolveMonitoringOptions(options);
  const rules: MonitorRule[] = [];
  if (o.massAccess !== null) rules.push(new MassAccessRule(o.massAccess));
  if (o.probing !== null) rules.push(new ProbingRule(o.probing));
  if (o.spike !== null) rules.push(new SpikeRule(o.spike, o.adminPath));
  if (o.offHours !== null) rules.push(new OffHoursRule(o.offHours));
  if (o.firstSpecial) rules.push(new FirstSpecialRule());
  if (o.baseline !== null) rules.push(new BaselineRule(o.baseline));

  let newest = -Infinity;
  let lastSweep = -Infinity;

  const observe = (entry: AuditEntry): readonly Alert[] => {
    const ownMs = typeof entry?.time === 'string' ? Date.parse(entry.time) : Number.NaN;
    if (Number.isNaN(ownMs)) return NO_ALERTS;
    if (ownMs > newest) newest = ownMs;
    if (newest - lastSweep >= SWEEP_EVERY_MS) {
      for (const rule of rules) rule.sweep(newest);
      lastSweep = newest;
    }
    const record = {
      entry,
      ms: newest,
      ownMs,
      route: routeLabel(entry.method ?? null, entry.route ?? null),
      categories: Array.isArray(entry.categories) ? entry.categories : NO_CATEGORIES,
    };
    const out: Alert[] = [];
    for (const rule of rules) rule.observe(record, out);
    return out.length === 0 ? NO_ALERTS : out;
  };

  return {
    observe,
    async prime(records) {
      let fed = 0;
      for await (const entry of records) {
        observe(entry);
        fed++;
      }
      return fed;
    },
    size() {
      let held = 0;
      for (const rule of rules) held += rule.size();
      return held;
    },
  };
}

/**
 * Evaluates the rules over a whole audit log, streaming (what `privacy-kit incidents alerts` runs): the alerts every
 * record raised, in order.
 *
 * @param records - the log in append order, e.g. a store's streamed read
 * @param options - as for {@link createMonitor}
 */
export async function monitorRecords(records: AsyncIterable<AuditEntry> | Iterable<AuditEntry>, options?: MonitoringOptions): Promise<Alert[]> {
  const monitor = createMonitor(options);
  const alerts: Alert[] = [];
  if (Symbol.asyncIterator in records) {
    for await (const entry of records) alerts.push(...monitor.observe(entry));
  } else {
    for (const entry of records) alerts.push(...monitor.observe(entry));
  }
  return alerts;
}
