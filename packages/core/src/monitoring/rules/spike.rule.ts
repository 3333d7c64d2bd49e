import type { Alert, AlertQuery } from '../monitoring-contracts';
import { duration, makeAlert, onRoute } from '../alert-text';
import type { ResolvedMonitoringOptions } from '../monitor-options';
import { DistinctWindow } from '../windows';
import type { MonitorRule, ObservedRecord } from './monitor-rule';

type SpikeKind = 'exports' | 'erasures' | 'admin';

interface KindState {
  readonly requests: DistinctWindow;
  quietUntil: number;
}

const NOUNS: Record<SpikeKind, string> = { exports: 'data exports', erasures: 'erasures', admin: 'admin actions' };

/**
 * `spike`: many exports, erasures or admin actions over the whole app within a sliding window, each kind against
 * its own threshold. Exports and erasures are 'rights' records whose details name the kind, counted once per
 * rights request (a request writes several records); admin actions are requests on the admin routes and 'keys' and
 * 'copy' records, counted once per request id. Holds the distinct requests of the window.
 */
export class SpikeRule implements MonitorRule {
  private readonly kinds: Record<SpikeKind, KindState> = {
    exports: { requests: new DistinctWindow(), quietUntil: -Infinity },
    erasures: { requests: new DistinctWindow(), quietUntil: -Infinity },
    admin: { requests: new DistinctWindow(), quietUntil: -Infinity },
  };

  constructor(private readonly options: NonNullable<ResolvedMonitoringOptions['spike']>, private readonly adminPath: string) {}

  observe(record: ObservedRecord, out: Alert[]): void {
    const { entry } = record;
    if (entry.event === 'rights') {
      const kind = entry.details?.kind;
      const id = entry.details?.requestId;
      const request = typeof id === 'string' || typeof id === 'number' ? `rights:${id}` : `request:${entry.requestId}`;
      if (kind === 'export') this.count('exports', request, record, out);
      else if (kind === 'erasure') this.count('erasures', request, record, out);
    }
    if (entry.event === 'keys' || entry.event === 'copy' || (entry.route !== null && isUnder(entry.route, this.adminPath))) {
      this.count('admin', `request:${entry.requestId}`, record, out);
    }
  }

  private count(kind: SpikeKind, id: string, { entry, ms, route, categories }: ObservedRecord, out: Alert[]): void {
    const state = this.kinds[kind];
    const { windowMs } = this.options;
    const threshold = this.options[kind];
    state.requests.prune(ms - windowMs);
    state.requests.add(id, ms, route, categories);
    const count = state.requests.count;
    if (count < threshold || ms < state.quietUntil) return;
    state.quietUntil = ms + windowMs;
    const where = state.requests.route();
    const query: Omit<AlertQuery, 'from' | 'to'> = kind === 'admin' ? (where === null ? {} : { route: where }) : { event: 'rights' };
    out.push(makeAlert({
      rule: 'spike',
      key: kind,
      actor: null,
      route: where,
      from: state.requests.from(),
      to: ms,
      count,
      threshold,
      explanation: `${count} ${NOUNS[kind]} across the app in ${duration(windowMs)} (threshold ${threshold})${onRoute(where)}.`,
      query,
      time: entry.time,
      categories: state.requests.categoryList(),
    }));
  }

  sweep(now: number): void {
    const cutoff = now - this.options.windowMs;
    this.kinds.exports.requests.prune(cutoff);
    this.kinds.erasures.requests.prune(cutoff);
    this.kinds.admin.requests.prune(cutoff);
  }

  size(): number {
    return this.kinds.exports.requests.count + this.kinds.erasures.requests.count + this.kinds.admin.requests.count;
  }
}

function isUnder(route: string, prefix: string): boolean {
  return route.startsWith(prefix) && (route.length === prefix.length || prefix.endsWith('/') || route.charAt(prefix.length) === '/');
}
