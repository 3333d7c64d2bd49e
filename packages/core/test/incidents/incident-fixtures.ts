import { sampleAuditEntry } from '@privacy-kit/core/testing';
import type { Alert, AuditEntry, IncidentEvent, IncidentEventKind } from '@privacy-kit/core';

// Builders of incident events, audit entries and alerts for the incident tests: generated pseudonyms only.

export const INCIDENT_ID = 'inc-20261205-abcdefgh';
export const KNOWN_AT = '2026-12-05T09:00:00.000+00:00';
export const HOUR_MS = 60 * 60 * 1000;

/** `at` plus `ms`, as an ISO time with offset. */
export function plus(at: string, ms: number): string {
  return `${new Date(Date.parse(at) + ms).toISOString().slice(0, -1)}+00:00`;
}

/** One incident's events in seq order, the first given ones first; each `[kind, data]`. */
export function eventsOf(steps: readonly (readonly [IncidentEventKind, Record<string, unknown>])[], id = INCIDENT_ID, firstSeq = 1): IncidentEvent[] {
  return steps.map(([kind, data], i) => ({ incidentId: id, kind, time: plus(KNOWN_AT, i * 1000), actor: 'psn_admin', data, seq: firstSeq + i }));
}

/** The 'opened' step of an incident known at `knownAt`. */
export function opened(knownAt = KNOWN_AT, extra: Record<string, unknown> = {}): readonly [IncidentEventKind, Record<string, unknown>] {
  return ['opened', { title: 'Support account read many profiles', knownAt, ...extra }];
}

/** An alert as the monitor raises it. */
export function sampleAlert(): Alert {
  return {
    id: 'alert-massAccess-psn_support-1',
    rule: 'massAccess',
    actor: 'psn_support',
    route: 'GET /users/:id',
    window: { from: '2026-12-05T08:00:00.000+00:00', to: '2026-12-05T08:10:00.000+00:00' },
    count: 63,
    threshold: 50,
    explanation: 'psn_support reached 63 distinct subjects in 10 min (threshold 50) on GET /users/:id',
    query: { actor: 'psn_support', route: 'GET /users/:id', from: '2026-12-05T08:00:00.000+00:00', to: '2026-12-05T08:10:00.000+00:00' },
    command: 'privacy-kit incidents scope --actor psn_support --from 2026-12-05T08:00:00.000+00:00 --to 2026-12-05T08:10:00.000+00:00',
    time: '2026-12-05T08:09:59.000+00:00',
    categories: ['user.contact.email', 'user.name'],
  };
}

/** An audit entry; an allowed access of `subject` by `actor` on GET /users/:id unless `over` says otherwise. */
export function entry(over: Partial<AuditEntry> = {}): AuditEntry {
  return sampleAuditEntry({
    time: '2026-12-05T08:00:00.000+00:00', requestId: 'req-1', appId: 'app-test', actor: 'psn_support', subject: 'psn_subject_1',
    route: '/users/:id', purposes: ['essential.service.operations.support'], ...over,
  });
}

/** The error a function throws, as code and message (fails the test if it does not throw). */
export function errorOf(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (err) {
    const e = err as { code?: string; message: string };
    return { code: e.code ?? 'none', message: e.message };
  }
  throw new Error('expected an error');
}
