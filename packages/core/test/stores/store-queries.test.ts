import type { RightsRequest } from '@privacy-kit/core';
import { auditQuerySql, dueBefore, rightsRequestsQuerySql, validateAuditQuery } from '@privacy-kit/core/store';

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

describe('auditQuerySql with the filters of issue 18', () => {
  const instant = (e: string) => `ts(${e})`;

  it('filters by method, route, decision and a window compared through the store\'s instant, before the position', () => {
    const query = { actor: 'a', method: 'GET', route: '/users/:id', decision: 'allowed' as const, from: '2026-01-01T00:00:00Z', to: '2026-01-02T00:00:00Z', afterSeq: 5, limit: 10 };
    expect(auditQuerySql(query, dollar, instant)).toEqual({
      sql: ' WHERE actor = $1 AND method = $2 AND route = $3 AND decision = $4 AND ts(time) >= ts($5) AND ts(time) <= ts($6) AND seq > $7 ORDER BY seq LIMIT $8',
      params: ['a', 'GET', '/users/:id', 'allowed', '2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z', 5, 10],
    });
  });

  it('refuses a window without the store\'s instant comparison (text would not order as instants)', () => {
    expect(() => auditQuerySql({ from: '2026-01-01T00:00:00Z' }, question)).toThrow(expect.objectContaining({ code: 'PK_INVALID_OPTION' }));
  });
});

describe('validateAuditQuery', () => {
  it('accepts the new filters well formed, and a query without them', () => {
    expect(() => validateAuditQuery({ from: '2026-01-01T10:00:00.123+02:00', to: '2026-01-01T10:00:00Z', method: 'GET', route: '/x', decision: 'denied' }, '@privacy-kit/test')).not.toThrow();
    expect(() => validateAuditQuery({ subject: 's', afterSeq: 3, limit: 1 }, '@privacy-kit/test')).not.toThrow();
  });

  it('names every bad filter in one PK_INVALID_OPTION, without the values', () => {
    let error: unknown;
    try {
      validateAuditQuery({ from: 'secret-ish', route: '', decision: 'maybe' as never }, '@privacy-kit/test');
    } catch (e) {
      error = e;
    }
    expect(error).toEqual(expect.objectContaining({ code: 'PK_INVALID_OPTION', message: expect.stringMatching(/^@privacy-kit\/test: [\s\S]*'from'[\s\S]*'route'[\s\S]*'decision'/) }));
    expect((error as Error).message).not.toContain('secret-ish');
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
