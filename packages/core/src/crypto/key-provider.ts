import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { coreError } from '../errors/core.error';
import { deriveKey } from '../pseudonym/pseudonymizer';

/** What a data key is for: wrapping binds the wrapped key to its subject and id. */
export interface DataKeyContext {
  readonly subject: string;
  readonly keyId: string;
}

/**
 * Wraps and unwraps data keys under a key-encryption key (KEK). A KMS adapter implements it (its `wrap` calls the
 * KMS's encrypt with the context as encryption context); {@link localKeyProvider} derives the KEK from the app's
 * secret. The unwrapped data key never reaches the store.
 */
export interface KeyProvider {
  /** The id of the KEK new wraps use (stored next to every wrapped key). */
  readonly kekId: string;
  /** Wraps a 32-byte data key; returns text. */
  wrap(dataKey: Buffer, context: DataKeyContext): string | Promise<string>;
  /** Unwraps a key wrapped under `kekId` (a provider may know earlier KEKs, e.g. during a rotation). */
  unwrap(wrapped: string, kekId: string, context: DataKeyContext): Buffer | Promise<Buffer>;
}

const IV_BYTES = 12;

/** The id of a local KEK: a fingerprint that reveals nothing about it. */
function localKekId(kek: Buffer): string {
  return `local-${createHmac('sha256', kek).update('privacy-kit kek id').digest('base64url').slice(0, 16)}`;
}

function wrapAad(context: DataKeyContext, kekId: string): Buffer {
  return Buffer.from(`privacy-kit data key\nv1\n${context.subject}\n${context.keyId}\n${kekId}`, 'utf8');
}

/**
 * A key provider whose KEK is derived from the app's secret (`deriveKey(secret, 'data-key-encryption')`), wrapping
 * with AES-256-GCM bound to the key's subject and id. Give `previousSecrets` while rotating to a new secret, so keys
 * still wrapped under the old KEK open until `privacy-kit keys rotate` re-wrapped them.
 *
 * @param options - the secret (PRIVACY_KIT_SECRET) and earlier secrets
 * @example
 * const keyProvider = localKeyProvider({ secret: process.env.PRIVACY_KIT_SECRET! });
 */
export function localKeyProvider(options: { readonly secret: string | Buffer; readonly previousSecrets?: readonly (string | Buffer)[] }): KeyProvider {
  if (typeof options !== 'object' || options === null || options.secret === undefined) {
    throw coreError('PK_INVALID_OPTION', 'localKeyProvider() needs { secret }: the app secret (PRIVACY_KIT_SECRET) the key-encryption key is derived from.');
  }
  const keks = new Map<string, Buffer>();
  const current = deriveKey(options.secret, 'data-key-encryption');
  const kekId = localKekId(current);
  keks.set(kekId, current);
  for (const secret of options.previousSecrets ?? []) {
    const kek = deriveKey(secret, 'data-key-encryption');
    keks.set(localKekId(kek), kek);
  }
  return {
    kekId,
    wrap(dataKey, context) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', current, iv);
      cipher.setAAD(wrapAad(context, kekId));
      const ciphertext = Buffer.concat([cipher.update(dataKey), cipher.final()]);
      return `${iv.toString('base64url')}.${ciphertext.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}`;
    },
    unwrap(wrapped, wrappedUnder, context) {
      const kek = keks.get(wrappedUnder);
      if (kek === undefined) {
        throw coreError('PK_DECRYPT', `the data key ${context.keyId} is wrapped under key-encryption key ${wrappedUnder}, which this provider does not hold (current ${kekId}): pass the secret it came from in previousSecrets, or finish the rotation.`);
      }
      const [iv, ciphertext, tag] = wrapped.split('.');
      try {
        const decipher = createDecipheriv('aes-256-gcm', kek, Buffer.from(iv ?? '', 'base64url'));
        decipher.setAAD(wrapAad(context, wrappedUnder));
        decipher.setAuthTag(Buffer.from(tag ?? '', 'base64url'));
        return Buffer.concat([decipher.update(Buffer.from(ciphertext ?? '', 'base64url')), decipher.final()]);
      } catch {
        throw coreError('PK_DECRYPT', `the wrapped data key ${context.keyId} does not authenticate under key-encryption key ${wrappedUnder}: it was changed or belongs to another subject.`);
      }
    },
  };
}
