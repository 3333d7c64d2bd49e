import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { coreError } from '../errors/core.error';

/** The first part of every envelope: the format and its version. */
export const ENVELOPE_PREFIX = 'pk1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const B64URL = /^[A-Za-z0-9_-]+$/;
/** IVs are drawn from the CSPRNG in blocks (one call per 512 seals instead of one per seal); each IV is used once. */
const IV_BLOCK = IV_BYTES * 512;
let ivPool = Buffer.alloc(0);
let ivAt = 0;

function nextIv(): Buffer {
  if (ivAt + IV_BYTES > ivPool.length) {
    ivPool = randomBytes(IV_BLOCK);
    ivAt = 0;
  }
  const iv = ivPool.subarray(ivAt, ivAt + IV_BYTES);
  ivAt += IV_BYTES;
  return iv;
}

/** Where a sealed value belongs: its class, its field and its data subject. A value moved elsewhere never opens. */
export interface SealContext {
  /** The class (model) name, e.g. 'UserProfile'. */
  readonly model: string;
  readonly field: string;
  /** The data subject's id or pseudonym, as the app passes it to seal and open. */
  readonly subject: string;
}

/** The parts of an envelope `pk1.<keyId>.<base64url(iv ‖ ciphertext ‖ tag)>`. */
export interface ParsedEnvelope {
  readonly keyId: string;
  readonly iv: Buffer;
  readonly ciphertext: Buffer;
  readonly tag: Buffer;
}

/** The additional authenticated data: binds the envelope to its class, field, subject and key id. */
function aad(context: SealContext, keyId: string): Buffer {
  return Buffer.from(`privacy-kit field\nv1\n${context.model}\n${context.field}\n${context.subject}\n${keyId}`, 'utf8');
}

/**
 * Seals a value (any JSON value) under a data key with AES-256-GCM: a random 96-bit IV, the AAD of
 * {@link SealContext} and the key id, and a versioned text envelope `pk1.<keyId>.<payload>`, the payload being the
 * base64url of IV, ciphertext and tag together.
 *
 * @param key - the 32-byte data key
 * @param keyId - its id (base64url), written into the envelope
 * @param context - class, field and subject
 * @param value - the value; it round-trips through JSON
 */
export function sealEnvelope(key: Buffer, keyId: string, context: SealContext, value: unknown): string {
  const iv = nextIv();
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad(context, keyId));
  const ciphertext = cipher.update(JSON.stringify(value), 'utf8');
  cipher.final();
  return `${ENVELOPE_PREFIX}.${keyId}.${Buffer.concat([iv, ciphertext, cipher.getAuthTag()]).toString('base64url')}`;
}

/** Whether a stored value is an envelope (what an encrypted field must hold). */
export function isEnvelope(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith(`${ENVELOPE_PREFIX}.`);
}

/**
 * The parts of an envelope, or a PK_DECRYPT error saying what is wrong with it (never echoing the value).
 *
 * @param value - what the field holds
 * @param context - for the message
 */
export function parseEnvelope(value: unknown, context: SealContext): ParsedEnvelope {
  const where = `${context.model}.${context.field}`;
  if (!isEnvelope(value)) {
    const what = typeof value === 'string' ? 'text that is not an envelope (clear text?)' : value === null ? 'null' : typeof value;
    throw coreError('PK_DECRYPT', `${where} is marked encrypt: true but holds ${what}; it is not passed through. Seal it with seal() before storing it.`);
  }
  const dot = value.indexOf('.', ENVELOPE_PREFIX.length + 1);
  const keyId = value.slice(ENVELOPE_PREFIX.length + 1, dot);
  const payload = dot < 0 ? '' : value.slice(dot + 1);
  // A changed character that base64url decoding would skip still fails authentication; this catches a cut value.
  if (dot < 0 || keyId === '' || !B64URL.test(keyId) || payload.length < Math.ceil(((IV_BYTES + TAG_BYTES) * 4) / 3) || payload.includes('.')) {
    throw coreError('PK_DECRYPT', `${where}: the envelope is malformed (expected pk1.<keyId>.<payload>): it was changed or cut short.`);
  }
  const bytes = Buffer.from(payload, 'base64url');
  return {
    keyId,
    iv: bytes.subarray(0, IV_BYTES),
    ciphertext: bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES),
    tag: bytes.subarray(bytes.length - TAG_BYTES),
  };
}

/**
 * Opens an envelope under its data key. Anything that does not authenticate (changed bytes, another field, record,
 * subject or key) fails with PK_DECRYPT: never a guess, never the ciphertext.
 *
 * @param key - the data key the envelope names
 * @param envelope - parsed
 * @param context - class, field and subject the value is read as
 */
export function openEnvelope(key: Buffer, envelope: ParsedEnvelope, context: SealContext): unknown {
  let text: string;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, envelope.iv);
    decipher.setAAD(aad(context, envelope.keyId));
    decipher.setAuthTag(envelope.tag);
    const clear = decipher.update(envelope.ciphertext);
    decipher.final();
    text = clear.toString('utf8');
  } catch {
    throw coreError(
      'PK_DECRYPT',
      `${context.model}.${context.field}: the value does not authenticate: it was changed, or it belongs to another field, record or data subject (it was moved), or it was sealed under another key.`,
    );
  }
  return JSON.parse(text) as unknown;
}
