import { createHmac, hkdfSync } from 'node:crypto';
import { coreError } from '../errors/core.error';

/** Minimum key length: 32 bytes, the output size of HMAC-SHA-256. */
export const MIN_KEY_BYTES = 32;

/** Turns an identifier into a stable keyed pseudonym. */
export type Pseudonymizer = (value: string) => string;

/**
 * Checks a secret key and returns it as bytes.
 *
 * @param key - at least 32 bytes (a string is taken as UTF-8)
 * @param name - the option's name, for the message
 */
export function keyBytes(key: unknown, name: string): Buffer {
  const bytes = typeof key === 'string' ? Buffer.from(key, 'utf8') : Buffer.isBuffer(key) ? key : undefined;
  if (bytes === undefined || bytes.length < MIN_KEY_BYTES) {
    throw coreError(
      'PK_AUDIT_KEY',
      `'${name}' must be a secret of at least ${MIN_KEY_BYTES} bytes (got ${bytes === undefined ? typeof key : `${bytes.length} bytes`}). ` +
        "Generate one with: node -e \"console.log(require('crypto').randomBytes(32).toString('base64'))\"",
    );
  }
  return bytes;
}

/**
 * Derives an independent sub-key from one app secret (HKDF-SHA-256), so that one configured secret can key
 * pseudonyms and the audit chain without the two ever sharing a key.
 *
 * @param secret - the app secret, at least 32 bytes
 * @param purpose - e.g. 'audit' or 'pseudonym'
 * @example
 * const auditKey = deriveKey(process.env.PRIVACY_KIT_SECRET!, 'audit');
 */
export function deriveKey(secret: string | Buffer, purpose: string): Buffer {
  const ikm = keyBytes(secret, 'secret');
  return Buffer.from(hkdfSync('sha256', ikm, Buffer.alloc(0), `privacy-kit/${purpose}/v1`, 32));
}

/**
 * Creates a keyed-HMAC pseudonymizer: the same identifier always gives the same pseudonym (so records can be
 * correlated), and without the key nobody can link a pseudonym back to a person by guessing identifiers.
 *
 * @param key - at least 32 bytes
 * @example
 * const pseudonym = createPseudonymizer(deriveKey(secret, 'pseudonym'));
 * pseudonym('user-1'); // 'psn_…' (24 characters of base64url after the prefix)
 */
export function createPseudonymizer(key: string | Buffer): Pseudonymizer {
  const bytes = keyBytes(key, 'pseudonymKey');
  return function pseudonymize(value: string): string {
    return `psn_${createHmac('sha256', bytes).update(String(value), 'utf8').digest('base64url').slice(0, 24)}`;
  };
}
