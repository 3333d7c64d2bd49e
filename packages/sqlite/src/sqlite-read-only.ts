import { existsSync, readFileSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { sqliteError } from './sqlite-errors';

/** Files up to this size are read from a copy in memory, so that not even SQLite's -wal/-shm files appear. */
const IN_MEMORY_LIMIT_BYTES = 1024 * 1024 * 1024;

/**
 * Opens a store's database file without writing to it: a file at rest (no -wal file next to it: no app has it
 * open) is read into memory and opened there, so nothing appears next to it; while an app runs, the file is opened
 * read-only, which lets SQLite read the records still in the -wal file (it may add the -shm index if missing).
 *
 * @param filename - the database file
 * @param operation - what the caller does, for the message, e.g. 'verifySqliteAudit()'
 * @throws PK_STORE_UNAVAILABLE when the file cannot be opened at all
 */
export function openUnchanged(filename: string, operation: string): Database.Database {
  try {
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
  } catch (cause) {
    const missing = (cause as { code?: unknown } | null)?.code === 'ENOENT';
    throw sqliteError(
      'PK_STORE_UNAVAILABLE',
      `${operation}: cannot open ${filename} read-only${missing ? ': there is no such file' : ''}. Give the database file the app writes (the 'filename' of createSqliteStore).`,
      { cause },
    );
  }
}

/**
 * Why a database holds no privacy-kit audit log (not a SQLite database, or no audit_log / audit_head table), or
 * undefined when both tables are there.
 */
export function missingAuditLog(db: Database.Database): string | undefined {
  let tables: Set<string>;
  try {
    tables = new Set((db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('audit_log', 'audit_head')").all() as { name: string }[]).map((t) => t.name));
  } catch (cause) {
    if ((cause as { code?: unknown })?.code === 'SQLITE_NOTADB') return 'it is not a SQLite database';
    throw cause;
  }
  const absent = ['audit_log', 'audit_head'].filter((t) => !tables.has(t));
  return absent.length === 0 ? undefined : `it has no ${absent.join(' and no ')} table`;
}
