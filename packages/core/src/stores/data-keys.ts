import { isIsoInstant } from '../audit/iso-time';
import { PrivacyKitError } from '../errors/privacy-kit.error';
import type { DataKeyListQuery, WrappedDataKey } from './store-contracts';


/** A wrapped data key as the SQL stores keep it (`current` is 0/1 in SQLite, a boolean in PostgreSQL). */
export interface DataKeyRow {
  subject: string; key_id: string; kek_id: string; wrapped: string; created_at: string; current: number | boolean;
}

/** The data_keys columns, in table order. */
export const DATA_KEY_COLUMNS = ['subject', 'key_id', 'kek_id', 'wrapped', 'created_at', 'current'] as const;

/** Maps a data_keys row to the key it stores. */
export function dataKeyFromRow(row: DataKeyRow): WrappedDataKey {
  return {
    subject: row.subject,
    keyId: row.key_id,
    kekId: row.kek_id,
    wrapped: row.wrapped,
    createdAt: row.created_at,
    current: row.current === true || row.current === 1,
  };
}

const isText = (value: unknown): value is string => typeof value === 'string' && value !== '';

function refuse(store: string, what: string, problems: readonly string[]): never {
  throw new PrivacyKitError('PK_INVALID_OPTION', `${store}: refused ${what}: ${problems.join('; ')}. Nothing was stored or changed.`, { details: problems });
}

/**
 * Checks a data key before any store writes it (`DataKeyStore.addDataKey`), so every store refuses the same bad
 * input the same way: subject, ids and wrapped value non-empty text, `createdAt` an ISO 8601 time with offset.
 * Messages name the field, never its value (a wrapped key is secret).
 *
 * @param key - the key as given
 * @param store - the store's name for the message, e.g. '@privacy-kit/sqlite'
 */
export function validateDataKey(key: Omit<WrappedDataKey, 'current'>, store: string): void {
  const problems: string[] = [];
  if (!isText(key?.subject)) problems.push("'subject' must be a non-empty string (the data subject's pseudonym)");
  if (!isText(key?.keyId)) problems.push("'keyId' must be a non-empty string (the data key's random id)");
  if (!isText(key?.kekId)) problems.push("'kekId' must be a non-empty string (the key-encryption key's id)");
  if (!isText(key?.wrapped)) problems.push("'wrapped' must be the wrapped key as non-empty text (the key provider's format, e.g. base64url)");
  const createdAt: unknown = key?.createdAt;
  if (!isIsoInstant(createdAt)) {
    problems.push("'createdAt' must be an ISO 8601 time with offset");
  }
  if (problems.length > 0) refuse(store, 'data key', problems);
}

/**
 * Checks the subject (and key id, when given) a data-key lookup or destruction names.
 *
 * @param operation - the method, for the message, e.g. 'destroyDataKeys'
 * @param store - the store's name for the message
 */
export function validateDataKeySubject(operation: string, store: string, subject: unknown, keyId?: unknown): void {
  const problems: string[] = [];
  if (!isText(subject)) problems.push("'subject' must be a non-empty string (the data subject's pseudonym)");
  if (keyId !== undefined && !isText(keyId)) problems.push("'keyId' must be a non-empty string");
  if (problems.length > 0) refuse(store, `${operation}()`, problems);
}

/**
 * Checks a `listDataKeys` query: `limit` a whole number of at least 1, `notKekId` and the `after` cursor text.
 *
 * @param store - the store's name for the message
 */
export function validateDataKeyListQuery(query: DataKeyListQuery, store: string): void {
  const problems: string[] = [];
  const limit: unknown = query?.limit;
  if (typeof limit !== 'number' || !Number.isSafeInteger(limit) || limit < 1) problems.push("'limit' must be a whole number of at least 1");
  if (query?.notKekId !== undefined && !isText(query.notKekId)) problems.push("'notKekId' must be a non-empty string when given");
  const after = query?.after as { subject?: unknown; keyId?: unknown } | null | undefined;
  if (after !== undefined) {
    if (typeof after?.subject !== 'string' || typeof after.keyId !== 'string') {
      problems.push("'after' must be { subject, keyId } of the last key of the previous page");
    }
  }
  if (problems.length > 0) refuse(store, 'listDataKeys()', problems);
}

/**
 * Checks the arguments of a `rewrapDataKey` call: every one non-empty text.
 *
 * @param store - the store's name for the message
 */
export function validateDataKeyRewrap(store: string, subject: unknown, keyId: unknown, fromKekId: unknown, wrapped: unknown, kekId: unknown): void {
  const problems: string[] = [];
  if (!isText(subject)) problems.push("'subject' must be a non-empty string (the data subject's pseudonym)");
  if (!isText(keyId)) problems.push("'keyId' must be a non-empty string");
  if (!isText(fromKekId)) problems.push("'fromKekId' must be a non-empty string (the key-encryption key the key is wrapped under now)");
  if (!isText(wrapped)) problems.push("'wrapped' must be the new wrapped key as non-empty text");
  if (!isText(kekId)) problems.push("'kekId' must be a non-empty string (the new key-encryption key's id)");
  if (problems.length > 0) refuse(store, 'rewrapDataKey()', problems);
}

/**
 * The error of an `addDataKey` whose key id the subject already has (ids are random: a repeat is a caller's bug).
 *
 * @param store - the store's name for the message
 */
export function dataKeyIdTaken(store: string): PrivacyKitError {
  return new PrivacyKitError(
    'PK_INVALID_OPTION',
    `${store}: refused data key: the subject already has a key with this 'keyId'; give every data key a fresh random id. Nothing was stored or changed.`,
  );
}
