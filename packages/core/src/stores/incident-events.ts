import { PrivacyKitError } from '../errors/privacy-kit.error';
import type { IncidentEvent, IncidentEventInput } from '../incidents/incident-contracts';

/** The longest incident id a store accepts, in characters. */
export const MAX_INCIDENT_ID_LENGTH = 100;

/** The largest `data` of one incident event a store accepts, as JSON text in UTF-8 bytes (1 MB). */
export const MAX_INCIDENT_DATA_BYTES = 1024 * 1024;

/**
 * An incident event as the SQL stores keep it: `data` is JSON text in SQLite and jsonb in PostgreSQL (read back as
 * an object), `seq` a bigint that pg returns as text.
 */
export interface IncidentEventRow {
  seq: number | string | bigint;
  incident_id: string;
  kind: string;
  time: string;
  actor: string | null;
  data: string | Record<string, unknown>;
}

/** The incident_events columns a store inserts, in table order (`seq` is the store's). */
export const INCIDENT_EVENT_INSERT_COLUMNS = ['incident_id', 'kind', 'time', 'actor', 'data'] as const;

/** Every incident_events column, in table order. */
export const INCIDENT_EVENT_COLUMNS = ['seq', ...INCIDENT_EVENT_INSERT_COLUMNS] as const;

/** Maps an incident_events row to the event it stores. */
export function incidentEventFromRow(row: IncidentEventRow): IncidentEvent {
  return {
    seq: Number(row.seq),
    incidentId: row.incident_id,
    kind: row.kind as IncidentEvent['kind'],
    time: row.time,
    actor: row.actor,
    data: typeof row.data === 'string' ? (JSON.parse(row.data) as Record<string, unknown>) : row.data,
  };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Checks the shape of an incident event before any store appends it (`IncidentStore.appendIncidentEvent`), so every
 * store refuses the same bad input the same way, and returns `data` as the JSON text to store. Minimal on purpose:
 * the incident model (core's incidents) checks what each kind's facts mean. Messages name the field, never its value.
 *
 * @param event - the event as given
 * @param store - the store's name for the message, e.g. '@privacy-kit/sqlite'
 * @returns the event's `data` as JSON text
 */
export function validateIncidentEventInput(event: IncidentEventInput, store: string): string {
  const problems: string[] = [];
  const input = (typeof event === 'object' && event !== null ? event : {}) as Partial<Record<keyof IncidentEventInput, unknown>>;
  if (typeof event !== 'object' || event === null) problems.push('the event must be an object { incidentId, kind, time, actor, data }');
  const id = input.incidentId;
  if (typeof id !== 'string' || id === '' || id.length > MAX_INCIDENT_ID_LENGTH) {
    problems.push(`'incidentId' must be a non-empty string of at most ${MAX_INCIDENT_ID_LENGTH} characters (e.g. inc-2026-12-05-7f3a)`);
  }
  if (typeof input.kind !== 'string' || input.kind === '') problems.push("'kind' must be a non-empty string (e.g. 'opened', 'note')");
  if (typeof input.time !== 'string' || input.time === '') problems.push("'time' must be a string (an ISO 8601 time with offset)");
  if (input.actor !== null && typeof input.actor !== 'string') problems.push("'actor' must be the recorder's pseudonym or null");
  let json: string | undefined;
  if (!isPlainObject(input.data)) {
    problems.push("'data' must be a plain object of the event's facts (JSON)");
  } else {
    try {
      json = JSON.stringify(input.data);
    } catch {
      problems.push("'data' must be serialisable as JSON (no cycles, no BigInt)");
    }
    if (json !== undefined && Buffer.byteLength(json, 'utf8') > MAX_INCIDENT_DATA_BYTES) {
      problems.push(`'data' must be at most ${MAX_INCIDENT_DATA_BYTES} bytes as JSON; keep large material (exports, lists of people) outside the register`);
    }
  }
  if (problems.length > 0 || json === undefined) {
    throw new PrivacyKitError('PK_INVALID_OPTION', `${store}: refused incident event: ${problems.join('; ')}. Nothing was stored.`, { details: problems });
  }
  return json;
}

/**
 * Checks the query of `IncidentStore.readIncidentEvents`: absent, or `{ incidentId? }` with a string id.
 *
 * @param query - as given
 * @param store - the store's name for the message
 */
export function validateIncidentEventQuery(query: { readonly incidentId?: string } | undefined, store: string): void {
  if (query === undefined) return;
  const id: unknown = (query as { incidentId?: unknown } | null)?.incidentId;
  if (typeof query !== 'object' || query === null || (id !== undefined && (typeof id !== 'string' || id === ''))) {
    throw new PrivacyKitError('PK_INVALID_OPTION', `${store}: refused readIncidentEvents() query: give {} for every incident or { incidentId } (a non-empty string) for one.`);
  }
}
