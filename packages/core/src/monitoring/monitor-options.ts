import { coreError } from '../errors/core.error';
import { defineOptionKeys, rejectUnknownOptions } from '../errors/option-keys';
import type { MonitoringOptions, WindowThreshold } from './monitoring-contracts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** `massAccess` by default: 50 distinct subjects reached by one actor within 10 minutes. */
export const DEFAULT_MASS_ACCESS = Object.freeze({ threshold: 50, windowMs: 10 * MINUTE });
/** `probing` by default: 20 refusals from one actor (or, without an actor, on one route) within 5 minutes. */
export const DEFAULT_PROBING = Object.freeze({ threshold: 20, windowMs: 5 * MINUTE });
/** `spike` by default: 20 exports, 10 erasures or 30 admin actions over the whole app within 1 hour. */
export const DEFAULT_SPIKE = Object.freeze({ exports: 20, erasures: 10, admin: 30, windowMs: HOUR });
/** `baseline` by default: after 7 days of learning, a 1-hour window above 3× the learned hourly mean and above 30. */
export const DEFAULT_BASELINE = Object.freeze({ factor: 3, minimum: 30, learnMs: 7 * 24 * HOUR, windowMs: HOUR });
/** The admin routes' prefix whose requests count as admin actions for `spike`. */
export const DEFAULT_ADMIN_PATH = '/privacy/admin';
/** The time zone of `offHours` when none is declared. */
export const DEFAULT_OFF_HOURS_TIME_ZONE = 'UTC';
/** `offHours` raises at most one alert per actor in this time. */
export const OFF_HOURS_ALERT_INTERVAL_MS = HOUR;
/**
 * The most keys (actors, routes) one rule keeps state for. Past it, the key idle the longest is forgotten first (it
 * starts afresh when it comes back). Keys idle for a rule's window are forgotten anyway.
 */
export const MONITOR_MAX_KEYS = 100_000;

/** The options of the monitor with every default applied; a rule that is off is null. */
export interface ResolvedMonitoringOptions {
  readonly massAccess: { readonly threshold: number; readonly windowMs: number } | null;
  readonly probing: { readonly threshold: number; readonly windowMs: number } | null;
  readonly spike: { readonly exports: number; readonly erasures: number; readonly admin: number; readonly windowMs: number } | null;
  readonly offHours: { readonly from: number; readonly to: number; readonly fromText: string; readonly toText: string; readonly timeZone: string; readonly days: readonly number[] } | null;
  readonly firstSpecial: boolean;
  readonly baseline: { readonly factor: number; readonly minimum: number; readonly learnMs: number; readonly windowMs: number } | null;
  readonly adminPath: string;
}

const WHERE = 'createMonitor()';
const OPTION_KEYS = defineOptionKeys<MonitoringOptions>({
  massAccess: true, probing: true, spike: true, offHours: true, firstSpecial: true, baseline: true, adminPath: true,
});
const WINDOW_KEYS = defineOptionKeys<WindowThreshold>({ threshold: true, windowMs: true });
const SPIKE_KEYS = defineOptionKeys<Exclude<NonNullable<MonitoringOptions['spike']>, false>>({ exports: true, erasures: true, admin: true, windowMs: true });
const OFF_HOURS_KEYS = defineOptionKeys<Exclude<NonNullable<MonitoringOptions['offHours']>, false>>({ from: true, to: true, timeZone: true, days: true });
const BASELINE_KEYS = defineOptionKeys<Exclude<NonNullable<MonitoringOptions['baseline']>, false>>({ factor: true, minimum: true, learnMs: true, windowMs: true });
const CLOCK = /^([01]\d|2[0-3]):([0-5]\d)$/;

function invalid(problem: string): never {
  throw coreError('PK_INVALID_OPTION', `${WHERE}: ${problem}`);
}

function shown(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : typeof value === 'number' ? String(value) : Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value;
}

/** The rule's options object, or null when it is switched off; anything else is refused. */
function ruleObject(value: unknown, name: string, takes: string, known: readonly string[]): Record<string, unknown> | null {
  if (value === false) return null;
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) invalid(`'${name}' takes false (off) or ${takes}; got ${shown(value)}.`);
  rejectUnknownOptions(value, known, `${WHERE} '${name}'`, coreError);
  return value as Record<string, unknown>;
}

function positiveInteger(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) invalid(`'${name}' must be a whole number ≥ 1; got ${shown(value)}.`);
  return value;
}

function positiveNumber(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) invalid(`'${name}' must be a number > 0; got ${shown(value)}.`);
  return value;
}

function clock(value: unknown, name: string): number {
  const match = typeof value === 'string' ? CLOCK.exec(value) : null;
  if (match === null) invalid(`'${name}' must be a time of day 'HH:MM' from '00:00' to '23:59', e.g. '07:00'; got ${shown(value)}.`);
  return Number(match[1]) * 60 + Number(match[2]);
}

function timeZoneOf(value: unknown): string {
  if (value === undefined) return DEFAULT_OFF_HOURS_TIME_ZONE;
  if (typeof value === 'string' && value !== '') {
    try {
      return new Intl.DateTimeFormat('en-US', { timeZone: value }).resolvedOptions().timeZone;
    } catch {
      // Refused below with the fix.
    }
  }
  return invalid(`'offHours.timeZone' must be an IANA time zone such as 'Europe/Berlin' or 'UTC'; got ${shown(value)}.`);
}

function daysOf(value: unknown): readonly number[] {
  if (value === undefined) return [1, 2, 3, 4, 5, 6, 7];
  const ok = Array.isArray(value) && value.length > 0 && value.every((d) => Number.isInteger(d) && (d as number) >= 1 && (d as number) <= 7);
  if (!ok) invalid(`'offHours.days' must be a non-empty list of ISO weekdays 1 (Monday) to 7 (Sunday), e.g. [1, 2, 3, 4, 5]; got ${Array.isArray(value) ? JSON.stringify(value) : shown(value)}.`);
  return Object.freeze([...new Set(value as number[])].sort((a, b) => a - b));
}

function resolveOffHours(value: unknown): ResolvedMonitoringOptions['offHours'] {
  if (value === undefined || value === false) return null;
  const o = ruleObject(value, 'offHours', "{ from: 'HH:MM', to: 'HH:MM', timeZone?, days? }", OFF_HOURS_KEYS) as Record<string, unknown>;
  const from = clock(o.from, 'offHours.from');
  const to = clock(o.to, 'offHours.to');
  if (from === to) invalid(`'offHours.from' and 'offHours.to' are both '${String(o.from)}': declare the working hours, e.g. { from: '07:00', to: '20:00' } (a 'to' before 'from' means a night shift).`);
  return Object.freeze({ from, to, fromText: o.from as string, toText: o.to as string, timeZone: timeZoneOf(o.timeZone), days: daysOf(o.days) });
}

/**
 * Checks the monitor's options and applies the defaults; throws a PK_INVALID_OPTION error that names the option,
 * what it takes and what it got.
 *
 * @param options - as given to `createMonitor`
 */
export function resolveMonitoringOptions(options: unknown): ResolvedMonitoringOptions {
  if (options === undefined) options = {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) invalid(`takes an options object such as { massAccess: { threshold: 50 } } or nothing; got ${shown(options)}.`);
  rejectUnknownOptions(options, OPTION_KEYS, WHERE, coreError);
  const o = options as Record<string, unknown>;

  const mass = ruleObject(o.massAccess, 'massAccess', '{ threshold, windowMs }', WINDOW_KEYS);
  const probing = ruleObject(o.probing, 'probing', '{ threshold, windowMs }', WINDOW_KEYS);
  const spike = ruleObject(o.spike, 'spike', '{ exports, erasures, admin, windowMs }', SPIKE_KEYS);
  const baseline = ruleObject(o.baseline, 'baseline', '{ factor, minimum, learnMs, windowMs }', BASELINE_KEYS);
  if (o.firstSpecial !== undefined && typeof o.firstSpecial !== 'boolean') invalid(`'firstSpecial' takes true or false; got ${shown(o.firstSpecial)}.`);
  const adminPath = o.adminPath ?? DEFAULT_ADMIN_PATH;
  if (typeof adminPath !== 'string' || !adminPath.startsWith('/')) invalid(`'adminPath' must be a path starting with '/', e.g. '${DEFAULT_ADMIN_PATH}'; got ${shown(adminPath)}.`);

  const resolvedBaseline = baseline === null ? null : {
    factor: positiveNumber(baseline.factor, 'baseline.factor', DEFAULT_BASELINE.factor),
    minimum: positiveInteger(baseline.minimum, 'baseline.minimum', DEFAULT_BASELINE.minimum),
    learnMs: positiveInteger(baseline.learnMs, 'baseline.learnMs', DEFAULT_BASELINE.learnMs),
    windowMs: positiveInteger(baseline.windowMs, 'baseline.windowMs', DEFAULT_BASELINE.windowMs),
  };
  if (resolvedBaseline !== null && resolvedBaseline.learnMs < resolvedBaseline.windowMs) {
    invalid(`'baseline.learnMs' (${resolvedBaseline.learnMs}) must be at least 'baseline.windowMs' (${resolvedBaseline.windowMs}): the baseline is the mean count of the windows learned.`);
  }
  return Object.freeze({
    massAccess: mass === null ? null : {
      threshold: positiveInteger(mass.threshold, 'massAccess.threshold', DEFAULT_MASS_ACCESS.threshold),
      windowMs: positiveInteger(mass.windowMs, 'massAccess.windowMs', DEFAULT_MASS_ACCESS.windowMs),
    },
    probing: probing === null ? null : {
      threshold: positiveInteger(probing.threshold, 'probing.threshold', DEFAULT_PROBING.threshold),
      windowMs: positiveInteger(probing.windowMs, 'probing.windowMs', DEFAULT_PROBING.windowMs),
    },
    spike: spike === null ? null : {
      exports: positiveInteger(spike.exports, 'spike.exports', DEFAULT_SPIKE.exports),
      erasures: positiveInteger(spike.erasures, 'spike.erasures', DEFAULT_SPIKE.erasures),
      admin: positiveInteger(spike.admin, 'spike.admin', DEFAULT_SPIKE.admin),
      windowMs: positiveInteger(spike.windowMs, 'spike.windowMs', DEFAULT_SPIKE.windowMs),
    },
    offHours: resolveOffHours(o.offHours),
    firstSpecial: o.firstSpecial !== false,
    baseline: resolvedBaseline,
    adminPath,
  });
}
