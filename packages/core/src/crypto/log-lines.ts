import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { keyBytes } from '../pseudonym/pseudonymizer';

/** The first part of a sealed log line: the format and its version. */
export const LOG_LINE_PREFIX = 'pklog1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** The fingerprint of a log key, written into every line it sealed (reveals nothing about the key). */
export function logKeyId(key: Buffer): string {
  return createHmac('sha256', key).update('privacy-kit log key id').digest('base64url').slice(0, 16);
}

const aad = (keyId: string): Buffer => Buffer.from(`privacy-kit log line\nv1\n${keyId}`, 'utf8');

/**
 * Seals one final log line (what the logger would have written) with AES-256-GCM under the log key:
 * `pklog1.<keyId>.<payload>` (IV, ciphertext and tag, base64url). A stolen log file is unreadable without the key.
 *
 * @param key - the log key, at least 32 bytes (e.g. `deriveKey(secret, 'log-encryption')`)
 * @param line - the line, without its newline
 */
export function sealLogLine(key: string | Buffer, line: string): string {
  const bytes = keyBytes(key, 'logKey');
  const keyId = logKeyId(bytes);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', bytes.subarray(0, 32), iv);
  cipher.setAAD(aad(keyId));
  const ciphertext = cipher.update(line, 'utf8');
  cipher.final();
  return `${LOG_LINE_PREFIX}.${keyId}.${Buffer.concat([iv, ciphertext, cipher.getAuthTag()]).toString('base64url')}`;
}

/** What {@link openLogLine} found: the line, or why it cannot be read (never the sealed text). */
export type OpenedLogLine = { readonly ok: true; readonly line: string } | { readonly ok: false; readonly problem: string };

/**
 * Opens a sealed log line. A line that is not sealed, was sealed under another key, or was changed is reported,
 * never passed through.
 *
 * @param key - the log key
 * @param sealed - one line of a sealed log file
 */
export function openLogLine(key: string | Buffer, sealed: string): OpenedLogLine {
  const bytes = keyBytes(key, 'logKey');
  const parts = sealed.trim().split('.');
  if (parts.length !== 3 || parts[0] !== LOG_LINE_PREFIX) return { ok: false, problem: 'not a sealed log line (pklog1.<keyId>.<payload>)' };
  const keyId = logKeyId(bytes);
  if (parts[1] !== keyId) return { ok: false, problem: `sealed under another log key (key id ${String(parts[1])}, the given key has ${keyId})` };
  const payload = Buffer.from(parts[2] as string, 'base64url');
  if (payload.length < IV_BYTES + TAG_BYTES) return { ok: false, problem: 'cut short' };
  try {
    const decipher = createDecipheriv('aes-256-gcm', bytes.subarray(0, 32), payload.subarray(0, IV_BYTES));
    decipher.setAAD(aad(keyId));
    decipher.setAuthTag(payload.subarray(payload.length - TAG_BYTES));
    const clear = decipher.update(payload.subarray(IV_BYTES, payload.length - TAG_BYTES));
    decipher.final();
    return { ok: true, line: clear.toString('utf8') };
  } catch {
    return { ok: false, problem: 'changed after it was written (it does not authenticate)' };
  }
}
