import { escapeLiteral } from 'pg';
import { AUDIT_COLUMNS, auditHeadColumns, auditRowValues, type AuditColumnType, type AuditHeadV2 } from '@privacy-kit/core/store';
import type { AuditRecord } from '@privacy-kit/core';

/** The PostgreSQL types a literal may be cast to. */
export type SqlType = 'text' | 'bigint' | 'integer' | 'double precision' | 'jsonb';

/** The PostgreSQL type of each neutral column type of core's column table. */
const POSTGRES_TYPES: { readonly [T in AuditColumnType]: SqlType } = {
  seq: 'bigint',
  text: 'text',
  integer: 'integer',
  real: 'double precision',
  json: 'jsonb',
};

/** The types of the audit_log columns, in core's AUDIT_COLUMNS order. */
const AUDIT_TYPES: readonly SqlType[] = AUDIT_COLUMNS.map((c) => POSTGRES_TYPES[c.type]);
/** The types of the audit_head columns, in AUDIT_HEAD_COLUMNS order (seq, mac, head_mac, version, count, time, key_id). */
const HEAD_TYPES: readonly SqlType[] = ['bigint', 'text', 'text', 'integer', 'bigint', 'text', 'text'];

/**
 * A value as a typed SQL literal. Appends send their rows inline so that the whole append (lock, checks,
 * inserts, commit) is one simple-protocol round trip; every string goes through pg's escapeLiteral and every
 * value carries an explicit cast, so input can never become SQL (a wrong type fails the statement instead).
 */
export function sqlLiteral(value: unknown, type: SqlType): string {
  if (value === null || value === undefined) return `NULL::${type}`;
  if (type === 'jsonb') return `${escapeLiteral(JSON.stringify(value))}::jsonb`;
  if (type !== 'text' && typeof value === 'number' && Number.isFinite(value)) return `(${String(value)})::${type}`;
  // Anything else is a number or boolean here (the column table types every value), so String() is its literal.
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- see above; a wrong type makes the cast fail the statement
  return `${escapeLiteral(typeof value === 'string' ? value : String(value))}::${type}`;
}

/** A record's audit_log row as a parenthesised list of literals, in AUDIT_COLUMN_LIST order. */
export function auditRowLiteral(record: AuditRecord): string {
  return `(${auditRowValues(record).map((value, i) => sqlLiteral(value, AUDIT_TYPES[i] as SqlType)).join(', ')})`;
}

/** The audit_head row of a head (id 1, then its columns) as a list of literals. */
export function headRowLiteral(head: AuditHeadV2): string {
  return `1, ${auditHeadColumns(head).map((value, i) => sqlLiteral(value, HEAD_TYPES[i] as SqlType)).join(', ')}`;
}
