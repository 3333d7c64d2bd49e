import type { AuditQuery, RightsRequest, RightsRequestFilter } from './store-contracts';

/**
 * The placeholder of the n-th parameter of a statement (n from 1) in a store's SQL dialect.
 *
 * @example
 * const sqlite: SqlPlaceholder = () => '?';
 * const postgres: SqlPlaceholder = (n) => `$${n}`;
 */
export type SqlPlaceholder = (n: number) => string;

/** The tail of a SELECT (filter, order, limit) and its parameters, in placeholder order. */
export interface SqlSelectTail {
  /** Starts with a space: ` WHERE … ORDER BY …` (no WHERE when nothing filters). */
  readonly sql: string;
  readonly params: unknown[];
}

/** Collects conditions and their parameters, numbering placeholders as they come. */
class Conditions {
  readonly where: string[] = [];
  readonly params: unknown[] = [];
  constructor(private readonly placeholder: SqlPlaceholder) {}

  /** A parameter's placeholder; the parameter is added in order. */
  param(value: unknown): string {
    this.params.push(value);
    return this.placeholder(this.params.length);
  }

  add(condition: string): void {
    this.where.push(condition);
  }

  get clause(): string {
    return this.where.length > 0 ? ` WHERE ${this.where.join(' AND ')}` : '';
  }
}

/**
 * What follows `SELECT … FROM audit_log` for a query: its filters, seq order, and its limit.
 *
 * @param query - as given to `readAudit`
 * @param placeholder - the store's parameter syntax
 * @example
 * const tail = auditQuerySql(query, () => '?');
 * db.prepare(`SELECT ${AUDIT_COLUMN_LIST} FROM audit_log${tail.sql}`).all(tail.params);
 */
export function auditQuerySql(query: AuditQuery, placeholder: SqlPlaceholder): SqlSelectTail {
  const c = new Conditions(placeholder);
  if (query.subject !== undefined) c.add(`subject = ${c.param(query.subject)}`);
  if (query.actor !== undefined) c.add(`actor = ${c.param(query.actor)}`);
  if (query.requestId !== undefined) c.add(`request_id = ${c.param(query.requestId)}`);
  if (query.event !== undefined) c.add(`event = ${c.param(query.event)}`);
  if (query.afterSeq !== undefined) c.add(`seq > ${c.param(query.afterSeq)}`);
  const limit = query.limit === undefined ? '' : ` LIMIT ${c.param(query.limit)}`;
  return { sql: `${c.clause} ORDER BY seq${limit}`, params: c.params };
}

/**
 * What follows `SELECT … FROM rights_requests` for a filter: subject and status conditions, and the list order
 * (creation, then id). `dueBefore` is not in it: due dates carry offsets, so {@link dueBefore} compares instants
 * after reading.
 *
 * @param filter - as given to `listRightsRequests`
 * @param placeholder - the store's parameter syntax
 */
export function rightsRequestsQuerySql(filter: RightsRequestFilter, placeholder: SqlPlaceholder): SqlSelectTail {
  const c = new Conditions(placeholder);
  if (filter.subject !== undefined) c.add(`subject = ${c.param(filter.subject)}`);
  if (filter.status !== undefined && filter.status.length > 0) c.add(`status IN (${filter.status.map((s) => c.param(s)).join(', ')})`);
  return { sql: `${c.clause} ORDER BY created_at, id`, params: c.params };
}

/**
 * The requests due before an instant, comparing instants rather than strings (due dates carry offsets, so
 * `2026-01-01T01:00:00+02:00` is before `2026-01-01T00:00:00+00:00`). Without an instant, all of them.
 *
 * @param requests - the requests, in any order (kept)
 * @param instant - ISO 8601 with offset, or undefined for no filter
 */
export function dueBefore(requests: readonly RightsRequest[], instant: string | undefined): RightsRequest[] {
  if (instant === undefined) return [...requests];
  const limit = Date.parse(instant);
  return requests.filter((r) => Date.parse(r.dueAt) < limit);
}
