import type { Alert } from '../monitoring-contracts';
import { makeAlert, onRoute } from '../alert-text';
import { MONITOR_MAX_KEYS, OFF_HOURS_ALERT_INTERVAL_MS, type ResolvedMonitoringOptions } from '../monitor-options';
import { KeyedStates } from '../windows';
import type { MonitorRule, ObservedRecord } from './monitor-rule';

const QUARTER_HOUR = 15 * 60_000;
const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };
const DAY_NAMES = ['', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/** A local time: ISO weekday and minute of the day. */
interface LocalTime {
  readonly day: number;
  readonly minute: number;
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/**
 * `offHours`: an allowed 'access' record whose time, in the declared time zone, is outside the working hours or on a
 * day not declared. One alert per actor (or, without an actor, per route) per hour at most; holds the keys alerted
 * within the last hour (at most {@link MONITOR_MAX_KEYS}).
 */
export class OffHoursRule implements MonitorRule {
  private readonly format: Intl.DateTimeFormat;
  private readonly alerted = new KeyedStates<{ at: number }>(MONITOR_MAX_KEYS, OFF_HOURS_ALERT_INTERVAL_MS, () => ({ at: -Infinity }));
  /** The local time of the start of the last quarter hour looked up: time zones change offset on quarter hours. */
  private cachedQuarter = Number.NaN;
  private cachedLocal: LocalTime = { day: 1, minute: 0 };

  constructor(private readonly options: NonNullable<ResolvedMonitoringOptions['offHours']>) {
    this.format = new Intl.DateTimeFormat('en-US', { timeZone: options.timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  }

  observe({ entry, ms, ownMs, route, categories }: ObservedRecord, out: Alert[]): void {
    if (entry.event !== 'access' || entry.decision !== 'allowed') return;
    const local = this.localTime(ownMs);
    if (this.isWorkingTime(local)) return;
    const key = entry.actor ?? `route:${route ?? ''}`;
    const state = this.alerted.use(key, ms);
    if (ms - state.at < OFF_HOURS_ALERT_INTERVAL_MS) return;
    state.at = ms;
    const { fromText, toText, timeZone, days } = this.options;
    const declaredDays = days.length === 7 ? 'every day' : days.map((d) => (DAY_NAMES[d] as string).slice(0, 3)).join(', ');
    const at = `${pad(Math.floor(local.minute / 60))}:${pad(local.minute % 60)} on ${DAY_NAMES[local.day] as string} (${timeZone})`;
    out.push(makeAlert({
      rule: 'offHours',
      key,
      actor: entry.actor,
      route,
      from: ownMs,
      to: ownMs,
      count: 1,
      threshold: 1,
      explanation: `${entry.actor ?? 'An unidentified caller'} accessed personal data at ${at}${onRoute(route)}, outside the declared hours ${fromText}-${toText}, ${declaredDays}.`,
      query: { ...(entry.actor === null ? {} : { actor: entry.actor }), ...(route === null ? {} : { route }), event: 'access', decision: 'allowed' },
      time: entry.time,
      categories: [...categories].sort(),
    }));
  }

  private isWorkingTime({ day, minute }: LocalTime): boolean {
    const { from, to, days } = this.options;
    const inHours = from < to ? minute >= from && minute < to : minute >= from || minute < to;
    return inHours && days.includes(day);
  }

  private localTime(ms: number): LocalTime {
    const quarter = Math.floor(ms / QUARTER_HOUR) * QUARTER_HOUR;
    if (quarter !== this.cachedQuarter) {
      let day = 1;
      let hour = 0;
      let minute = 0;
      for (const part of this.format.formatToParts(quarter)) {
        if (part.type === 'weekday') day = WEEKDAYS[part.value] ?? 1;
        else if (part.type === 'hour') hour = Number(part.value);
        else if (part.type === 'minute') minute = Number(part.value);
      }
      this.cachedQuarter = quarter;
      this.cachedLocal = { day, minute: hour * 60 + minute };
    }
    const minute = this.cachedLocal.minute + Math.floor((ms - quarter) / 60_000);
    // A quarter hour starting at 23:45 local ends on the same day; an odd historical offset could cross midnight.
    return minute < 1440 ? { day: this.cachedLocal.day, minute } : { day: (this.cachedLocal.day % 7) + 1, minute: minute - 1440 };
  }

  sweep(now: number): void {
    this.alerted.sweep(now);
  }

  size(): number {
    return this.alerted.size;
  }
}
