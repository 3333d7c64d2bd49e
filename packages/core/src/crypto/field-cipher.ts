import { createHmac, randomBytes } from 'node:crypto';
import { isoTime } from '../audit/iso-time';
import { coreError } from '../errors/core.error';
import { defineOptionKeys, rejectUnknownOptions } from '../errors/option-keys';
import { getPersonalFields } from '../metadata/readers';
import type { DataKeyStore, WrappedDataKey } from '../stores/store-contracts';
import { keyBytes } from '../pseudonym/pseudonymizer';
import { DataKeyCache } from './key-cache';
import type { KeyProvider } from './key-provider';
import { openEnvelope, parseEnvelope, sealEnvelope, type SealContext } from './envelope';

/** Unwrapped data keys kept in memory by default. */
export const DEFAULT_DATA_KEY_CACHE_MAX = 1000;
/** How long an unwrapped data key stays in memory by default, in ms. */
export const DEFAULT_DATA_KEY_CACHE_TTL_MS = 60_000;

/** Options of {@link createFieldCipher}. */
export interface FieldCipherOptions {
  /** Where the wrapped data keys live: the privacy-kit store (SQLite or PostgreSQL). */
  readonly keys: DataKeyStore;
  /** Wraps and unwraps data keys (see `localKeyProvider`, or a KMS adapter). */
  readonly keyProvider: KeyProvider;
  /** Key for blind indexes (e.g. `deriveKey(secret, 'blind-index')`), at least 32 bytes; needed by `blindIndex()`. */
  readonly blindIndexKey?: string | Buffer;
  /** Unwrapped keys in memory: at most `max` (default 1,000), each for at most `ttlMs` (default 60 s). 0 turns it off. */
  readonly cache?: { readonly max?: number; readonly ttlMs?: number };
}

/** A class with `@PersonalData({ encrypt: true })` fields, or the name and field list of a model without decorators. */
export type EncryptedModel = Function;

/**
 * Field encryption driven by the annotations. `seal()` returns a copy of a record whose `encrypt: true` fields are
 * envelopes sealed under the data subject's key (created and stored wrapped on first use); `open()` returns a copy
 * with them opened. Usable from any data layer: seal before INSERT/UPDATE, open after SELECT.
 */
export interface FieldCipher {
  /** The `encrypt: true` fields of a model. */
  encryptedFields(model: EncryptedModel): readonly string[];
  /** A copy of `record` with every encrypted field of `model` sealed for `subject` (null and undefined stay as they are). */
  seal<T extends object>(model: EncryptedModel, subject: string, record: T): Promise<T>;
  /** A copy of `record` with every encrypted field opened; fails with PK_DECRYPT or PK_KEY_DESTROYED, never passes an envelope or clear text through. */
  open<T extends object>(model: EncryptedModel, subject: string, record: T): Promise<T>;
  /** Seals one value of a field. */
  sealValue(model: EncryptedModel, field: string, subject: string, value: unknown): Promise<string>;
  /** Opens one value of a field. */
  openValue(model: EncryptedModel, field: string, subject: string, envelope: unknown): Promise<unknown>;
  /**
   * The blind index of a value for equality search on an encrypted field: HMAC-SHA-256 under a key derived per
   * model and field from `blindIndexKey`. Equal values have equal indexes (that is what it leaks).
   */
  blindIndex(model: EncryptedModel, field: string, value: unknown): string;
  /** Destroys every data key of the subject (crypto-shredding): what they sealed never opens again, in any copy. */
  shred(subject: string): Promise<number>;
  /** Gives the subject a new current data key; values sealed under earlier keys still open. */
  rotateSubjectKey(subject: string): Promise<WrappedDataKey>;
}

const OPTION_KEYS = defineOptionKeys<FieldCipherOptions>({ keys: true, keyProvider: true, blindIndexKey: true, cache: true });
const DATA_KEY_METHODS = ['addDataKey', 'dataKey', 'currentDataKey', 'destroyDataKeys', 'listDataKeys', 'rewrapDataKey'] as const;

function invalid(message: string): never {
  throw coreError('PK_INVALID_OPTION', `createFieldCipher(): ${message}`);
}

function count(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) invalid(`'cache.${name}' must be a whole number ≥ 0; got ${typeof value === 'number' ? String(value) : typeof value}.`);
  return value;
}

/**
 * Creates the field cipher of an app.
 *
 * @param options - the store of wrapped keys, the key provider, the blind-index key, the cache bounds
 * @example
 * const cipher = createFieldCipher({ keys: store, keyProvider: localKeyProvider({ secret }), blindIndexKey: deriveKey(secret, 'blind-index') });
 * const row = await cipher.seal(UserProfile, subject, user);   // store row
 * const user = await cipher.open(UserProfile, subject, row);   // after SELECT
 */
export function createFieldCipher(options: FieldCipherOptions): FieldCipher {
  if (typeof options !== 'object' || options === null) invalid('needs { keys: store, keyProvider }.');
  rejectUnknownOptions(options, OPTION_KEYS, 'createFieldCipher()', coreError);
  const { keys, keyProvider } = options;
  const missing = DATA_KEY_METHODS.filter((m) => typeof (keys as unknown as Record<string, unknown> | undefined)?.[m] !== 'function');
  if (missing.length > 0) invalid(`'keys' must be a store that keeps wrapped data keys (SqliteStore, PostgresStore); it lacks ${missing.join(', ')}.`);
  if (typeof keyProvider?.wrap !== 'function' || typeof keyProvider.unwrap !== 'function' || typeof keyProvider.kekId !== 'string') {
    invalid("'keyProvider' must have kekId, wrap() and unwrap(), e.g. localKeyProvider({ secret }).");
  }
  const indexKey = options.blindIndexKey === undefined ? undefined : keyBytes(options.blindIndexKey, 'blindIndexKey');
  const cache = new DataKeyCache(count(options.cache?.max, 'max', DEFAULT_DATA_KEY_CACHE_MAX), count(options.cache?.ttlMs, 'ttlMs', DEFAULT_DATA_KEY_CACHE_TTL_MS));
  /** The current key id of each subject seen, so seal finds its key in the cache without asking the store. */
  const currentIds = new Map<string, string>();
  const fieldsOf = new WeakMap<Function, readonly string[]>();

  const encryptedFields = (model: EncryptedModel): readonly string[] => {
    if (typeof model !== 'function') throw coreError('PK_INVALID_OPTION', `expected a class with @PersonalData({ encrypt: true }) fields; got ${typeof model}.`);
    let fields = fieldsOf.get(model);
    if (fields === undefined) {
      fields = getPersonalFields(model).filter((f) => f.encrypt === true).map((f) => f.property);
      fieldsOf.set(model, fields);
    }
    return fields;
  };
  const checkSubject = (model: EncryptedModel, field: string, subject: string): void => {
    if (typeof subject !== 'string' || subject === '') throw coreError('PK_INVALID_OPTION', `${model.name}.${field}: seal and open need the data subject (a non-empty string); got ${typeof subject === 'string' ? 'an empty string' : typeof subject}.`);
  };
  const checkField = (model: EncryptedModel, field: string): void => {
    if (!encryptedFields(model).includes(field)) {
      throw coreError('PK_INVALID_OPTION', `${model.name}.${field} is not marked @PersonalData({ ..., encrypt: true }); encrypted fields of ${model.name}: ${encryptedFields(model).join(', ') || 'none'}.`);
    }
  };
  /** The checked context of one value (sealValue, openValue); seal and open check once per record instead. */
  const context = (model: EncryptedModel, field: string, subject: string): SealContext => {
    checkSubject(model, field, subject);
    checkField(model, field);
    return { model: model.name, field, subject };
  };
  /** Blind-index keys per model and field, derived once. */
  const indexKeys = new WeakMap<Function, Map<string, Buffer>>();
  const indexKeyOf = (key: Buffer, model: EncryptedModel, field: string): Buffer => {
    const known = indexKeys.get(model)?.get(field);
    if (known !== undefined) return known;
    // Checked before anything is kept: the model must be a class with this field marked encrypt: true.
    checkField(model, field);
    const fieldKey = createHmac('sha256', key).update(`privacy-kit blind index\nv1\n${model.name}\n${field}`).digest();
    let fields = indexKeys.get(model);
    if (fields === undefined) indexKeys.set(model, (fields = new Map<string, Buffer>()));
    fields.set(field, fieldKey);
    return fieldKey;
  };

  const unwrap = async (record: WrappedDataKey): Promise<Buffer> => {
    const key = await keyProvider.unwrap(record.wrapped, record.kekId, { subject: record.subject, keyId: record.keyId });
    cache.set(record.subject, record.keyId, key);
    return key;
  };

  /** The subject's current key when it is in the cache, without a promise (the hot path of seal). */
  const cachedCurrentKey = (subject: string): { keyId: string; key: Buffer } | undefined => {
    const known = currentIds.get(subject);
    const key = known === undefined ? undefined : cache.get(subject, known);
    return known === undefined || key === undefined ? undefined : { keyId: known, key };
  };

  /** The subject's current key: from the cache, the store, or made now (another instance may win the race: its key is used). */
  const currentKey = async (subject: string): Promise<{ keyId: string; key: Buffer }> => {
    const known = currentIds.get(subject);
    const cached = known === undefined ? undefined : cache.get(subject, known);
    if (known !== undefined && cached !== undefined) return { keyId: known, key: cached };
    let record = await keys.currentDataKey(subject);
    if (record === undefined) {
      const dataKey = randomBytes(32);
      const keyId = randomBytes(12).toString('base64url');
      const wrapped = await keyProvider.wrap(dataKey, { subject, keyId });
      record = await keys.addDataKey({ subject, keyId, kekId: keyProvider.kekId, wrapped, createdAt: isoTime() }, { ifNoCurrent: true });
      if (record.keyId === keyId) {
        cache.set(subject, keyId, dataKey);
        currentIds.set(subject, keyId);
        return { keyId, key: dataKey };
      }
      dataKey.fill(0);
    }
    currentIds.set(subject, record.keyId);
    return { keyId: record.keyId, key: await unwrap(record) };
  };

  const keyFor = async (subject: string, keyId: string, where: string): Promise<Buffer> => {
    const cached = cache.get(subject, keyId);
    if (cached !== undefined) return cached;
    const record = await keys.dataKey(subject, keyId);
    if (record === undefined) {
      throw coreError('PK_KEY_DESTROYED', `${where}: the data key that sealed this value is gone (the data subject's keys were destroyed by an erasure, or it was sealed by another store): it can never be opened.`);
    }
    return unwrap(record);
  };

  const sealValue = async (model: EncryptedModel, field: string, subject: string, value: unknown): Promise<string> => {
    const ctx = context(model, field, subject);
    const { keyId, key } = await currentKey(subject);
    return sealEnvelope(key, keyId, ctx, value);
  };
  const openValue = async (model: EncryptedModel, field: string, subject: string, value: unknown): Promise<unknown> => {
    const ctx = context(model, field, subject);
    const envelope = parseEnvelope(value, ctx);
    return openEnvelope(await keyFor(subject, envelope.keyId, `${ctx.model}.${field}`), envelope, ctx);
  };

  const copy = <T extends object>(record: T): Record<string, unknown> => {
    if (typeof record !== 'object' || record === null) throw coreError('PK_INVALID_OPTION', `seal and open take a record (an object); got ${record === null ? 'null' : typeof record}.`);
    return Object.assign(Object.create(Object.getPrototypeOf(record) as object | null) as Record<string, unknown>, record);
  };

  return {
    encryptedFields,
    sealValue,
    openValue,
    async seal(model, subject, record) {
      const out = copy(record);
      const fields = encryptedFields(model);
      let current: { keyId: string; key: Buffer } | undefined;
      for (const field of fields) {
        const value = out[field];
        if (value === undefined || value === null) continue;
        if (current === undefined) checkSubject(model, field, subject);
        const ctx: SealContext = { model: model.name, field, subject };
        // One key per record: the subject's current key, looked up once (without a promise when it is cached).
        current ??= cachedCurrentKey(subject) ?? await currentKey(subject);
        out[field] = sealEnvelope(current.key, current.keyId, ctx, value);
      }
      return out as typeof record;
    },
    async open(model, subject, record) {
      const out = copy(record);
      const opened = new Map<string, Buffer>();
      for (const field of encryptedFields(model)) {
        const value = out[field];
        if (value === undefined || value === null) continue;
        if (opened.size === 0) checkSubject(model, field, subject);
        const ctx: SealContext = { model: model.name, field, subject };
        const envelope = parseEnvelope(value, ctx);
        let key = opened.get(envelope.keyId);
        if (key === undefined) {
          key = cache.get(subject, envelope.keyId) ?? await keyFor(subject, envelope.keyId, `${ctx.model}.${field}`);
          opened.set(envelope.keyId, key);
        }
        out[field] = openEnvelope(key, envelope, ctx);
      }
      return out as typeof record;
    },
    blindIndex(model, field, value) {
      if (indexKey === undefined) throw coreError('PK_INVALID_OPTION', "blindIndex() needs the cipher's 'blindIndexKey' option, e.g. deriveKey(secret, 'blind-index').");
      return createHmac('sha256', indexKeyOf(indexKey, model, field)).update(JSON.stringify(value)).digest('base64url');
    },
    async shred(subject) {
      if (typeof subject !== 'string' || subject === '') throw coreError('PK_INVALID_OPTION', 'shred() needs the data subject (a non-empty string).');
      const destroyed = await keys.destroyDataKeys(subject);
      cache.forget(subject);
      currentIds.delete(subject);
      return destroyed;
    },
    async rotateSubjectKey(subject) {
      if (typeof subject !== 'string' || subject === '') throw coreError('PK_INVALID_OPTION', 'rotateSubjectKey() needs the data subject (a non-empty string).');
      const dataKey = randomBytes(32);
      const keyId = randomBytes(12).toString('base64url');
      const record = await keys.addDataKey({ subject, keyId, kekId: keyProvider.kekId, wrapped: await keyProvider.wrap(dataKey, { subject, keyId }), createdAt: isoTime() });
      cache.set(subject, keyId, dataKey);
      currentIds.set(subject, keyId);
      return record;
    },
  };
}
