import { randomBytes } from 'node:crypto';
import { coreError } from '../errors/core.error';
import { defineOptionKeys } from '../errors/option-keys';
import type { Alert } from '../monitoring/monitoring-contracts';
import { MONITORING_RULES } from '../monitoring/monitoring-contracts';
import type { IncidentAssessment, IncidentEventInput, IncidentEventKind, IncidentStatus } from './incident-contracts';
import {
  MAX_TITLE_LENGTH,
  checkCount,
  checkKeys,
  checkObject,
  checkOneOf,
  checkScopeShape,
  checkText,
  checkTime,
  fieldError,
  kindOf,
} from './incident-checks';

/** Every {@link IncidentEventKind}, in the order an incident usually goes through them. */
export const INCIDENT_EVENT_KINDS: readonly IncidentEventKind[] = ['opened', 'note', 'scope', 'assessment', 'status', 'authority-notified', 'subjects-notified'];
/** Every {@link IncidentStatus}, in order. */
export const INCIDENT_STATUSES: readonly IncidentStatus[] = ['open', 'contained', 'closed'];

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';
const INCIDENT_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const EVENT_KEYS = defineOptionKeys<IncidentEventInput>({ incidentId: true, kind: true, time: true, actor: true, data: true });
const ASSESSMENT_KEYS = defineOptionKeys<IncidentAssessment>({ nature: true, consequences: true, measures: true, contact: true, delayReasons: true, highRisk: true });
const DATA_KEYS: Record<IncidentEventKind, readonly string[]> = {
  opened: ['title', 'knownAt', 'alert', 'description'],
  note: ['text'],
  scope: ['scope'],
  assessment: ASSESSMENT_KEYS,
  status: ['status'],
  'authority-notified': ['at', 'reference'],
  'subjects-notified': ['at', 'count'],
};

/**
 * A new incident id: `inc-YYYYMMDD-` (the UTC date of `now`) and 8 random base32 characters (40 bits), e.g.
 * `inc-20261205-k7q2mx4a`. Sortable by day, unguessable enough that ids do not enumerate the register.
 *
 * @param now - when the incident is opened
 * @example
 * newIncidentId(new Date()); // 'inc-20261205-k7q2mx4a'
 */
export function newIncidentId(now: Date): string {
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) {
    throw coreError('PK_INVALID_OPTION', `newIncidentId(): 'now' must be a valid Date; got ${kindOf(now)}.`);
  }
  const day = now.toISOString().slice(0, 10).replace(/-/g, '');
  const bytes = randomBytes(5);
  let bits = 0;
  let value = 0;
  let suffix = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      suffix += BASE32[(value >>> bits) & 31];
    }
  }
  return `inc-${day}-${suffix}`;
}

function checkAlert(value: unknown, where: string): Alert {
  const alert = checkObject(value, 'data.alert', where);
  checkText(alert.id, 'data.alert.id', where, MAX_TITLE_LENGTH);
  checkOneOf(alert.rule, MONITORING_RULES, 'data.alert.rule', where);
  for (const key of ['actor', 'route'] as const) {
    if (alert[key] !== null && typeof alert[key] !== 'string') throw fieldError(where, `'data.alert.${key}' must be a text or null; got ${kindOf(alert[key])}.`);
  }
  const window = checkObject(alert.window, 'data.alert.window', where);
  checkTime(window.from, 'data.alert.window.from', where);
  checkTime(window.to, 'data.alert.window.to', where);
  for (const key of ['count', 'threshold'] as const) {
    if (typeof alert[key] !== 'number' || !Number.isFinite(alert[key])) throw fieldError(where, `'data.alert.${key}' must be a number; got ${kindOf(alert[key])}.`);
  }
  checkText(alert.explanation, 'data.alert.explanation', where);
  checkTime(alert.time, 'data.alert.time', where);
  checkObject(alert.query, 'data.alert.query', where);
  if (typeof alert.command !== 'string') throw fieldError(where, `'data.alert.command' must be a text; got ${kindOf(alert.command)}.`);
  if (!Array.isArray(alert.categories) || !alert.categories.every((c) => typeof c === 'string')) {
    throw fieldError(where, `'data.alert.categories' must be a list of category keys; got ${kindOf(alert.categories)}.`);
  }
  return alert as unknown as Alert;
}

/**
 * Checks the data of one event of `kind` (as {@link IncidentEventKind} lists it). With `now`, times that happened
 * (knownAt, notified at) may not be more than a minute in the future; a fold of stored events leaves it out.
 *
 * @internal shared by {@link checkIncidentEvent} and the fold
 */
export function checkEventData(kind: IncidentEventKind, value: unknown, where: string, now?: Date): void {
  const data = checkObject(value, 'data', where);
  checkKeys(data, DATA_KEYS[kind], `${where} ('${kind}' data)`);
  switch (kind) {
    case 'opened':
      checkText(data.title, 'data.title', where, MAX_TITLE_LENGTH);
      checkTime(data.knownAt, 'data.knownAt', where, now);
      if (data.alert !== undefined) checkAlert(data.alert, where);
      if (data.description !== undefined) checkText(data.description, 'data.description', where);
      return;
    case 'note':
      checkText(data.text, 'data.text', where);
      return;
    case 'scope':
      checkScopeShape(data.scope, 'data.scope', where);
      return;
    case 'assessment':
      if (ASSESSMENT_KEYS.every((key) => data[key] === undefined)) {
        throw fieldError(where, `'assessment' data needs at least one of ${ASSESSMENT_KEYS.join(', ')}.`);
      }
      for (const key of ASSESSMENT_KEYS) {
        if (key === 'highRisk') {
          if (data.highRisk !== undefined && typeof data.highRisk !== 'boolean') throw fieldError(where, `'data.highRisk' must be true or false; got ${kindOf(data.highRisk)}.`);
        } else if (data[key] !== undefined) {
          checkText(data[key], `data.${key}`, where);
        }
      }
      return;
    case 'status':
      checkOneOf(data.status, INCIDENT_STATUSES, 'data.status', where);
      return;
    case 'authority-notified':
      checkTime(data.at, 'data.at', where, now);
      if (data.reference !== undefined) checkText(data.reference, 'data.reference', where, MAX_TITLE_LENGTH);
      return;
    case 'subjects-notified':
      checkTime(data.at, 'data.at', where, now);
      checkCount(data.count, 'data.count', where);
      return;
  }
}

/**
 * Checks an event before it is appended to the register: a known kind, an ISO time, an actor pseudonym or null,
 * and the data each kind takes (see {@link IncidentEventKind}). Times that happened (`knownAt`, `at`) may be at most
 * a minute after `now`. Only shapes are checked: titles, notes and assessments are free text written by admins
 * (they should name people by pseudonym only; nothing here can tell). Messages name the field and what it takes,
 * never the text given.
 *
 * @param input - the event as given (e.g. built from a request body)
 * @param now - the present, for the "not in the future" checks; default the clock
 * @returns the event, typed
 * @throws PrivacyKitError PK_INVALID_OPTION naming the field
 * @example
 * await store.appendIncidentEvent(checkIncidentEvent({ incidentId, kind: 'status', time: isoTime(), actor, data: { status: 'contained' } }));
 */
export function checkIncidentEvent(input: unknown, now: Date = new Date()): IncidentEventInput {
  const where = 'checkIncidentEvent()';
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw fieldError(where, `the event must be an object { incidentId, kind, time, actor, data }; got ${kindOf(input)}.`);
  }
  const event = input as Record<string, unknown>;
  checkKeys(event, EVENT_KEYS, where);
  if (typeof event.incidentId !== 'string' || !INCIDENT_ID.test(event.incidentId)) {
    throw fieldError(where, `'incidentId' must be 1 to 128 letters, digits, '.', '-' or '_' (see newIncidentId()); got ${kindOf(event.incidentId)}.`);
  }
  const kind = checkOneOf(event.kind, INCIDENT_EVENT_KINDS, 'kind', where);
  checkTime(event.time, 'time', where);
  if (event.actor !== null && (typeof event.actor !== 'string' || event.actor === '')) {
    throw fieldError(where, `'actor' must be a pseudonym or null (the CLI, the monitor); got ${kindOf(event.actor)}.`);
  }
  checkEventData(kind, event.data, where, now);
  return event as unknown as IncidentEventInput;
}
