import { escapeLiteral } from 'pg';

/** The PostgreSQL types a literal may be cast to. */
export type SqlType = 'text' | 'bigint' | 'integer' | 'double precision' | 'jsonb';

/**
 * A value as a typed SQL literal. A consent change sends its rows inline so that its statements go in one
 * simple-protocol round trip; every string goes through pg's escapeLiteral and every
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
