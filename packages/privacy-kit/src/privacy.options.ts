import type { PrivacyStore } from '@privacy-kit/core';
import type { PrivacyOptions as ExpressPrivacyOptions } from '@privacy-kit/express';

/** The environment variable naming the SQLite file privacy() keeps its records in when given no store. */
export const DB_ENV = 'PRIVACY_KIT_DB';
/** The SQLite file privacy() uses without a store and without `PRIVACY_KIT_DB`, relative to the working directory. */
export const DEFAULT_DB_FILE = './privacy-kit.db';

/**
 * Options of `privacy()` from the privacy-kit package: those of `@privacy-kit/express`, with `store` and
 * `pseudonymKey` optional. Without a store, the records go to the embedded SQLite file `PRIVACY_KIT_DB` (default
 * `./privacy-kit.db`), chained with `deriveKey(secret, 'audit')`; without a pseudonym key, pseudonyms are keyed with
 * `deriveKey(secret, 'pseudonym')`, where the secret is `PRIVACY_KIT_SECRET`. Without `jwt` and `identify`, the
 * caller is `req.user`.
 */
export type PrivacyOptions = Omit<ExpressPrivacyOptions, 'store' | 'pseudonymKey'> & {
  /** Where consents, audit and rights requests are kept. Default: the SQLite file `PRIVACY_KIT_DB`. */
  readonly store?: PrivacyStore;
  /** Keys the HMAC pseudonyms (≥ 32 bytes). Default: `deriveKey(PRIVACY_KIT_SECRET, 'pseudonym')`. */
  readonly pseudonymKey?: string | Buffer;
};
