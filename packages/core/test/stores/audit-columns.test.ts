import { AUDIT_COLUMNS, AUDIT_COLUMN_LIST, auditRecordFromRow, auditRowValues, type AuditRow } from '@privacy-kit/core/store';
import { AUDIT_LOG_COLUMNS, sampleAuditEntry } from '@privacy-kit/core/testing';

// Every field distinct, so a value in the wrong column cannot go unnoticed.
const record = {
  ...sampleAuditEntry({
    event: 'denied', time: '2026-01-01T00:00:00.000+00:00', requestId: 'req-1', appId: 'app-1', actor: 'psn_actor', subject: 'psn_subject',
    method: 'GET', route: '/me', purposes: ['essential.service'], basis: 'contract', categories: ['user.name'], decision: 'denied',
    reason: 'forbidden', status: 403, durationMs: 1.5, details: { step: 'x', n: 2 },
  }),
  seq: 7, prevMac: 'prev', mac: 'mac',
};

describe('the audit_log column table', () => {
  it('names every column once, in table order', () => {
    expect(AUDIT_COLUMN_LIST).toBe(
      'seq, event, time, request_id, app_id, actor, subject, method, route, purposes, basis, categories, decision, reason, status, duration_ms, details, prev_mac, mac',
    );
  });

  it('marks exactly the JSON columns', () => {
    expect(AUDIT_COLUMNS.filter((c) => c.json).map((c) => c.name)).toEqual(['purposes', 'categories', 'details']);
  });

  it('gives a record\'s values in column order, JSON columns through the encoder', () => {
    const values = auditRowValues(record, JSON.stringify);
    expect(values).toHaveLength(AUDIT_COLUMNS.length);
    expect(values[0]).toBe(7);
    expect(values[AUDIT_COLUMNS.findIndex((c) => c.name === 'purposes')]).toBe('["essential.service"]');
    expect(values[AUDIT_COLUMNS.findIndex((c) => c.name === 'categories')]).toBe('["user.name"]');
    expect(values[AUDIT_COLUMNS.findIndex((c) => c.name === 'details')]).toBe('{"step":"x","n":2}');
    expect(values[AUDIT_COLUMNS.findIndex((c) => c.name === 'duration_ms')]).toBe(1.5);
  });

  it('stores absent details as null', () => {
    const { details: _details, ...withoutDetails } = record;
    expect(auditRowValues(withoutDetails)[AUDIT_COLUMNS.findIndex((c) => c.name === 'details')]).toBeNull();
  });

  it('gives every value under the column the table names for it', () => {
    const values = auditRowValues(record);
    AUDIT_COLUMNS.forEach((column, i) => expect([column.name, values[i]]).toEqual([column.name, record[column.field]]));
  });

  it('reads back the record from the row its values make', () => {
    const values = auditRowValues(record, JSON.stringify);
    const row = Object.fromEntries(AUDIT_COLUMNS.map((c, i) => [c.name, values[i]])) as unknown as AuditRow;
    expect(auditRecordFromRow(row)).toEqual(record);
  });

  it('gives the testing helpers the column of each entry field', () => {
    expect(AUDIT_LOG_COLUMNS.requestId).toEqual({ column: 'request_id', json: false });
    expect(AUDIT_LOG_COLUMNS.categories).toEqual({ column: 'categories', json: true });
    expect(Object.keys(AUDIT_LOG_COLUMNS)).toHaveLength(16);
  });
});
