import type { Alert } from '../monitoring-contracts';
import { duration, makeAlert, onRoute } from '../alert-text';
import { MONITOR_MAX_KEYS, type ResolvedMonitoringOptions } from '../monitor-options';
import { DistinctWindow, KeyedStates } from '../windows';
import type { MonitorRule, ObservedRecord } from './monitor-rule';

interface ActorState {
  readonly subjects: DistinctWindow;
  /** No new alert for the actor before this time: one burst is one alert. */
  quietUntil: number;
}

/**
 * `massAccess`: one actor reaching many distinct subjects (allowed 'access' records) within a sliding window.
 * Holds, per actor active within the window, the subjects it reached within the window (at most
 * {@link MONITOR_MAX_KEYS} actors).
 */
export class MassAccessRule implements MonitorRule {
  private readonly actors: KeyedStates<ActorState>;

  constructor(private readonly options: NonNullable<ResolvedMonitoringOptions['massAccess']>) {
    this.actors = new KeyedStates(MONITOR_MAX_KEYS, options.windowMs, () => ({ subjects: new DistinctWindow(), quietUntil: -Infinity }));
  }

  observe({ entry, ms, route, categories }: ObservedRecord, out: Alert[]): void {
    if (entry.event !== 'access' || entry.decision !== 'allowed' || entry.actor === null || entry.subject === null) return;
    const { threshold, windowMs } = this.options;
    const state = this.actors.use(entry.actor, ms);
    state.subjects.prune(ms - windowMs);
    state.subjects.add(entry.subject, ms, route, categories);
    const count = state.subjects.count;
    if (count < threshold || ms < state.quietUntil) return;
    state.quietUntil = ms + windowMs;
    const where = state.subjects.route();
    const from = state.subjects.from();
    out.push(makeAlert({
      rule: 'massAccess',
      key: entry.actor,
      actor: entry.actor,
      route: where,
      from,
      to: ms,
      count,
      threshold,
      explanation: `${entry.actor} reached ${count} distinct subjects in ${duration(windowMs)} (threshold ${threshold})${onRoute(where)}.`,
      query: { actor: entry.actor, ...(where === null ? {} : { route: where }), event: 'access', decision: 'allowed' },
      time: entry.time,
      categories: state.subjects.categoryList(),
    }));
  }

  sweep(now: number): void {
    this.actors.sweep(now);
  }

  size(): number {
    let held = this.actors.size;
    for (const state of this.actors.states()) held += state.subjects.count;
    return held;
  }
}
