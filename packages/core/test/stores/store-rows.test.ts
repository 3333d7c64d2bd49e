import { CONSENT_INSERT_COLUMNS, consentRowValues, newConsentRow } from '@privacy-kit/core/store';

describe('newConsentRow', () => {
  const grant = { subject: 'psn_a', purpose: 'personalize.content', action: 'granted', policyVersion: 'v1', method: 'api' } as const;

  it('gives a new event a fresh id, null for absent optional fields, and the time given', () => {
    const row = newConsentRow(grant, '2026-01-01T00:00:00.000+00:00');
    expect(row).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/), subject: 'psn_a', purpose: 'personalize.content', action: 'granted',
      policy_version: 'v1', method: 'api', expires_at: null, time: '2026-01-01T00:00:00.000+00:00',
    });
    expect(newConsentRow(grant).id).not.toBe(row.id);
  });

  it("keeps the event's own time and expiry", () => {
    const row = newConsentRow({ ...grant, time: '2025-05-05T05:05:05.000+02:00', expiresAt: '2027-01-01T00:00:00.000+00:00' }, '2026-01-01T00:00:00.000+00:00');
    expect([row.time, row.expires_at]).toEqual(['2025-05-05T05:05:05.000+02:00', '2027-01-01T00:00:00.000+00:00']);
  });

  it('lists its values in insert column order', () => {
    const row = newConsentRow(grant);
    expect(consentRowValues(row)).toEqual(CONSENT_INSERT_COLUMNS.map((c) => row[c]));
  });
});
