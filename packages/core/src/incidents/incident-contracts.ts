import type { Alert } from '../monitoring/monitoring-contracts';

/** A scope with more subjects than this is kept in the register as counts only ({@link IncidentScope.subjectsOmitted}). */
export const STORED_SCOPE_SUBJECTS_MAX = 10_000;

/** GDPR Art. 33(1): the supervisory authority is notified within 72 hours of becoming aware of a breach. */
export const NOTIFICATION_DEADLINE_MS = 72 * 60 * 60 * 1000;

/** The status of an incident. */
export type IncidentStatus = 'open' | 'contained' | 'closed';

/** What can happen to an incident; each is one appended event, never an update. */
export type IncidentEventKind =
  /** Opened from an alert or by hand: `{ title, knownAt (when the breach became known), alert?: Alert, description? }`. */
  | 'opened'
  /** A note: `{ text }`. */
  | 'note'
  /** The scope was computed from the audit: `{ scope: IncidentScope }`. */
  | 'scope'
  /**
   * Facts for the Art. 33 draft: `{ nature?, consequences?, measures?, contact?, delayReasons?, highRisk? }`
   * (`delayReasons`: why the authority is notified after 72 hours, Art. 33(1); `highRisk`: the assessment of Art.
   * 34(1), which overrides the heuristic of `requiresSubjectNotice`).
   */
  | 'assessment'
  /** `{ status: IncidentStatus }`. */
  | 'status'
  /** The authority was notified: `{ at, reference? }`. */
  | 'authority-notified'
  /** The people affected were notified (Art. 34): `{ at, count }`. */
  | 'subjects-notified';

/** An event as appended. */
export interface IncidentEventInput {
  /** e.g. `inc-20261205-k7q2mx4a` (see `newIncidentId`). */
  readonly incidentId: string;
  readonly kind: IncidentEventKind;
  /** ISO 8601 with offset: when it was recorded. */
  readonly time: string;
  /** The pseudonym of who recorded it, or null (the CLI, the monitor). */
  readonly actor: string | null;
  /** The event's facts (JSON), as {@link IncidentEventKind} lists them; never a real identifier of a data subject. */
  readonly data: Readonly<Record<string, unknown>>;
}

/** An event as stored. */
export interface IncidentEvent extends IncidentEventInput {
  /** Position in the register, from 1. */
  readonly seq: number;
}

/**
 * The incident register: append-only (no event is ever changed or removed; the stores enforce it), read in order.
 * Implemented by the SQLite and PostgreSQL stores; every append is also audited by the caller.
 */
export interface IncidentStore {
  appendIncidentEvent(event: IncidentEventInput): Promise<IncidentEvent>;
  /** Events in seq order: every incident's, or one incident's. */
  readIncidentEvents(query?: { readonly incidentId?: string }): Promise<readonly IncidentEvent[]>;
}

/** Which audit records an incident is about. */
export interface ScopeFilter {
  readonly actor?: string;
  /** `'GET /users/:id'`. */
  readonly route?: string;
  /** ISO 8601, inclusive. */
  readonly from?: string;
  /** ISO 8601, inclusive. */
  readonly to?: string;
}

/** What an actor, a route or a window reached, computed from the audit: the first question of every incident. */
export interface IncidentScope {
  readonly filter: ScopeFilter;
  /** Allowed accesses counted (outcome records are not counted twice). */
  readonly records: number;
  /** Distinct data subjects (pseudonyms) reached. */
  readonly subjects: number;
  /** Per category: distinct subjects and records. */
  readonly categories: readonly { readonly category: string; readonly subjects: number; readonly records: number; readonly special: boolean }[];
  /** Any special category (Art. 9/10) among them. */
  readonly special: boolean;
  /** The subjects' pseudonyms, sorted (resolved to people only through the app's own sources, audited). */
  readonly subjectPseudonyms: readonly string[];
  /**
   * For each of `subjectPseudonyms` (same order), the indexes in `categories` of the categories its records touched:
   * what the Art. 34 list tells each person. Absent from scopes computed before it existed.
   */
  readonly subjectCategories?: readonly (readonly number[])[];
  /**
   * True when the register keeps only the counts of this scope, not its subjects (`subjectPseudonyms` and
   * `subjectCategories` empty): a scope of more than {@link STORED_SCOPE_SUBJECTS_MAX} subjects would make one event
   * of megabytes. The list is computed again from the audit log with `filter` (which then has an end, `to`).
   */
  readonly subjectsOmitted?: boolean;
  readonly first: string | null;
  readonly last: string | null;
}

/** The facts an 'assessment' event records; later assessments override earlier ones field by field. */
export interface IncidentAssessment {
  /** The nature of the breach, in words (Art. 33(3)(a)). */
  readonly nature?: string;
  /** Its likely consequences (Art. 33(3)(c)). */
  readonly consequences?: string;
  /** The measures taken or proposed, including to mitigate its effects (Art. 33(3)(d)). */
  readonly measures?: string;
  /** The contact point where more can be learned: the DPO or another (Art. 33(3)(b)). */
  readonly contact?: string;
  /** Why the authority is (or was) notified after the 72 hours (Art. 33(1)). */
  readonly delayReasons?: string;
  /** Whether the breach is likely to result in a high risk to the people affected (Art. 34(1)); decides over the heuristic. */
  readonly highRisk?: boolean;
}

/** An incident as its events add up. */
export interface Incident {
  readonly id: string;
  readonly title: string;
  /** When the breach became known: the 72-hour clock starts here. */
  readonly knownAt: string;
  /** knownAt + 72 h. */
  readonly deadline: string;
  readonly status: IncidentStatus;
  readonly authorityNotifiedAt: string | null;
  readonly subjectsNotifiedAt: string | null;
  readonly alert: Alert | null;
  /** The latest computed scope, if any. */
  readonly scope: IncidentScope | null;
  readonly assessment: IncidentAssessment;
  readonly events: readonly IncidentEvent[];
}
