import { isIsoInstant } from '../audit/iso-time';
import { PrivacyKitError } from '../errors/privacy-kit.error';
import type { AuditQuery, RightsRequest, RightsRequestFilter } from './store-contracts';

const DECISIONS: ReadonlySet<unknown> = new Set(['allowed', 'denied']);

/**
 * The placeholder of the n-th parameter of a statement (n from 1) in a store's SQL dialect.
 *
 * @example
 * const sqlite: SqlPlaceholder = () => '?';
 * const postgres: SqlPlaceholder = (n) => `$${n}`;
 */
export type SqlPlaceholder = (n: number) => string;

/**
 * Turns an SQL expression holding an ISO 8601 time with offset (the `time` column, or a parameter) into one that
 * compares as the instant it names, in a store's SQL dialect; applied alike to the column and to the bound value.
 *
 * @example
 * const sqlite: SqlInstant = (e) => `strftime('%Y-%m-%dT%H:%M:%f', ${e})`; // UTC text, to the millisecond
 * const postgres: SqlInstant = (e) => `(${e})::timestamptz`;
 */
export type SqlInstant = (expression: string) => string;

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
 * Check the query first with {@link validateAuditQuery}.
 *
 * @param query - as given to `readAudit`
 * @param placeholder - the store's parameter syntax
 * @param instant - how the store compares ISO 8601 times as instants; needed when the query has `from` or `to`
 * @example
 * const tail = auditQuerySql(query, () => '?', (e) => `strftime('%Y-%m-%dT%H:%M:%f', ${e})`);
 * db.prepare(`SELECT ${AUDIT_COLUMN_LIST} FROM audit_log${tail.sql}`).all(tail.params);
 */
export function auditQuerySql(query: AuditQuery, placeholder: SqlPlaceholder, instant?: SqlInstant): SqlSelectTail {
  const c = new Conditions(placeholder);
  if (query.subject !== undefined) c.add(`subject = ${c.param(query.subject)}`);
  if (query.actor !== undefined) c.add(`actor = ${c.param(query.actor)}`);
  if (query.requestId !== undefined) c.add(`request_id = ${c.param(query.requestId)}`);
  if (query.event !== undefined) c.add(`event = ${c.param(query.event)}`);
  if (query.method !== undefined) c.add(`method = ${c.param(query.method)}`);
  if (query.route !== undefined) c.add(`route = ${c.param(query.route)}`);
  if (query.decision !== undefined) c.add(`decision = ${c.param(query.decision)}`);
  if (query.from !== undefined || query.to !== undefined) {
    // Times carry offsets: compared as text they would not order as instants, so a store must say how it compares.
    if (instant === undefined) throw new PrivacyKitError('PK_INVALID_OPTION', 'auditQuerySql(): a query with from or to needs the store\'s instant comparison (the third argument); this is a bug of the store.');
    // No index on time (it would be written on every append, on the request path): a window is a scan by seq.
    if (query.from !== undefined) c.add(`${instant('time')} >= ${instant(c.param(query.from))}`);
    if (query.to !== undefined) c.add(`${instant('time')} <= ${instant(c.param(query.to))}`);
  }
  if (query.afterSeq !== undefined) c.add(`seq > ${c.param(query.afterSeq)}`);
  const limit = query.limit === undefined ? '' : ` LIMIT ${c.param(query.limit)}`;
  return { sql: `${c.clause} ORDER BY seq${limit}`, params: c.params };
}

/**
 * Checks the filters of a `readAudit` query before any store runs it, so every store refuses the same bad query the
 * same way (`PK_INVALID_OPTION`, naming the field and the fix; never echoing a value).
 *
 * @param query - as given to `readAudit`
 * @param store - the store's name for the message, e.g. '@privacy-kit/sqlite'
 */
export function validateAuditQuery(query: AuditQuery, store: string): void {
  if (query === undefined) return;
  const problems: string[] = [];
  if (typeof query !== 'object' || query === null) {
    problems.push('the query must be an object such as { actor, from, to, afterSeq, limit }');
  } else {
    // The filters of issue 18; the earlier ones are passed to the database as they are, as before.
    for (const field of ['from', 'to'] as const) {
      const value: unknown = query[field];
      if (value !== undefined && !isIsoInstant(value)) {
        problems.push(`'${field}' must be an ISO 8601 time with offset, e.g. 2026-12-05T09:00:00Z or 2026-12-05T10:00:00+01:00`);
      }
    }
    for (const field of ['method', 'route'] as const) {
      const value: unknown = query[field];
      if (value !== undefined && (typeof value !== 'string' || value === '')) problems.push(`'${field}' must be a non-empty string when given (e.g. 'GET', '/users/:id')`);
    }
    if (query.decision !== undefined && !DECISIONS.has(query.decision)) problems.push("'decision' must be 'allowed' or 'denied' when given");
  }
  if (problems.length > 0) {
    throw new PrivacyKitError('PK_INVALID_OPTION', `${store}: refused readAudit() query: ${problems.join('; ')}.`, { details: problems });
  }
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
