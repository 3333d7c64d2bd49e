import type { RightsRequest } from '@privacy-kit/core';
import { auditQuerySql, dueBefore, rightsRequestsQuerySql } from '@privacy-kit/core/store';

const question = () => '?';
const dollar = (n: number) => `$${n}`;

describe('auditQuerySql', () => {
  it('orders by position and filters nothing without a query', () => {
    expect(auditQuerySql({}, question)).toEqual({ sql: ' ORDER BY seq', params: [] });
  });

  it('filters by every field given, in the placeholders of the dialect', () => {
    const query = { subject: 's', actor: 'a', requestId: 'r', event: 'denied' as const, afterSeq: 3, limit: 10 };
    expect(auditQuerySql(query, dollar)).toEqual({
      sql: ' WHERE subject = $1 AND actor = $2 AND request_id = $3 AND event = $4 AND seq > $5 ORDER BY seq LIMIT $6',
      params: ['s', 'a', 'r', 'denied', 3, 10],
    });
    expect(auditQuerySql({ event: 'access', limit: 1 }, question)).toEqual({ sql: ' WHERE event = ? ORDER BY seq LIMIT ?', params: ['access', 1] });
  });
});

describe('rightsRequestsQuerySql', () => {
  it('filters by subject and any of the statuses', () => {
    expect(rightsRequestsQuerySql({ subject: 'user-1', status: ['open', 'failed'] }, dollar)).toEqual({
      sql: ' WHERE subject = $1 AND status IN ($2, $3) ORDER BY created_at, id',
      params: ['user-1', 'open', 'failed'],
    });
  });

  it('does not filter on an empty status list', () => {
    expect(rightsRequestsQuerySql({ status: [] }, question)).toEqual({ sql: ' ORDER BY created_at, id', params: [] });
  });
});

describe('dueBefore', () => {
  const request = (id: string, dueAt: string) => ({ id, dueAt }) as RightsRequest;

  it('compares instants, not strings, when offsets differ', () => {
    const requests = [request('early', '2026-01-01T01:00:00+02:00'), request('late', '2026-01-01T01:00:00+00:00')];
    expect(dueBefore(requests, '2026-01-01T00:30:00Z').map((r) => r.id)).toEqual(['early']);
  });

  it('keeps every request without an instant', () => {
    expect(dueBefore([request('a', '2026-01-01T00:00:00Z')], undefined).map((r) => r.id)).toEqual(['a']);
  });
});
