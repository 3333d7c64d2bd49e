import {
  CONSENT_INSERT_COLUMNS, auditRecordFromRow, consentEventFromRow, consentRowValues, newConsentRow, rightsRequestFromRow, type AuditRow, type RightsRow,
} from '@privacy-kit/core/store';

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


const auditRow = (overrides: Partial<AuditRow> = {}): AuditRow => ({
  seq: 7, event: 'access', time: '2026-01-01T00:00:00.000+00:00', request_id: 'request-1', app_id: 'shop', actor: 'psn_actor', subject: 'psn_subject',
  method: 'GET', route: '/me', purposes: '["essential.service"]', basis: 'contract', categories: '["user.name"]', decision: 'allowed',
  reason: null, status: 200, duration_ms: 1.5, details: null, prev_mac: 'prev', mac: 'mac', ...overrides,
});

describe('auditRecordFromRow', () => {
  it('maps the snake_case columns to the record, parsing JSON columns given as text (SQLite)', () => {
    expect(auditRecordFromRow(auditRow())).toEqual({
      seq: 7, event: 'access', time: '2026-01-01T00:00:00.000+00:00', requestId: 'request-1', appId: 'shop', actor: 'psn_actor', subject: 'psn_subject',
      method: 'GET', route: '/me', purposes: ['essential.service'], basis: 'contract', categories: ['user.name'], decision: 'allowed',
      reason: null, status: 200, durationMs: 1.5, prevMac: 'prev', mac: 'mac',
    });
  });

  it('takes JSON columns the driver already parsed as they are (PostgreSQL jsonb, text[])', () => {
    const record = auditRecordFromRow(auditRow({ purposes: ['essential.service'], categories: ['user.name'], details: { source: 'orders' } }));
    expect([record.purposes, record.categories, record.details]).toEqual([['essential.service'], ['user.name'], { source: 'orders' }]);
  });

  it("reads a bigint seq the driver gives as a string as a number", () => {
    expect(auditRecordFromRow(auditRow({ seq: '9007199254740991' })).seq).toBe(9007199254740991);
  });

  it('has no details key when the column is null, and parses details given as text', () => {
    expect('details' in auditRecordFromRow(auditRow())).toBe(false);
    expect(auditRecordFromRow(auditRow({ details: '{"removed":2}' })).details).toEqual({ removed: 2 });
  });
});

describe('consentEventFromRow', () => {
  it('maps the snake_case columns to the event', () => {
    expect(consentEventFromRow({
      seq: '3', id: 'event-3', subject: 'psn_subject', purpose: 'personalize.content', action: 'granted', policy_version: '2026-01', method: 'gpc',
      expires_at: null, time: '2026-01-01T00:00:00.000+00:00',
    })).toEqual({
      seq: 3, id: 'event-3', subject: 'psn_subject', purpose: 'personalize.content', action: 'granted', policyVersion: '2026-01', method: 'gpc',
      expiresAt: null, time: '2026-01-01T00:00:00.000+00:00',
    });
  });
});

describe('rightsRequestFromRow', () => {
  const row: RightsRow = {
    id: 'request-1', kind: 'erasure', subject: 'psn_subject', status: 'pending', created_at: '2026-01-01T00:00:00Z', updated_at: '2026-01-02T00:00:00Z',
    due_at: '2026-02-01T00:00:00Z', steps: '[{"source":"orders","status":"pending"}]', error: null, details: null,
  };

  it('maps the columns, parsing the steps', () => {
    expect(rightsRequestFromRow(row)).toEqual({
      id: 'request-1', kind: 'erasure', subject: 'psn_subject', status: 'pending', createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-02T00:00:00Z',
      dueAt: '2026-02-01T00:00:00Z', steps: [{ source: 'orders', status: 'pending' }], error: null,
    });
  });

  it('keeps details when the column has them', () => {
    expect(rightsRequestFromRow({ ...row, details: { subjectId: 'user-1' } }).details).toEqual({ subjectId: 'user-1' });
  });
});
