import { isPrivacyKitError, packageErrors, type PrivacyKitError } from '@privacy-kit/core';

/** The package name every message starts with. */
export const PACKAGE = '@privacy-kit/postgres';

/** This package's error factory: every message gets the package prefix. */
export const { error: postgresError } = packageErrors(PACKAGE);

const SQLSTATE = /^[0-9A-Z]{5}$/;
/** Node's socket errors: their messages name only an address, never credentials or data. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'ENOENT']);
/** pg's own connection messages: fixed texts without data. */
const PG_CONNECTION_MESSAGE = /^(Connection terminated|timeout expired|Client has encountered a connection error|Client was closed|Cannot use a pool after calling end)/;

/**
 * Says what went wrong in words that are safe to show: SQLSTATE classes, socket errors and pg's connection
 * messages pass; the text of a SQL error does not, because PostgreSQL quotes offending values in it.
 */
export function describeCause(cause: unknown): string {
  const err = cause as { code?: unknown; message?: unknown } | null;
  const code = typeof err?.code === 'string' ? err.code : undefined;
  const message = typeof err?.message === 'string' ? err.message : '';
  if (code !== undefined && NETWORK_CODES.has(code)) return message.replace(/postgres(ql)?:\/\/[^\s]*/gi, '<connection string>');
  if (code !== undefined && SQLSTATE.test(code)) {
    if (code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03') return `the server is unreachable or restarting (SQLSTATE ${code})`;
    if (code === '28P01' || code === '28000') return `authentication was refused (SQLSTATE ${code}); check the user and password of the connection`;
    if (code === '3D000') return `the database does not exist (SQLSTATE ${code})`;
    if (code === '42501') return `permission denied (SQLSTATE ${code}); the database user needs rights on the schema`;
    if (code === '53300') return `too many connections (SQLSTATE ${code}); lower 'max' or raise the server's max_connections`;
    if (code === '57014') return `the statement was cancelled or timed out (SQLSTATE ${code})`;
    if (code === 'P0001' && /is append-only$/.test(message)) return message;
    return `PostgreSQL refused the statement (SQLSTATE ${code})`;
  }
  if (PG_CONNECTION_MESSAGE.test(message)) return message;
  return 'unexpected driver error (see the error cause)';
}

/** Whether the error means the server or the connection went away, rather than a refused statement. */
export function isConnectionError(cause: unknown): boolean {
  const code = (cause as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return NETWORK_CODES.has(code) || code.startsWith('08') || code.startsWith('57P');
  const message = (cause as { message?: unknown } | null)?.message;
  return typeof message === 'string' && PG_CONNECTION_MESSAGE.test(message);
}

/** A store error for a failed operation, with a fix hint and the driver error only as `cause`. */
export function storeUnavailable(operation: string, cause: unknown): PrivacyKitError {
  if (isPrivacyKitError(cause)) return cause;
  const hint = isConnectionError(cause)
    ? ' Check that PostgreSQL is running and that the connection string points to it; the store reconnects by itself.'
    : '';
  return postgresError('PK_STORE_UNAVAILABLE', `${operation} failed: ${describeCause(cause)}.${hint}`, { cause });
}

/** The error of every operation after `close()`. */
export function storeClosed(operation: string): PrivacyKitError {
  return postgresError('PK_STORE_CLOSED', `${operation}: the store was closed. Create a new store with createPostgresStore().`);
}
