import type { AuditEntry } from '../audit/audit-record';

/**
 * The rules that watch the audit stream for unusual access (issue 18).
 *
 * - `massAccess`: one actor reaching many distinct subjects in a window (a support account reading customer after
 *   customer).
 * - `probing`: a burst of refusals (`decision: 'denied'`) from one actor, or from no identified actor on one route.
 * - `spike`: many exports, erasures or admin actions in a window (over the whole app).
 * - `offHours`: an access to personal data outside the declared working hours.
 * - `firstSpecial`: an actor touching special categories (Art. 9/10) for the first time the monitor has seen.
 * - `baseline`: an actor's or a route's traffic in a window far above what was learned for it.
 */
export type MonitoringRuleName = 'massAccess' | 'probing' | 'spike' | 'offHours' | 'firstSpecial' | 'baseline';

/** Every {@link MonitoringRuleName}, in order. */
export const MONITORING_RULES: readonly MonitoringRuleName[] = ['massAccess', 'probing', 'spike', 'offHours', 'firstSpecial', 'baseline'];

/** The audit records an alert counts, as filters a store can apply (and the CLI can print). */
export interface AlertQuery {
  readonly actor?: string;
  /** `'GET /users/:id'`: the method and the route pattern. */
  readonly route?: string;
  readonly event?: AuditEntry['event'];
  readonly decision?: AuditEntry['decision'];
  /** ISO 8601, inclusive. */
  readonly from: string;
  /** ISO 8601, inclusive. */
  readonly to: string;
}

/** An alert that explains itself: which rule, who, where, when, how many against which threshold, and how to see it. */
export interface Alert {
  /** Stable for one (rule, actor or route, window start): the same burst is one alert, not one per record. */
  readonly id: string;
  readonly rule: MonitoringRuleName;
  /** The actor's pseudonym, or null (anonymous traffic, app-wide spikes). */
  readonly actor: string | null;
  /** `'GET /users/:id'`, or null when the alert is about an actor across routes. */
  readonly route: string | null;
  readonly window: { readonly from: string; readonly to: string };
  /** What was counted (distinct subjects, refusals, exports, requests...). */
  readonly count: number;
  readonly threshold: number;
  /** One sentence for a person: "psn_… reached 63 distinct subjects in 10 min (threshold 50) on GET /users/:id". */
  readonly explanation: string;
  /** The records behind it. */
  readonly query: AlertQuery;
  /** The command that shows them: `privacy-kit incidents scope --db … --actor psn_… --from … --to …` (no store given). */
  readonly command: string;
  /** When the alert was raised (the time of the record that crossed the threshold). */
  readonly time: string;
  /** The categories the counted records touched. */
  readonly categories: readonly string[];
}

/** A window and a threshold, the options most rules share. */
export interface WindowThreshold {
  /** How many within the window raise the alert. */
  readonly threshold?: number;
  /** The sliding window, in milliseconds. */
  readonly windowMs?: number;
}

/** Options of {@link MonitoringRuleName} rules: each `false` to switch it off, or its thresholds. */
export interface MonitoringOptions {
  /** Default: 50 distinct subjects in 10 minutes. */
  readonly massAccess?: false | WindowThreshold;
  /** Default: 20 refusals in 5 minutes. */
  readonly probing?: false | WindowThreshold;
  /** Default: 20 exports, 10 erasures, 30 admin actions in 1 hour. */
  readonly spike?: false | { readonly exports?: number; readonly erasures?: number; readonly admin?: number; readonly windowMs?: number };
  /**
   * Off unless declared: the working hours, e.g. `{ from: '07:00', to: '20:00', timeZone: 'Europe/Berlin', days:
   * [1, 2, 3, 4, 5] }` (ISO weekdays, Monday = 1; default every day).
   */
  readonly offHours?: false | { readonly from: string; readonly to: string; readonly timeZone?: string; readonly days?: readonly number[] };
  /** Default on. */
  readonly firstSpecial?: boolean;
  /**
   * Default: after learning for 7 days, an actor's or route's count in a 1-hour window above 3× its learned hourly
   * mean and above 30 raises an alert.
   */
  readonly baseline?: false | { readonly factor?: number; readonly minimum?: number; readonly learnMs?: number; readonly windowMs?: number };
  /** The admin routes' prefix (spikes of admin actions), default '/privacy/admin'. */
  readonly adminPath?: string;
}

/** Watches audit records as they are appended (or a whole log from the CLI), in time order. */
export interface Monitor {
  /** Feeds one record; returns the alerts it raised (usually none). Never throws for a record's content. */
  observe(record: AuditEntry): readonly Alert[];
}
