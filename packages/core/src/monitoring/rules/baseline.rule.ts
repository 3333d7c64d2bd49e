import type { Alert } from '../monitoring-contracts';
import { duration, makeAlert, onRoute } from '../alert-text';
import { MONITOR_MAX_KEYS, type ResolvedMonitoringOptions } from '../monitor-options';
import { KeyedStates } from '../windows';
import type { MonitorRule, ObservedRecord } from './monitor-rule';

const MIXED = '\u0000mixed';

interface KeyState {
  /** When the key was first seen (its learning starts), and the index of that window. */
  readonly firstMs: number;
  readonly firstWindow: number;
  /** The current window: its index, count, route(s), categories; whether it already alerted. */
  window: number;
  count: number;
  route: string | null | undefined;
  readonly categories: Set<string>;
  alerted: boolean;
  /** Records of the windows before the current one, since first seen. */
  past: number;
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

/**
 * `baseline`: per actor and per route, allowed 'access' records counted in fixed windows (aligned on the epoch).
 * Once a key has been seen for `learnMs`, its baseline is the mean count of its windows so far (idle windows count
 * as 0); a window above max(factor × baseline, minimum) raises one alert. Holds a few numbers per key, for the keys
 * seen within the last `learnMs` (a key idle longer learns again), at most {@link MONITOR_MAX_KEYS}.
 */
export class BaselineRule implements MonitorRule {
  private readonly keys: KeyedStates<KeyState>;

  constructor(private readonly options: NonNullable<ResolvedMonitoringOptions['baseline']>) {
    const { windowMs } = options;
    this.keys = new KeyedStates(MONITOR_MAX_KEYS, options.learnMs, (ms) => {
      const window = Math.floor(ms / windowMs);
      return { firstMs: ms, firstWindow: window, window, count: 0, route: undefined, categories: new Set(), alerted: false, past: 0 };
    });
  }

  observe(record: ObservedRecord, out: Alert[]): void {
    const { entry, route } = record;
    if (entry.event !== 'access' || entry.decision !== 'allowed') return;
    if (entry.actor !== null) this.count(`actor:${entry.actor}`, entry.actor, record, out);
    if (route !== null) this.count(`route:${route}`, null, record, out);
  }

  private count(key: string, actor: string | null, { entry, ms, route, categories }: ObservedRecord, out: Alert[]): void {
    const { factor, minimum, learnMs, windowMs } = this.options;
    const state = this.keys.use(key, ms);
    const window = Math.floor(ms / windowMs);
    if (window !== state.window) {
      state.past += state.count;
      state.window = window;
      state.count = 0;
      state.route = undefined;
      state.categories.clear();
      state.alerted = false;
    }
    state.count++;
    state.route = state.route === undefined || state.route === route ? route : MIXED;
    for (const c of categories) state.categories.add(c);
    if (state.alerted || ms - state.firstMs < learnMs) return;
    const learned = window - state.firstWindow;
    if (learned <= 0) return;
    const mean = state.past / learned;
    const threshold = Math.max(factor * mean, minimum);
    if (state.count <= threshold) return;
    state.alerted = true;
    const where = actor === null ? route : state.route === MIXED ? null : (state.route ?? null);
    const who = actor ?? `Route ${route ?? ''}`;
    const from = window * windowMs;
    out.push(makeAlert({
      rule: 'baseline',
      key,
      actor,
      route: where,
      from,
      to: ms,
      count: state.count,
      threshold: round(threshold),
      explanation: `${who} made ${state.count} accesses in the ${duration(windowMs)} window from ${new Date(from).toISOString()}${actor === null ? '' : onRoute(where)}, ` +
        `above its learned mean of ${round(mean)} per window (threshold ${round(threshold)} = max(${factor} × ${round(mean)}, ${minimum})).`,
      query: { ...(actor === null ? {} : { actor }), ...(where === null ? {} : { route: where }), event: 'access', decision: 'allowed' },
      time: entry.time,
      categories: [...state.categories].sort(),
    }));
  }

  sweep(now: number): void {
    this.keys.sweep(now);
  }

  size(): number {
    return this.keys.size;
  }
}
