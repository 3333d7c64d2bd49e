import { isPrivacyKitError, packageErrors, type PrivacyKitError } from '@privacy-kit/core';

/** The package name every message starts with. */
export const PACKAGE = '@privacy-kit/sqlite';

/** This package's error factory: every message gets the package prefix. */
export const { error: sqliteError } = packageErrors(PACKAGE);

/** Backoff between tries while another connection holds the file's write lock, in ms. */
const FIRST_BUSY_RETRY_MS = 1;
const MAX_BUSY_RETRY_MS = 50;

/** Whether SQLite refused because another connection holds a lock (SQLITE_BUSY and its extended codes). */
export function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

/**
 * How long to wait before the next try of an operation that found the file locked: doubling from 1 ms up to 50 ms,
 * and never past the time left.
 *
 * @param tries - tries so far (1 after the first failure)
 * @param leftMs - what is left of `busyTimeoutMs`
 */
export function busyRetryDelay(tries: number, leftMs: number): number {
  return Math.max(0, Math.min(FIRST_BUSY_RETRY_MS * 2 ** Math.min(tries - 1, 6), MAX_BUSY_RETRY_MS, leftMs));
}

/**
 * Says what went wrong, and what to do, in words that are safe to show: SQLite's result code, never its message
 * (a constraint or trigger message can quote stored values), and never a value that failed to bind.
 */
export function describeSqliteCause(cause: unknown): string {
  const code = (cause as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code.startsWith('SQLITE_')) {
    if (code === 'SQLITE_FULL') return 'the disk is full (SQLITE_FULL); free space on the volume of the database file';
    if (code.startsWith('SQLITE_IOERR')) return `the database file could not be read or written (${code}); check the disk and the volume of the file`;
    if (code.startsWith('SQLITE_READONLY')) return `the database file is read-only (${code}); give the app write access to the file and its folder`;
    if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') return `the database file is damaged or not a SQLite database (${code}); restore it from a backup or give the file the store wrote`;
    if (code.startsWith('SQLITE_CANTOPEN')) return `the database file cannot be opened (${code}); check that its folder exists and is writable`;
    if (code.startsWith('SQLITE_CONSTRAINT')) return `SQLite refused the data (${code}): a required field is missing or a value has the wrong form`;
    return `SQLite refused the operation (${code})`;
  }
  if (cause instanceof TypeError || cause instanceof RangeError) return 'a value could not be stored (not text, a number, JSON data or null, or too large)';
  return 'unexpected error (see the error cause)';
}

/** A failed operation as a store error: what failed and what to do, with the driver error only as `cause`. */
export function storeFailure(operation: string, cause: unknown): PrivacyKitError {
  if (isPrivacyKitError(cause)) return cause;
  return sqliteError('PK_STORE_UNAVAILABLE', `${operation} failed: ${describeSqliteCause(cause)}.`, { cause });
}

/** The error of an operation that found the file locked for longer than `busyTimeoutMs`. */
export function lockedTooLong(operation: string, busyTimeoutMs: number): PrivacyKitError {
  return sqliteError(
    'PK_STORE_UNAVAILABLE',
    `${operation} failed: another connection kept the database file locked for more than ${busyTimeoutMs} ms (busyTimeoutMs); nothing was done. Look for a long transaction in another process.`,
  );
}

/** The error of every operation after `close()`. */
export function storeClosed(operation: string): PrivacyKitError {
  return sqliteError('PK_STORE_CLOSED', `${operation}: the store was closed. Create a new store.`);
}
