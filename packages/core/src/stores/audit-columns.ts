import type { AuditEntry, AuditRecord } from '../audit/audit-record';
import type { AuditRow } from './store-rows';

/**
 * The neutral type of a column; each SQL store maps it to its own type (e.g. `json` is TEXT in SQLite and jsonb in
 * PostgreSQL, `seq` a 64-bit integer).
 */
export type AuditColumnType = 'seq' | 'text' | 'integer' | 'real' | 'json';

/** One column of the audit_log table: its name, the record field it holds, and its neutral type. */
export interface AuditColumn {
  /** The column name (snake_case), as in {@link AuditRow}. */
  readonly name: Extract<keyof AuditRow, string>;
  /** The record field the column holds. */
  readonly field: Extract<keyof AuditRecord, string>;
  readonly type: AuditColumnType;
  /** Whether the column holds JSON (type `json`). */
  readonly json: boolean;
}

type ColumnSpec = { readonly field: Extract<keyof AuditRecord, string>; readonly type: AuditColumnType };

/** Every column of {@link AuditRow} exactly once, in table order (a column missing here fails to compile). */
const TABLE = {
  seq: { field: 'seq', type: 'seq' },
  event: { field: 'event', type: 'text' },
  time: { field: 'time', type: 'text' },
  request_id: { field: 'requestId', type: 'text' },
  app_id: { field: 'appId', type: 'text' },
  actor: { field: 'actor', type: 'text' },
  subject: { field: 'subject', type: 'text' },
  method: { field: 'method', type: 'text' },
  route: { field: 'route', type: 'text' },
  purposes: { field: 'purposes', type: 'json' },
  basis: { field: 'basis', type: 'text' },
  categories: { field: 'categories', type: 'json' },
  decision: { field: 'decision', type: 'text' },
  reason: { field: 'reason', type: 'text' },
  status: { field: 'status', type: 'integer' },
  duration_ms: { field: 'durationMs', type: 'real' },
  details: { field: 'details', type: 'json' },
  prev_mac: { field: 'prevMac', type: 'text' },
  mac: { field: 'mac', type: 'text' },
} as const satisfies { readonly [C in keyof AuditRow]-?: ColumnSpec };

/**
 * The audit_log table of the SQL stores, one entry per column in table order: the one list the stores' INSERT and
 * SELECT statements, their value encoders and the testing helpers derive from.
 */
export const AUDIT_COLUMNS: readonly AuditColumn[] = Object.freeze(
  (Object.entries(TABLE) as [Extract<keyof AuditRow, string>, ColumnSpec][]).map(([name, spec]) =>
    Object.freeze({ name, field: spec.field, type: spec.type, json: spec.type === 'json' })),
);

/** The audit_log column names in table order, comma-separated, for INSERT and SELECT statements. */
export const AUDIT_COLUMN_LIST: string = AUDIT_COLUMNS.map((c) => c.name).join(', ');

/**
 * The values of a record's row in {@link AUDIT_COLUMNS} order. JSON columns go through `json` (e.g.
 * `JSON.stringify` for a store that keeps JSON as text); absent details are null.
 *
 * @param record - the chained record
 * @param json - how a JSON column's value is stored; default as is (a driver that encodes it itself)
 * @param into - an array to fill and return instead of a new one (a store's hot path may reuse one array)
 * @example
 * insert.run(auditRowValues(record, JSON.stringify));
 */
export function auditRowValues(record: AuditRecord, json: (value: unknown) => unknown = identity, into: unknown[] = new Array<unknown>(AUDIT_COLUMNS.length)): unknown[] {
  return auditEntryRowValues(record, record.seq, record.prevMac, record.mac, json, into);
}

/**
 * The values of the row of an entry at a position of the chain, in {@link AUDIT_COLUMNS} order: as
 * {@link auditRowValues}, without building the record first (see `chainAuditEntries`).
 *
 * @param entry - the entry
 * @param seq - its position
 * @param prevMac - the MAC of the record before it ('' for the first)
 * @param mac - its MAC
 * @param json - how a JSON column's value is stored
 * @param into - an array to fill and return
 */
export function auditEntryRowValues(
  entry: AuditEntry,
  seq: number,
  prevMac: string,
  mac: string,
  json: (value: unknown) => unknown = identity,
  into: unknown[] = new Array<unknown>(AUDIT_COLUMNS.length),
): unknown[] {
  // Written out rather than looped over AUDIT_COLUMNS: this runs for every record on the append path, and fixed
  // property reads are cheaper than keyed ones. The column-table tests pin the order to AUDIT_COLUMNS.
  into[0] = seq;
  into[1] = entry.event;
  into[2] = entry.time;
  into[3] = entry.requestId;
  into[4] = entry.appId;
  into[5] = entry.actor;
  into[6] = entry.subject;
  into[7] = entry.method;
  into[8] = entry.route;
  into[9] = json(entry.purposes);
  into[10] = entry.basis;
  into[11] = json(entry.categories);
  into[12] = entry.decision;
  into[13] = entry.reason;
  into[14] = entry.status;
  into[15] = entry.durationMs;
  into[16] = entry.details === undefined || entry.details === null ? null : json(entry.details);
  into[17] = prevMac;
  into[18] = mac;
  return into;
}

function identity(value: unknown): unknown {
  return value;
}
