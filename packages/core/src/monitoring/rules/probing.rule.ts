import type { Alert } from '../monitoring-contracts';
import { duration, makeAlert, onRoute } from '../alert-text';
import { MONITOR_MAX_KEYS, type ResolvedMonitoringOptions } from '../monitor-options';
import { EventWindow, KeyedStates } from '../windows';
import type { MonitorRule, ObservedRecord } from './monitor-rule';

interface SourceState {
  readonly refusals: EventWindow;
  quietUntil: number;
}

/**
 * `probing`: a burst of refusals ('denied' records) from one actor, or, for records without an actor, on one route.
 * Holds, per source active within the window, the times of its refusals within the window (at most
 * {@link MONITOR_MAX_KEYS} sources).
 */
export class ProbingRule implements MonitorRule {
  private readonly sources: KeyedStates<SourceState>;

  constructor(private readonly options: NonNullable<ResolvedMonitoringOptions['probing']>) {
    this.sources = new KeyedStates(MONITOR_MAX_KEYS, options.windowMs, () => ({ refusals: new EventWindow(), quietUntil: -Infinity }));
  }

  observe({ entry, ms, route, categories }: ObservedRecord, out: Alert[]): void {
    if (entry.event !== 'denied') return;
    const { threshold, windowMs } = this.options;
    const actor = entry.actor;
    const key = actor !== null ? `actor:${actor}` : `route:${route ?? ''}`;
    const state = this.sources.use(key, ms);
    state.refusals.prune(ms - windowMs);
    state.refusals.add(ms, route, categories);
    const count = state.refusals.count;
    if (count < threshold || ms < state.quietUntil) return;
    state.quietUntil = ms + windowMs;
    const where = actor === null ? route : state.refusals.route();
    const who = actor ?? 'Unidentified callers';
    out.push(makeAlert({
      rule: 'probing',
      key,
      actor,
      route: where,
      from: state.refusals.from(),
      to: ms,
      count,
      threshold,
      explanation: `${who} ${actor === null ? 'were' : 'was'} refused ${count} times in ${duration(windowMs)} (threshold ${threshold})${onRoute(where)}.`,
      query: { ...(actor === null ? {} : { actor }), ...(where === null ? {} : { route: where }), event: 'denied', decision: 'denied' },
      time: entry.time,
      categories: state.refusals.categoryList(),
    }));
  }

  sweep(now: number): void {
    this.sources.sweep(now);
  }

  size(): number {
    let held = this.sources.size;
    for (const state of this.sources.states()) held += state.refusals.count;
    return held;
  }
}
