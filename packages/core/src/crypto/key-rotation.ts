import { coreError } from '../errors/core.error';
import type { DataKeyStore } from '../stores/store-contracts';
import type { KeyProvider } from './key-provider';

/** Progress of a key-encryption-key rotation, as told to `onProgress`. */
export interface RotationProgress {
  /** Keys re-wrapped by this run so far. */
  readonly rewrapped: number;
  /** Keys another rotation had re-wrapped first (compare and set lost). */
  readonly skipped: number;
}

/**
 * Re-wraps every data key not yet under `provider.kekId`: unwraps each with the provider (which must still hold the
 * earlier KEKs, e.g. `localKeyProvider({ secret: next, previousSecrets: [old] })`) and wraps it under the new KEK,
 * in pages, each key replaced by compare and set. Resumable: a run after a crash continues with what is left, since
 * keys already under the new KEK are skipped by the walk itself. Data keys (and so the data) never change.
 *
 * @param keys - the store of wrapped keys
 * @param provider - the key provider holding the new KEK (current) and the earlier ones
 * @param options - page size and a progress callback
 * @returns how many keys this run re-wrapped
 */
export async function rewrapDataKeys(
  keys: DataKeyStore,
  provider: KeyProvider,
  options: { readonly pageSize?: number; readonly onProgress?: (progress: RotationProgress) => void } = {},
): Promise<RotationProgress> {
  const pageSize = options.pageSize ?? 500;
  if (!Number.isSafeInteger(pageSize) || pageSize < 1) throw coreError('PK_INVALID_OPTION', `rewrapDataKeys(): 'pageSize' must be a whole number ≥ 1; got ${String(pageSize)}.`);
  let rewrapped = 0;
  let skipped = 0;
  let after: { subject: string; keyId: string } | undefined;
  for (;;) {
    const page = await keys.listDataKeys({ notKekId: provider.kekId, limit: pageSize, ...(after === undefined ? {} : { after }) });
    if (page.length === 0) break;
    for (const key of page) {
      const context = { subject: key.subject, keyId: key.keyId };
      const dataKey = await provider.unwrap(key.wrapped, key.kekId, context);
      const wrapped = await provider.wrap(dataKey, context);
      dataKey.fill(0);
      if (await keys.rewrapDataKey(key.subject, key.keyId, key.kekId, wrapped, provider.kekId)) rewrapped++;
      else skipped++;
    }
    const last = page[page.length - 1] as { subject: string; keyId: string };
    after = { subject: last.subject, keyId: last.keyId };
    options.onProgress?.({ rewrapped, skipped });
  }
  return { rewrapped, skipped };
}
