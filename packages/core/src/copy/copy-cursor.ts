import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { coreError } from '../errors/core.error';
import { deriveKey } from '../pseudonym/pseudonymizer';

const PREFIX = 'c1.';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Seals the cursors of a copy before the target keeps them: a cursor may hold source key values (personal), so it
 * is AES-256-GCM under a key derived from the copy secret, bound to the run's fingerprint and the table.
 */
export class CursorSeal {
  private readonly key: Buffer;

  /** @param secret - the copy secret */
  constructor(secret: string | Buffer) {
    this.key = deriveKey(secret, 'pseudonymize-cursor');
  }

  /**
   * The sealed form of a cursor: 'c1.' and base64url of IV, cipher text and tag.
   *
   * @param cursor - the source's cursor
   * @param context - the fingerprint and table it belongs to
   */
  seal(cursor: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(cursor, 'utf8'), cipher.final()]);
    return `${PREFIX}${Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url')}`;
  }

  /**
   * The cursor a sealed one holds, or a PK_COPY error when it does not open (another key, run or table).
   *
   * @param sealed - from {@link CursorSeal.seal}
   * @param context - the fingerprint and table it must belong to
   */
  open(sealed: string, context: string): string {
    try {
      if (!sealed.startsWith(PREFIX)) throw new Error('not a sealed cursor');
      const bytes = Buffer.from(sealed.slice(PREFIX.length), 'base64url');
      if (bytes.length < IV_BYTES + TAG_BYTES) throw new Error('too short');
      const decipher = createDecipheriv('aes-256-gcm', this.key, bytes.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
      return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw coreError('PK_COPY', "runCopy(): the target's resume cursor does not open under this copy secret (it was changed, or written by another run): start afresh with an empty target.");
    }
  }
}
