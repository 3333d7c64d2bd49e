import { isIsoInstant } from '../audit/iso-time';
import { PrivacyKitError } from '../errors/privacy-kit.error';
import type { ConsentAction, ConsentEvent, ConsentEventInput, ConsentState } from './store-contracts';

const ACTIONS: readonly ConsentAction[] = ['granted', 'withdrawn', 'expired'];

/**
 * Checks a consent event before any store writes it, so every store refuses the same bad input the same way.
 *
 * @param store - the store's name for the message, e.g. '@privacy-kit/sqlite'
 */
export function validateConsentEvent(event: ConsentEventInput, store: string): void {
  const problems: string[] = [];
  if (typeof event?.subject !== 'string' || event.subject === '') problems.push("'subject' must be a non-empty string (a pseudonym)");
  if (typeof event?.purpose !== 'string' || event.purpose === '') problems.push("'purpose' must be a non-empty purpose key");
  if (!ACTIONS.includes(event?.action)) problems.push(`'action' must be one of ${ACTIONS.join(', ')}`);
  if (event?.policyVersion !== null && typeof event?.policyVersion !== 'string') problems.push("'policyVersion' must be a string or null");
  if (typeof event?.method !== 'string' || event.method === '') problems.push("'method' must be a non-empty string such as 'api' or 'gpc'");
  for (const field of ['expiresAt', 'time'] as const) {
    const value = event?.[field];
    if (value != null && !isIsoInstant(value)) {
      problems.push(`'${field}' must be an ISO 8601 time with offset`);
    }
  }
  if (problems.length > 0) {
    throw new PrivacyKitError('PK_INVALID_OPTION', `${store}: refused consent event: ${problems.join('; ')}. Nothing was stored.`, { details: problems });
  }
}

/**
 * Checks the events of a consent change (`ConsentStore.recordConsentChange`) before any store writes them:
 * at least one event, each one valid.
 *
 * @param store - the store's name for the message, e.g. '@privacy-kit/sqlite'
 */
export function validateConsentEvents(events: readonly ConsentEventInput[], store: string): void {
  const list: unknown = events;
  if (!Array.isArray(list) || list.length === 0) {
    throw new PrivacyKitError('PK_INVALID_OPTION', `${store}: recordConsentChange() needs an array of at least one consent event. Nothing was stored.`);
  }
  for (const event of events) validateConsentEvent(event, store);
}

/**
 * The current state per purpose from a subject's events (oldest first): the latest event decides;
 * a grant whose `expiresAt` has passed reads as 'expired'.
 *
 * @param events - the subject's events in store order
 * @param at - the moment to evaluate, default now
 */
export function deriveConsentStates(events: readonly ConsentEvent[], at: Date = new Date()): ConsentState[] {
  const latest = new Map<string, ConsentEvent>();
  for (const event of events) latest.set(event.purpose, event);
  return [...latest.values()].map((event) => {
    const lapsed = event.action === 'granted' && event.expiresAt !== null && Date.parse(event.expiresAt) <= at.getTime();
    const status: ConsentAction = lapsed ? 'expired' : event.action;
    return {
      purpose: event.purpose,
      granted: status === 'granted',
      status,
      policyVersion: event.policyVersion,
      method: event.method,
      since: lapsed && event.expiresAt !== null ? event.expiresAt : event.time,
      expiresAt: event.expiresAt,
    };
  });
}
