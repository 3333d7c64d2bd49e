import { existsSync, readFileSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { PrivacyKitError, keyBytes, type AuditCheckpoint, type AuditVerifyReport } from '@privacy-kit/core';
import { auditKeyId, verifyAuditRows, type AuditHeadRow, type AuditRow } from '@privacy-kit/core/store';

const PACKAGE = '@privacy-kit/sqlite';

/** Files up to this size are verified from a copy in memory, so that not even SQLite's -wal/-shm files appear. */
const IN_MEMORY_LIMIT_BYTES = 1024 * 1024 * 1024;

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
export async function verifySqliteAudit(options: SqliteAuditVerifyOptions): Promise<AuditVerifyReport> {
  if (typeof options !== 'object' || options === null || typeof options.filename !== 'string' || options.filename === '' || options.filename === ':memory:') {
    throw new PrivacyKitError('PK_INVALID_OPTION', `${PACKAGE}: verifySqliteAudit() needs { filename, auditKey }, with the path of the store's database file.`);
  }
  const key = keyBytes(options.auditKey, 'auditKey');
  const { filename } = options;
  let db: Database.Database;
  try {
    db = openUnchanged(filename);
  } catch (cause) {
    throw new PrivacyKitError('PK_STORE_UNAVAILABLE', `${PACKAGE}: cannot open ${filename} read-only: ${(cause as Error)?.message ?? 'unknown error'}. Give the database file the app writes (the 'filename' of createSqliteStore).`, { cause });
  }
  const missing = (why: string): AuditVerifyReport => ({
    ok: false, checked: 0, problem: 'missing', keyId: auditKeyId(key),
    message: `${filename} holds no privacy-kit audit log: ${why}. If the tables were dropped, the log was destroyed; otherwise give the file the app writes.`,
  });
  try {
    let tables: Set<string>;
    try {
      tables = new Set((db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('audit_log', 'audit_head')").all() as { name: string }[]).map((t) => t.name));
    } catch (cause) {
      if ((cause as { code?: unknown })?.code === 'SQLITE_NOTADB') return missing('it is not a SQLite database');
      throw cause;
    }
    const absent = ['audit_log', 'audit_head'].filter((t) => !tables.has(t));
    if (absent.length > 0) return missing(`it has no ${absent.join(' and no ')} table`);
    const read = db.transaction(() => ({
      rows: db.prepare('SELECT * FROM audit_log ORDER BY seq').all() as AuditRow[],
      head: db.prepare('SELECT * FROM audit_head WHERE id = 1').get() as AuditHeadRow | undefined,
    }));
    const { rows, head } = read();
    return verifyAuditRows(rows, head, key, { ...(options.checkpoint === undefined ? {} : { checkpoint: options.checkpoint }), allowEmpty: options.allowEmpty ?? false });
  } catch (cause) {
    throw new PrivacyKitError('PK_STORE_UNAVAILABLE', `${PACKAGE}: cannot read the audit log in ${filename}: ${(cause as Error)?.message ?? 'unknown error'}.`, { cause });
  } finally {
    db.close();
  }
}

/** Opens the database without writing to its file (see {@link verifySqliteAudit}). */
function openUnchanged(filename: string): Database.Database {
  const size = statSync(filename).size;
  if (!existsSync(`${filename}-wal`) && size <= IN_MEMORY_LIMIT_BYTES) {
    const copy = readFileSync(filename);
    // Bytes 18 and 19 say "WAL mode" (2); a database in memory cannot be in WAL mode, and at rest nothing is in a WAL.
    if (copy.length >= 20 && copy[18] === 2 && copy[19] === 2) {
      copy[18] = 1;
      copy[19] = 1;
    }
    return new Database(copy, { readonly: true });
  }
  return new Database(filename, { readonly: true, fileMustExist: true });
}
