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

/** What sealing and opening under one key need, computed once: the AES key, its id and the AAD. */
function logKeyState(key: string | Buffer): { bytes: Buffer; keyId: string; data: Buffer } {
  const full = keyBytes(key, 'logKey');
  const keyId = logKeyId(full);
  return { bytes: full.subarray(0, 32), keyId, data: Buffer.from(`privacy-kit log line\nv1\n${keyId}`, 'utf8') };
}

/**
 * A sealer of log lines under one key: the key is checked and its id computed once, not per line (sealing runs
 * for every line a logger writes). Each call seals one final line (what the logger would have written) with
 * AES-256-GCM: `pklog1.<keyId>.<payload>` (IV, ciphertext and tag, base64url).
 *
 * @param key - the log key, at least 32 bytes (e.g. `deriveKey(secret, 'log-encryption')`)
 */
export function createLogSealer(key: string | Buffer): (line: string) => string {
  const { bytes, keyId, data } = logKeyState(key);
  const prefix = `${LOG_LINE_PREFIX}.${keyId}.`;
  return (line) => {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', bytes, iv);
    cipher.setAAD(data);
    const ciphertext = cipher.update(line, 'utf8');
    cipher.final();
    return `${prefix}${Buffer.concat([iv, ciphertext, cipher.getAuthTag()]).toString('base64url')}`;
  };
}

/**
 * Seals one final log line under the log key (see {@link createLogSealer}, which a logger should use: it does the
 * per-key work once).
 *
 * @param key - the log key
 * @param line - the line, without its newline
 */
export function sealLogLine(key: string | Buffer, line: string): string {
  return createLogSealer(key)(line);
}

/** What an opener of log lines found: the line, or why it cannot be read (never the sealed text). */
export type OpenedLogLine = { readonly ok: true; readonly line: string } | { readonly ok: false; readonly problem: string };

/**
 * An opener of sealed log lines under one key (the key checked and its id computed once, for a whole file). A line
 * that is not sealed, was sealed under another key, or was changed is reported, never passed through.
 *
 * @param key - the log key
 */
export function createLogOpener(key: string | Buffer): (sealed: string) => OpenedLogLine {
  const { bytes, keyId, data } = logKeyState(key);
  return (sealed) => {
    const parts = sealed.trim().split('.');
    if (parts.length !== 3 || parts[0] !== LOG_LINE_PREFIX) return { ok: false, problem: 'not a sealed log line (pklog1.<keyId>.<payload>)' };
    if (parts[1] !== keyId) return { ok: false, problem: `sealed under another log key (key id ${String(parts[1])}, the given key has ${keyId})` };
    const payload = Buffer.from(parts[2] as string, 'base64url');
    if (payload.length < IV_BYTES + TAG_BYTES) return { ok: false, problem: 'cut short' };
    try {
      const decipher = createDecipheriv('aes-256-gcm', bytes, payload.subarray(0, IV_BYTES));
      decipher.setAAD(data);
      decipher.setAuthTag(payload.subarray(payload.length - TAG_BYTES));
      const clear = decipher.update(payload.subarray(IV_BYTES, payload.length - TAG_BYTES));
      decipher.final();
      return { ok: true, line: clear.toString('utf8') };
    } catch {
      return { ok: false, problem: 'changed after it was written (it does not authenticate)' };
    }
  };
}

/**
 * Opens one sealed log line (see {@link createLogOpener}, which a reader of a whole file should use).
 *
 * @param key - the log key
 * @param sealed - one line of a sealed log file
 */
export function openLogLine(key: string | Buffer, sealed: string): OpenedLogLine {
  return createLogOpener(key)(sealed);
}
