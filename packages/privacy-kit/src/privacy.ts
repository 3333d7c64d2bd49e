import { deriveKey, type PrivacyKitError, type PrivacyStore } from '@privacy-kit/core';
import { privacy as expressPrivacy, type PrivacyKit } from '@privacy-kit/express';
import { createSqliteStore } from '@privacy-kit/sqlite';
import { umbrellaError } from './errors';
import { DB_ENV, DEFAULT_DB_FILE, type PrivacyOptions } from './privacy.options';
import { appSecret } from './secret/app-secret';

function printNotice(notice: PrivacyKitError): void {
  console.error(`[privacy-kit] ${notice.code}: ${notice.message}`);
}

/**
 * The one middleware an app mounts, with working defaults: `app.use(privacy())` keeps consents, the audit chain and
 * rights requests in the embedded SQLite file `PRIVACY_KIT_DB` (default `./privacy-kit.db`), derives its keys from
 * `PRIVACY_KIT_SECRET`, and identifies the caller from `req.user` (passport's convention) unless `jwt` or
 * `identify` is given. Without a secret, production refuses to start; elsewhere a secret is made once in an
 * owner-only file next to the database (`.privacy-kit-secret`) and the app is told where. Every option of
 * `@privacy-kit/express`'s `privacy()` applies; the store it opens is closed with `await kit.store.close()`.
 *
 * @param options - anything to change; nothing is required
 * @example
 * import express from 'express';
 * import { privacy, personalData } from 'privacy-kit';
 *
 * const app = express();
 * app.use(privacy());
 * app.get('/me/profile', personalData({ categories: ['user.contact.email'], purpose: 'essential.service', basis: 'contract' }), handler);
 */
export function privacy(options: PrivacyOptions = {}): PrivacyKit {
  if (typeof options !== 'object' || options === null) {
    throw umbrellaError('PK_INVALID_OPTION', `privacy(): expected nothing or an options object such as { appId: 'my-api' }; got ${JSON.stringify(options)}.`);
  }
  if (options.store !== undefined && options.pseudonymKey !== undefined) return expressPrivacy({ ...options, store: options.store, pseudonymKey: options.pseudonymKey });
  const dbFile = process.env[DB_ENV] || DEFAULT_DB_FILE;
  const secret = appSecret({ env: process.env, dbFile, tell: options.onError ?? printNotice });
  const opened: PrivacyStore | undefined = options.store === undefined ? createSqliteStore({ filename: dbFile, auditKey: deriveKey(secret, 'audit') }) : undefined;
  try {
    return expressPrivacy({ ...options, store: options.store ?? (opened as PrivacyStore), pseudonymKey: options.pseudonymKey ?? deriveKey(secret, 'pseudonym') });
  } catch (error) {
    // A bad option must not leave the database open behind the error.
    void opened?.close();
    throw error;
  }
}
