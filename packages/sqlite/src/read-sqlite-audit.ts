import type { AuditQuery, AuditRecord } from '@privacy-kit/core';
import { AUDIT_COLUMN_LIST, auditQuerySql, auditRecordFromRow, validateAuditQuery, type AuditRow } from '@privacy-kit/core/store';
import { PACKAGE, sqliteError, storeFailure } from './sqlite-errors';
import { SQLITE_INSTANT } from './sqlite-instant';
import { missingAuditLog, openUnchanged } from './sqlite-read-only';

/** Options of {@link readSqliteAudit}. */
export interface SqliteAuditReadOptions {
  /** The store's database file. */
  readonly filename: string;
  /** Which records (default all, in seq order), as for `readAudit`. */
  readonly query?: AuditQuery;
}

/**
 * Reads audit records from a SQLite store file without changing it (opened read-only, or from a copy in memory
 * when no app has it open; nothing is created or migrated) and without the audit key: reading needs none, and
 * nothing is verified (use {@link verifySqliteAudit} for that). For tools that report on what a run recorded,
 * such as `privacy-kit coverage`.
 *
 * @param options - the file and, optionally, a query
 * @returns the records in seq order; rejects with `PK_STORE_UNAVAILABLE` when the file cannot be opened or holds
 *   no privacy-kit audit log
 * @example
 * const records = await readSqliteAudit({ filename: 'test-output/audit.db', query: { event: 'access' } });
 */
// eslint-disable-next-line @typescript-eslint/require-await -- async so that bad options and an unreadable file reject rather than throw
export async function readSqliteAudit(options: SqliteAuditReadOptions): Promise<readonly AuditRecord[]> {
  if (typeof options !== 'object' || options === null || typeof options.filename !== 'string' || options.filename === '' || options.filename === ':memory:') {
    throw sqliteError('PK_INVALID_OPTION', "readSqliteAudit() needs { filename }, the path of the store's database file.");
  }
  const { filename } = options;
  validateAuditQuery(options.query ?? {}, PACKAGE);
  const db = openUnchanged(filename, 'readSqliteAudit()');
  try {
    const missing = missingAuditLog(db);
    if (missing !== undefined) {
      throw sqliteError('PK_STORE_UNAVAILABLE', `${filename} holds no privacy-kit audit log: ${missing}. Is it the SQLite file of a privacy-kit store (the 'filename' of createSqliteStore)?`);
    }
    const tail = auditQuerySql(options.query ?? {}, () => '?', SQLITE_INSTANT);
    return (db.prepare(`SELECT ${AUDIT_COLUMN_LIST} FROM audit_log${tail.sql}`).all(tail.params) as AuditRow[]).map(auditRecordFromRow);
  } catch (cause) {
    throw storeFailure(`reading the audit log in ${filename}`, cause);
  } finally {
    db.close();
  }
}
