import { AUDIT_COLUMNS, AUDIT_COLUMN_LIST, auditRecordFromRow, auditRowValues, type AuditRow } from '@privacy-kit/core/store';
import { AUDIT_LOG_COLUMNS, sampleAuditEntry } from '@privacy-kit/core/testing';

const record = { ...sampleAuditEntry({ details: { step: 'x', n: 2 }, status: 200, durationMs: 1.5 }), seq: 7, prevMac: 'prev', mac: 'mac' };

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
    expect(values[AUDIT_COLUMNS.findIndex((c) => c.name === 'details')]).toBe('{"step":"x","n":2}');
    expect(values[AUDIT_COLUMNS.findIndex((c) => c.name === 'duration_ms')]).toBe(1.5);
  });

  it('stores absent details as null', () => {
    const { details: _details, ...withoutDetails } = record;
    expect(auditRowValues(withoutDetails)[AUDIT_COLUMNS.findIndex((c) => c.name === 'details')]).toBeNull();
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
