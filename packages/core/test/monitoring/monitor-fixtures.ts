import { sampleAuditEntry } from '@privacy-kit/core/testing';
import type { AuditEntry } from '@privacy-kit/core';

/** A fixed start for generated records: Monday 2026-11-23 09:00 UTC. */
export const T0 = Date.parse('2026-11-23T09:00:00.000Z');
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

/** The record's time as the audit writes it. */
export function at(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+00:00');
}

/** A generated audit record: an allowed read of a subject's profile by default. */
export function entry(over: Partial<AuditEntry> & { readonly ms?: number } = {}): AuditEntry {
  const { ms, ...rest } = over;
  return sampleAuditEntry({
    time: at(ms ?? T0), appId: 'app-test', actor: 'psn_agent', subject: 'psn_subject', route: '/customers/:id', purposes: ['provide.service'], ...rest,
  });
}
