import type { AuditHeadRow } from '../audit/audit-rows';
import type { AuditRow } from '../stores/store-rows';

/**
 * The fixed key of privacy-kit's test vectors and fixtures: the bytes 0, 1, …, 31. Public on purpose; never use
 * it for anything but tests.
 */
export function testVectorKey(): Buffer {
  return Buffer.from(Array.from({ length: 32 }, (_, i) => i));
}

/**
 * An audit log exactly as the first release of the SQL stores wrote it (format 1: records plus a head that signs
 * only `(seq, mac)`), keyed with {@link testVectorKey}. Written once and never regenerated: it proves that logs
 * written by earlier versions still verify, and that a store opening such a log goes on appending to it.
 * JSON columns hold text, as SQLite keeps them.
 */
export const V1_AUDIT_FIXTURE: { readonly rows: readonly Readonly<AuditRow>[]; readonly head: Readonly<AuditHeadRow> } = Object.freeze({
  rows: Object.freeze([
    {
      seq: 1, event: 'access', time: '2025-06-01T09:00:00.000+00:00', request_id: 'req-v1-1', app_id: 'v1-fixture',
      actor: 'psn_fixtureactor0000000000', subject: 'psn_fixturesubject00000000', method: 'GET', route: '/me/profile',
      purposes: '["essential.service"]', basis: 'contract', categories: '["user.name"]', decision: 'allowed', reason: null,
      status: null, duration_ms: null, details: null,
      prev_mac: '', mac: 'bzi9k0qFAiR8QjZeTP26ECtwWEGF_ola_f6CR9p5BVA',
    },
    {
      seq: 2, event: 'outcome', time: '2025-06-01T09:00:00.012+00:00', request_id: 'req-v1-1', app_id: 'v1-fixture',
      actor: 'psn_fixtureactor0000000000', subject: 'psn_fixturesubject00000000', method: 'GET', route: '/me/profile',
      purposes: '["essential.service"]', basis: 'contract', categories: '["user.name"]', decision: 'allowed', reason: null,
      status: 200, duration_ms: 11.5, details: null,
      prev_mac: 'bzi9k0qFAiR8QjZeTP26ECtwWEGF_ola_f6CR9p5BVA', mac: 'zRdmLkZy65CqHqY5jl36xiOGMp4m6zs4Xm1pQbNfH2A',
    },
    {
      seq: 3, event: 'denied', time: '2025-06-01T09:01:00.000+00:00', request_id: 'req-v1-2', app_id: 'v1-fixture',
      actor: null, subject: null, method: 'GET', route: '/me/profile',
      purposes: '["personalize.content"]', basis: 'consent', categories: '["user.behavior.browsing_history"]', decision: 'denied',
      reason: 'consent_required', status: 403, duration_ms: 0.8, details: null,
      prev_mac: 'zRdmLkZy65CqHqY5jl36xiOGMp4m6zs4Xm1pQbNfH2A', mac: 'hHaq8kdNGzkVhn6B71X275Z39TTnKUuNr0z4ZWJW0Ts',
    },
    {
      seq: 4, event: 'consent', time: '2025-06-01T09:02:00.000+00:00', request_id: 'req-v1-3', app_id: 'v1-fixture',
      actor: 'psn_fixtureactor0000000000', subject: 'psn_fixturesubject00000000', method: 'PUT', route: '/privacy/me/consents/:purpose',
      purposes: '["personalize.content"]', basis: 'consent', categories: '[]', decision: 'allowed', reason: null,
      status: null, duration_ms: null, details: '{"action":"granted","policyVersion":"v1"}',
      prev_mac: 'hHaq8kdNGzkVhn6B71X275Z39TTnKUuNr0z4ZWJW0Ts', mac: '0NiYLsEfBixSfGVxbWP6OXfr98r3-fwzdpg5BrlC6gM',
    },
    {
      seq: 5, event: 'rights', time: '2025-06-01T09:03:00.000+00:00', request_id: 'req-v1-4', app_id: 'v1-fixture',
      actor: 'psn_fixtureactor0000000000', subject: 'psn_fixturesubject00000000', method: 'POST', route: '/privacy/me/export',
      purposes: '["essential.service"]', basis: 'legal_obligation', categories: '[]', decision: 'allowed', reason: null,
      status: null, duration_ms: null, details: '{"kind":"export","step":"completed","sources":2}',
      prev_mac: '0NiYLsEfBixSfGVxbWP6OXfr98r3-fwzdpg5BrlC6gM', mac: '_5duBV_mNb_8CWC0UCOV0flU47098ByDROoaK1lpz8s',
    },
  ]),
  head: Object.freeze({ seq: 5, mac: '_5duBV_mNb_8CWC0UCOV0flU47098ByDROoaK1lpz8s', head_mac: '_WYv2MjxsfMhK0A55i5RGUSzV7YF8yVb0MAxYgJQKAw' }),
});
