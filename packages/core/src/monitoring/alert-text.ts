import { createHash } from 'node:crypto';
import { isoTime } from '../audit/iso-time';
import type { Alert, AlertQuery, MonitoringRuleName } from './monitoring-contracts';

/** What a rule knows when it raises an alert; {@link makeAlert} adds the id, the times as text and the command. */
export interface AlertFacts {
  readonly rule: MonitoringRuleName;
  /** What the rule counts per (an actor, a route, 'app'): part of the id. */
  readonly key: string;
  readonly actor: string | null;
  readonly route: string | null;
  /** Epoch ms of the first and last record counted. */
  readonly from: number;
  readonly to: number;
  readonly count: number;
  readonly threshold: number;
  readonly explanation: string;
  readonly query: Omit<AlertQuery, 'from' | 'to'>;
  /** The time of the record that raised it, as written. */
  readonly time: string;
  readonly categories: readonly string[];
}

/** `'GET /users/:id'`, the route alone without a method, or null without a route. */
export function routeLabel(method: string | null, route: string | null): string | null {
  if (route === null || route === undefined) return null;
  return method === null || method === undefined ? route : `${method} ${route}`;
}

/** A duration for people: '10 min', '1 h', '7 days', '90 s'. */
export function duration(ms: number): string {
  const units: readonly [number, string, string][] = [[86_400_000, ' day', ' days'], [3_600_000, ' h', ' h'], [60_000, ' min', ' min'], [1000, ' s', ' s']];
  for (const [size, one, many] of units) {
    if (ms >= size && ms % size === 0) return `${ms / size}${ms === size ? one : many}`;
  }
  return `${ms} ms`;
}

const SHELL_SAFE = /^[A-Za-z0-9_.:+@/=-]+$/;

function shellWord(value: string): string {
  return SHELL_SAFE.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** The CLI command that shows the records behind an alert; the store flag is left for the user to fill. */
export function scopeCommand(query: AlertQuery): string {
  const parts = ['privacy-kit incidents scope --db FILE'];
  if (query.actor !== undefined) parts.push(`--actor ${shellWord(query.actor)}`);
  if (query.route !== undefined) parts.push(`--route ${shellWord(query.route)}`);
  parts.push(`--from ${shellWord(query.from)}`, `--to ${shellWord(query.to)}`);
  return parts.join(' ');
}

/** The alert of a rule's facts, with an id stable for one (rule, key, window start). */
export function makeAlert(facts: AlertFacts): Alert {
  const from = isoTime(new Date(facts.from));
  const to = isoTime(new Date(facts.to));
  const query: AlertQuery = { ...facts.query, from, to };
  const id = `alert-${createHash('sha256').update(`${facts.rule}\n${facts.key}\n${facts.from}`).digest('hex').slice(0, 16)}`;
  return {
    id,
    rule: facts.rule,
    actor: facts.actor,
    route: facts.route,
    window: { from, to },
    count: facts.count,
    threshold: facts.threshold,
    explanation: facts.explanation,
    query,
    command: scopeCommand(query),
    time: facts.time,
    categories: facts.categories,
  };
}

/** The part of an explanation that says where: ' on GET /users/:id', or nothing. */
export function onRoute(route: string | null): string {
  return route === null ? '' : ` on ${route}`;
}
