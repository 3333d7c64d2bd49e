import { randomUUID } from 'node:crypto';
import type { AuditRecord } from '../audit/audit-record';
import { isoTime } from '../audit/iso-time';
import type { ConsentEvent, ConsentEventInput, RightsRequest, RightsRequestStatus } from './store-contracts';

/**
 * The column layout the SQL stores share (snake_case columns). JSON columns arrive as text from SQLite and already
 * parsed from PostgreSQL (jsonb, text[]); `seq` arrives as a number or, for PostgreSQL's bigint, as a string.
 */
export interface AuditRow {
  seq: number | string; event: string; time: string; request_id: string; app_id: string; actor: string | null; subject: string | null;
  method: string | null; route: string | null; purposes: unknown; basis: string | null; categories: unknown; decision: string;
  reason: string | null; status: number | null; duration_ms: number | null; details: unknown; prev_mac: string; mac: string;
}

/** A stored consent event, as the SQL stores keep it. */
export interface ConsentRow {
  seq: number | string; id: string; subject: string; purpose: string; action: string; policy_version: string | null; method: string;
  expires_at: string | null; time: string;
}

/** The consent_events columns the stores read, in table order. */
export const CONSENT_COLUMNS = ['seq', 'id', 'subject', 'purpose', 'action', 'policy_version', 'method', 'expires_at', 'time'] as const;

/** The rights_requests columns, in table order. */
export const RIGHTS_COLUMNS = ['id', 'kind', 'subject', 'status', 'created_at', 'updated_at', 'due_at', 'steps', 'error', 'details'] as const;

/** A consent event about to be inserted: every column but `seq`, which the database assigns. */
export type NewConsentRow = Omit<ConsentRow, 'seq'>;

/** The consent_events columns a store inserts, in the order {@link consentRowValues} gives their values. */
export const CONSENT_INSERT_COLUMNS = ['id', 'subject', 'purpose', 'action', 'policy_version', 'method', 'expires_at', 'time'] as const;

/**
 * The row of a new consent event: a fresh id, the event's fields, and its time (the event's own, else `time`).
 * Validate the event first (`validateConsentEvent`).
 *
 * @param event - the event as recorded
 * @param time - the time of events that carry none; default now (give one time to every event of a change)
 */
export function newConsentRow(event: ConsentEventInput, time: string = isoTime()): NewConsentRow {
  return {
    id: randomUUID(),
    subject: event.subject,
    purpose: event.purpose,
    action: event.action,
    policy_version: event.policyVersion,
    method: event.method,
    expires_at: event.expiresAt ?? null,
    time: event.time ?? time,
  };
}

/** The values of a new consent row in {@link CONSENT_INSERT_COLUMNS} order. */
export function consentRowValues(row: NewConsentRow): [string, string, string, string, string | null, string, string | null, string] {
  return [row.id, row.subject, row.purpose, row.action, row.policy_version, row.method, row.expires_at, row.time];
}

/** A stored rights request, as the SQL stores keep it. */
export interface RightsRow {
  id: string; kind: string; subject: string; status: string; created_at: string; updated_at: string; due_at: string;
  steps: unknown; error: string | null; details: unknown;
}

/** A JSON column's value: parsed when the driver gave text, as is when it already parsed it. */
function json<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

/** Maps an audit row to its record. */
export function auditRecordFromRow(row: AuditRow): AuditRecord {
  return {
    seq: Number(row.seq),
    event: row.event as AuditRecord['event'],
    time: row.time,
    requestId: row.request_id,
    appId: row.app_id,
    actor: row.actor,
    subject: row.subject,
    method: row.method,
    route: row.route,
    purposes: json<string[]>(row.purposes),
    basis: row.basis as AuditRecord['basis'],
    categories: json<string[]>(row.categories),
    decision: row.decision as AuditRecord['decision'],
    reason: row.reason,
    status: row.status,
    durationMs: row.duration_ms,
    ...(row.details === null ? {} : { details: json<NonNullable<AuditRecord['details']>>(row.details) }),
    prevMac: row.prev_mac,
    mac: row.mac,
  };
}

/** Maps a consent row to its event. */
export function consentEventFromRow(row: ConsentRow): ConsentEvent {
  return {
    seq: Number(row.seq),
    id: row.id,
    subject: row.subject,
    purpose: row.purpose,
    action: row.action as ConsentEvent['action'],
    policyVersion: row.policy_version,
    method: row.method,
    expiresAt: row.expires_at,
    time: row.time,
  };
}

/** Maps a rights-request row to its request. */
export function rightsRequestFromRow(row: RightsRow): RightsRequest {
  return {
    id: row.id,
    kind: row.kind as RightsRequest['kind'],
    subject: row.subject,
    status: row.status as RightsRequestStatus,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    dueAt: row.due_at,
    steps: json<RightsRequest['steps']>(row.steps),
    error: row.error,
    ...(row.details === null ? {} : { details: json<Record<string, unknown>>(row.details) }),
  };
}
