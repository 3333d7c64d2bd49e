import { isoTime } from '../audit/iso-time';
import { coreError } from '../errors/core.error';
import type { Alert } from '../monitoring/monitoring-contracts';
import {
  NOTIFICATION_DEADLINE_MS,
  type Incident,
  type IncidentAssessment,
  type IncidentEvent,
  type IncidentScope,
  type IncidentStatus,
} from './incident-contracts';
import { checkEventData } from './incident-events';
import { kindOf } from './incident-checks';

/** Where an incident stands against the 72 hours of GDPR Art. 33(1). */
export interface IncidentClock {
  /** knownAt + 72 h. */
  readonly deadline: string;
  /** Milliseconds from now to the deadline; negative once it has passed (whether or not the authority was notified). */
  readonly remainingMs: number;
  /** The deadline has passed and the authority is not notified. Never true once it is. */
  readonly overdue: boolean;
  /** The authority was notified after the deadline: the notification needs reasons for the delay (Art. 33(1)). */
  readonly late: boolean;
  /** When the authority was (first) notified, or null. */
  readonly notifiedAt: string | null;
}

function fail(problem: string): never {
  throw coreError('PK_INVALID_OPTION', `foldIncident(): ${problem}`);
}

/**
 * What one incident's events add up to. The events are taken in seq order; the first must be 'opened' and no later
 * one may be. The status is the latest 'status' event's (open until one is appended; an incident can be opened
 * again), the deadline knownAt + 72 h, the notifications the first of each kind (later ones supplement it, Art.
 * 33(4)), the scope the latest computed, the assessment every 'assessment' merged field by field (later wins).
 * Each event's data is checked as {@link checkIncidentEvent} checks it, so a register that was written around the
 * checks is reported, not folded into nonsense.
 *
 * @param events - every event of one incident (as `readIncidentEvents({ incidentId })` returns them)
 * @throws PrivacyKitError PK_INVALID_OPTION when the events are not one well-formed incident
 * @example
 * const incident = foldIncident(await store.readIncidentEvents({ incidentId }));
 */
export function foldIncident(events: readonly IncidentEvent[]): Incident {
  if (events.length === 0) fail('no events; an incident starts with an \'opened\' event.');
  const ordered = [...events].sort((a, b) => a.seq - b.seq);
  const first = ordered[0] as IncidentEvent;
  const id = first.incidentId;
  if (first.kind !== 'opened') fail(`incident ${id} starts with a '${first.kind}' event (seq ${first.seq}); its first event must be 'opened'.`);
  let title = '';
  let knownAt = '';
  let alert: Alert | null = null;
  let status: IncidentStatus = 'open';
  let authorityNotifiedAt: string | null = null;
  let subjectsNotifiedAt: string | null = null;
  let scope: IncidentScope | null = null;
  let assessment: IncidentAssessment = {};
  for (const event of ordered) {
    if (event.incidentId !== id) fail(`events of more than one incident (${id} and another, seq ${event.seq}); pass one incident's events, or use listIncidents().`);
    checkEventData(event.kind, event.data, `foldIncident(): event ${event.seq} of ${id}`);
    const data = event.data;
    switch (event.kind) {
      case 'opened':
        if (event !== first) fail(`incident ${id} has a second 'opened' event (seq ${event.seq}); an incident is opened once.`);
        title = data.title as string;
        knownAt = data.knownAt as string;
        alert = (data.alert as Alert | undefined) ?? null;
        break;
      case 'status':
        status = data.status as IncidentStatus;
        break;
      case 'scope':
        scope = data.scope as IncidentScope;
        break;
      case 'assessment':
        assessment = { ...assessment, ...(data as IncidentAssessment) };
        break;
      case 'authority-notified':
        authorityNotifiedAt ??= data.at as string;
        break;
      case 'subjects-notified':
        subjectsNotifiedAt ??= data.at as string;
        break;
      case 'note':
        break;
    }
  }
  return {
    id,
    title,
    knownAt,
    deadline: isoTime(new Date(Date.parse(knownAt) + NOTIFICATION_DEADLINE_MS)),
    status,
    authorityNotifiedAt,
    subjectsNotifiedAt,
    alert,
    scope,
    assessment,
    events: ordered,
  };
}

/**
 * Where an incident stands against its deadline at `now`: overdue when the authority is not notified and `now` is
 * after the deadline (at the deadline itself it is not); once notified it is never overdue, and a notification
 * after the deadline is reported as `late`.
 *
 * @param incident - from {@link foldIncident}
 * @param now - the present
 * @example
 * if (incidentClock(incident, new Date()).overdue) alertTheDpo(incident.id);
 */
export function incidentClock(incident: Incident, now: Date): IncidentClock {
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) {
    throw coreError('PK_INVALID_OPTION', `incidentClock(): 'now' must be a valid Date; got ${kindOf(now)}.`);
  }
  const deadline = Date.parse(incident.deadline);
  const notifiedAt = incident.authorityNotifiedAt;
  return {
    deadline: incident.deadline,
    remainingMs: deadline - now.getTime(),
    overdue: notifiedAt === null && now.getTime() > deadline,
    late: notifiedAt !== null && Date.parse(notifiedAt) > deadline,
    notifiedAt,
  };
}

/**
 * Every incident of a register, newest opened first (by the seq of its 'opened' event).
 *
 * @param events - the whole register (as `readIncidentEvents()` returns it)
 * @throws PrivacyKitError PK_INVALID_OPTION when an incident's events are not well formed (see {@link foldIncident})
 * @example
 * for (const incident of listIncidents(await store.readIncidentEvents())) console.log(incident.id, incident.status);
 */
export function listIncidents(events: readonly IncidentEvent[]): Incident[] {
  const byIncident = new Map<string, IncidentEvent[]>();
  for (const event of events) {
    const list = byIncident.get(event.incidentId);
    if (list === undefined) byIncident.set(event.incidentId, [event]);
    else list.push(event);
  }
  return [...byIncident.values()].map(foldIncident).sort((a, b) => (b.events[0]?.seq ?? 0) - (a.events[0]?.seq ?? 0));
}
