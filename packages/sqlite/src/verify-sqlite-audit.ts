import { keyBytes, type AuditCheckpoint, type AuditVerifyReport } from '@privacy-kit/core';
import { AUDIT_COLUMN_LIST, auditKeyId, verifyAuditRows, type AuditHeadRow, type AuditRow } from '@privacy-kit/core/store';
import { sqliteError, storeFailure } from './sqlite-errors';
import { missingAuditLog, openUnchanged } from './sqlite-read-only';

/** Options of {@link verifySqliteAudit}. */
export interface SqliteAuditVerifyOptions {
  /** The store's database file. */
  readonly filename: string;
  /** The audit key the app writes with (see `deriveKey`). */
  readonly auditKey: string | Buffer;
  /** The newest checkpoint published for this log: the log must reach it and agree with it. */
  readonly checkpoint?: AuditCheckpoint;
  /** Whether a well-formed log without any record verifies (a new store). Default false. */
  readonly allowEmpty?: boolean;
}

/**
 * Verifies the audit log of a SQLite store file without changing it: never creates, migrates or writes anything,
 * and reads the log and its head in one snapshot. A file at rest (no -wal file next to it: no app has it open) is
 * read into memory and checked there, so nothing appears next to it either; while an app runs, the file is opened
 * read-only, which lets SQLite read the records still in the -wal file (it may add the -shm index if missing). A file that holds no
 * privacy-kit audit log (empty, unrelated, tables dropped) is reported as `missing`, an empty log as `empty`
 * unless `allowEmpty`; tampering, a wrong key and a disagreeing checkpoint as in `verifyAuditChain`.
 *
 * @param options - the file, the audit key, and optionally a checkpoint and the empty-log policy
 * @returns the report; rejects with `PK_STORE_UNAVAILABLE` only when the file cannot be opened at all
 * @example
 * const report = await verifySqliteAudit({ filename: 'privacy-kit.db', auditKey: deriveKey(secret, 'audit') });
 * if (!report.ok) console.error(report.message);
 */
// eslint-disable-next-line @typescript-eslint/require-await -- async so that bad options reject, like every other failure
export async function verifySqliteAudit(options: SqliteAuditVerifyOptions): Promise<AuditVerifyReport> {
  if (typeof options !== 'object' || options === null || typeof options.filename !== 'string' || options.filename === '' || options.filename === ':memory:') {
    throw sqliteError('PK_INVALID_OPTION', "verifySqliteAudit() needs { filename, auditKey }, with the path of the store's database file.");
  }
  const key = keyBytes(options.auditKey, 'auditKey');
  const { filename } = options;
  const db = openUnchanged(filename, 'verifySqliteAudit()');
  try {
    const missing = missingAuditLog(db);
    if (missing !== undefined) {
      return {
        ok: false, checked: 0, problem: 'missing', keyId: auditKeyId(key),
        message: `${filename} holds no privacy-kit audit log: ${missing}. If the tables were dropped, the log was destroyed; otherwise give the file the app writes.`,
      };
    }
    const read = db.transaction(() => ({
      rows: db.prepare(`SELECT ${AUDIT_COLUMN_LIST} FROM audit_log ORDER BY seq`).all() as AuditRow[],
      head: db.prepare('SELECT * FROM audit_head WHERE id = 1').get() as AuditHeadRow | undefined,
    }));
    const { rows, head } = read();
    return verifyAuditRows(rows, head, key, { ...(options.checkpoint === undefined ? {} : { checkpoint: options.checkpoint }), allowEmpty: options.allowEmpty ?? false });
  } catch (cause) {
    throw storeFailure(`reading the audit log in ${filename}`, cause);
  } finally {
    db.close();
  }
}
