import { randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { isoTime } from '../audit/iso-time';
import type { DataKeyStore, WrappedDataKey } from '../stores/store-contracts';
import { contractStores } from './contract-stores';

/** A data-key store the suite can close (every privacy-kit store is one). */
export type ClosableDataKeyStore = DataKeyStore & { close(): Promise<void> };

/** How the data-key contract suite gets a store of the kind under test. */
export interface DataKeyStoreContractHarness<S extends ClosableDataKeyStore = ClosableDataKeyStore> {
  /** A new, empty store. */
  create(): Promise<S>;
  /**
   * A second store on the same data as `store`, opened the way another instance or process of the app would open
   * it (the same file, the same schema); the suite closes it. Proves the guarantees that hold across instances.
   */
  peer(store: S): Promise<S>;
  /** Removes what `create()` made (files, schemas); the store is already closed. */
  destroy?(store: S): Promise<void>;
}

/**
 * A data key for tests: generated ids and a random wrapped value (opaque text to the store).
 *
 * @param overrides - fields to change
 */
export function sampleDataKey(overrides: Partial<Omit<WrappedDataKey, 'current'>> = {}): Omit<WrappedDataKey, 'current'> {
  return {
    subject: 'psn_subject0000000000000000',
    keyId: randomBytes(12).toString('base64url'),
    kekId: 'local-kek-1',
    wrapped: randomBytes(60).toString('base64url'),
    createdAt: isoTime(),
    ...overrides,
  };
}

/** (subject, keyId) in the byte order of their UTF-8 text (= code point order), the order the contract lists in. */
function byPosition(a: Pick<WrappedDataKey, 'subject' | 'keyId'>, b: Pick<WrappedDataKey, 'subject' | 'keyId'>): number {
  return Buffer.compare(Buffer.from(a.subject), Buffer.from(b.subject)) || Buffer.compare(Buffer.from(a.keyId), Buffer.from(b.keyId));
}

const positionOf = (key: WrappedDataKey): string => `${key.subject}/${key.keyId}`;
const invalidOption = expect.objectContaining({ code: 'PK_INVALID_OPTION' });

/**
 * The contract every store of wrapped data keys ({@link DataKeyStore}) must pass: what `addDataKey` makes current,
 * `ifNoCurrent` across instances, lookups, crypto-shredding by `destroyDataKeys`, the rotation walk of
 * `listDataKeys` and the compare-and-set of `rewrapDataKey`, refusals of bad input, round-trips of any text. The
 * wrapped value is opaque text to the store: nothing here is cryptography. Call it from a jest test file of the
 * store's package.
 *
 * @param name - the store's name, for the suite title
 * @param harness - how to create a store, open a second one on its data, and clean up
 * @example
 * describeDataKeyStoreContract('SqliteStore', {
 *   create: async () => createSqliteStore({ filename, auditKey }),
 *   peer: async (store) => createSqliteStore({ filename, auditKey }),
 * });
 */
export function describeDataKeyStoreContract<S extends ClosableDataKeyStore>(name: string, harness: DataKeyStoreContractHarness<S>): void {
  describe(`${name} satisfies the privacy-kit data key store contract`, () => {
    let store: S;
    const stores = contractStores(harness, (opened) => {
      store = opened;
    });
    const peer = (): Promise<S> => stores.peer();

    async function all(): Promise<readonly WrappedDataKey[]> {
      return store.listDataKeys({ limit: 10_000 });
    }

    describe('addDataKey', () => {
      it("resolves with the key as stored, current, and currentDataKey returns it", async () => {
        const key = sampleDataKey();
        const added = await store.addDataKey(key);
        expect(added).toEqual({ ...key, current: true });
        expect(await store.currentDataKey(key.subject)).toEqual({ ...key, current: true });
      });

      it('makes a new key current and keeps the earlier keys of the subject, no longer current', async () => {
        const first = sampleDataKey();
        const second = sampleDataKey();
        await store.addDataKey(first);
        await store.addDataKey(second);
        expect(await store.currentDataKey(first.subject)).toEqual({ ...second, current: true });
        expect(await store.dataKey(first.subject, first.keyId)).toEqual({ ...first, current: false });
        expect((await all()).filter((k) => k.current)).toEqual([{ ...second, current: true }]);
      });

      it("leaves other subjects' current keys current", async () => {
        const a = sampleDataKey({ subject: 'psn_a' });
        const b = sampleDataKey({ subject: 'psn_b' });
        await store.addDataKey(a);
        await store.addDataKey(b);
        await store.addDataKey(sampleDataKey({ subject: 'psn_b' }));
        expect(await store.currentDataKey('psn_a')).toEqual({ ...a, current: true });
      });

      it('with ifNoCurrent, adds the key and makes it current when the subject has none', async () => {
        const key = sampleDataKey();
        expect(await store.addDataKey(key, { ifNoCurrent: true })).toEqual({ ...key, current: true });
        expect(await all()).toEqual([{ ...key, current: true }]);
      });

      it('with ifNoCurrent, resolves with the existing current key and stores nothing when the subject has one', async () => {
        const existing = sampleDataKey();
        await store.addDataKey(existing);
        const result = await store.addDataKey(sampleDataKey(), { ifNoCurrent: true });
        expect(result).toEqual({ ...existing, current: true });
        expect(await all()).toEqual([{ ...existing, current: true }]);
      });

      it('with ifNoCurrent from two instances at once, leaves ONE current key and both callers get that same key', async () => {
        const other = await peer();
        for (let round = 0; round < 5; round++) {
          const subject = `psn_race_${round}`;
          const [a, b] = await Promise.all([
            store.addDataKey(sampleDataKey({ subject }), { ifNoCurrent: true }),
            other.addDataKey(sampleDataKey({ subject }), { ifNoCurrent: true }),
          ]);
          expect(b).toEqual(a);
          expect((await all()).filter((k) => k.subject === subject)).toEqual([a]);
        }
      });

      it('from two instances at once without ifNoCurrent, keeps both keys and exactly one of them current', async () => {
        const other = await peer();
        const first = sampleDataKey();
        const second = sampleDataKey();
        await Promise.all([store.addDataKey(first), other.addDataKey(second)]);
        const keys = await all();
        expect(keys.map(positionOf).sort()).toEqual([first, second].map((k) => `${k.subject}/${k.keyId}`).sort());
        expect(keys.filter((k) => k.current)).toHaveLength(1);
      });

      it("refuses a key id the subject already has with PK_INVALID_OPTION and changes nothing", async () => {
        const first = sampleDataKey();
        await store.addDataKey(first);
        await store.addDataKey(sampleDataKey());
        const before = await all();
        await expect(store.addDataKey(sampleDataKey({ keyId: first.keyId }))).rejects.toEqual(invalidOption);
        expect(await all()).toEqual(before);
      });
    });

    describe('dataKey and currentDataKey', () => {
      it('dataKey finds a key by subject and id, current or earlier', async () => {
        const earlier = sampleDataKey();
        const current = sampleDataKey();
        await store.addDataKey(earlier);
        await store.addDataKey(current);
        expect(await store.dataKey(earlier.subject, earlier.keyId)).toEqual({ ...earlier, current: false });
        expect(await store.dataKey(current.subject, current.keyId)).toEqual({ ...current, current: true });
      });

      it("dataKey is undefined for an unknown id and for another subject's id", async () => {
        const key = sampleDataKey({ subject: 'psn_a' });
        await store.addDataKey(key);
        expect(await store.dataKey('psn_a', 'no-such-key')).toBeUndefined();
        expect(await store.dataKey('psn_b', key.keyId)).toBeUndefined();
      });

      it('currentDataKey is undefined for a subject that never had a key', async () => {
        await store.addDataKey(sampleDataKey({ subject: 'psn_a' }));
        expect(await store.currentDataKey('psn_b')).toBeUndefined();
      });
    });

    describe('destroyDataKeys (crypto-shredding)', () => {
      it("removes every key of the subject and no other subject's, and resolves with how many it removed", async () => {
        const mine = [sampleDataKey({ subject: 'psn_a' }), sampleDataKey({ subject: 'psn_a' }), sampleDataKey({ subject: 'psn_a' })];
        const theirs = sampleDataKey({ subject: 'psn_b' });
        for (const key of mine) await store.addDataKey(key);
        await store.addDataKey(theirs);
        expect(await store.destroyDataKeys('psn_a')).toBe(3);
        expect(await store.currentDataKey('psn_a')).toBeUndefined();
        for (const key of mine) expect(await store.dataKey('psn_a', key.keyId)).toBeUndefined();
        expect(await all()).toEqual([{ ...theirs, current: true }]);
      });

      it('resolves with 0 for a subject without keys', async () => {
        await store.addDataKey(sampleDataKey({ subject: 'psn_b' }));
        expect(await store.destroyDataKeys('psn_a')).toBe(0);
        expect(await all()).toHaveLength(1);
      });

      it('lets a later addDataKey for the subject work: the new key is current and the only one', async () => {
        await store.addDataKey(sampleDataKey({ subject: 'psn_a' }));
        await store.destroyDataKeys('psn_a');
        const fresh = sampleDataKey({ subject: 'psn_a' });
        expect(await store.addDataKey(fresh, { ifNoCurrent: true })).toEqual({ ...fresh, current: true });
        expect(await all()).toEqual([{ ...fresh, current: true }]);
      });

      it('is seen by another instance at once: its lookups find none of the destroyed keys', async () => {
        const key = sampleDataKey();
        await store.addDataKey(key);
        const other = await peer();
        expect(await other.currentDataKey(key.subject)).toEqual({ ...key, current: true });
        await store.destroyDataKeys(key.subject);
        expect(await other.currentDataKey(key.subject)).toBeUndefined();
        expect(await other.dataKey(key.subject, key.keyId)).toBeUndefined();
      });
    });

    describe('listDataKeys (the rotation walk)', () => {
      it('lists keys in (subject, keyId) order, by the code points of the text (not a locale order)', async () => {
        const keys = [
          sampleDataKey({ subject: 'psn_b', keyId: 'aB' }),
          sampleDataKey({ subject: 'psn_B', keyId: 'zz' }),
          sampleDataKey({ subject: 'psn_b', keyId: 'Ab' }),
          sampleDataKey({ subject: 'psn_é', keyId: 'k1' }),
          sampleDataKey({ subject: 'psn_a', keyId: '_x' }),
          sampleDataKey({ subject: 'psn_a', keyId: '-y' }),
          sampleDataKey({ subject: 'psn_Z', keyId: 'k1' }),
        ];
        for (const key of keys) await store.addDataKey(key);
        const listed = await store.listDataKeys({ limit: 100 });
        expect(listed.map(positionOf)).toEqual([...keys].sort(byPosition).map((k) => `${k.subject}/${k.keyId}`));
      });

      it('with notKekId, leaves out the keys wrapped under that key-encryption key', async () => {
        const old1 = sampleDataKey({ subject: 'psn_a', kekId: 'kek-old' });
        const fresh = sampleDataKey({ subject: 'psn_b', kekId: 'kek-new' });
        const old2 = sampleDataKey({ subject: 'psn_c', kekId: 'kek-older' });
        for (const key of [old1, fresh, old2]) await store.addDataKey(key);
        const listed = await store.listDataKeys({ notKekId: 'kek-new', limit: 100 });
        expect(listed.map(positionOf)).toEqual([old1, old2].map((k) => `${k.subject}/${k.keyId}`));
      });

      it('with limit, returns at most that many, the first in order', async () => {
        const keys = Array.from({ length: 5 }, (_, i) => sampleDataKey({ subject: `psn_${i}` }));
        for (const key of keys) await store.addDataKey(key);
        expect((await store.listDataKeys({ limit: 2 })).map(positionOf)).toEqual(keys.slice(0, 2).map((k) => `${k.subject}/${k.keyId}`));
      });

      it('with after, returns only the keys after that (subject, keyId), even when that key is gone', async () => {
        const keys = [sampleDataKey({ subject: 'psn_a', keyId: 'k1' }), sampleDataKey({ subject: 'psn_a', keyId: 'k2' }), sampleDataKey({ subject: 'psn_b', keyId: 'k1' })];
        for (const key of keys) await store.addDataKey(key);
        expect((await store.listDataKeys({ after: { subject: 'psn_a', keyId: 'k1' }, limit: 10 })).map(positionOf)).toEqual(['psn_a/k2', 'psn_b/k1']);
        await store.destroyDataKeys('psn_a');
        expect((await store.listDataKeys({ after: { subject: 'psn_a', keyId: 'k2' }, limit: 10 })).map(positionOf)).toEqual(['psn_b/k1']);
      });

      it('pages with after and limit so that a rotation walk re-wrapping as it goes visits every key exactly once', async () => {
        const keys = Array.from({ length: 23 }, (_, i) => sampleDataKey({ subject: `psn_${i % 7}`, kekId: i % 5 === 0 ? 'kek-new' : 'kek-old' }));
        for (const key of keys) await store.addDataKey(key);
        const visited: string[] = [];
        let after: { subject: string; keyId: string } | undefined;
        for (;;) {
          const page = await store.listDataKeys({ notKekId: 'kek-new', limit: 4, ...(after === undefined ? {} : { after }) });
          if (page.length === 0) break;
          for (const key of page) {
            visited.push(positionOf(key));
            expect(await store.rewrapDataKey(key.subject, key.keyId, key.kekId, `rewrapped-${key.keyId}`, 'kek-new')).toBe(true);
          }
          const last = page[page.length - 1] as WrappedDataKey;
          after = { subject: last.subject, keyId: last.keyId };
        }
        const expected = keys.filter((k) => k.kekId === 'kek-old').sort(byPosition).map((k) => `${k.subject}/${k.keyId}`);
        expect(visited).toEqual(expected);
        expect(await store.listDataKeys({ notKekId: 'kek-new', limit: 100 })).toEqual([]);
      });
    });

    describe('rewrapDataKey (compare and set on the key-encryption key)', () => {
      it('replaces the wrapping and the kek id of a key still wrapped under fromKekId, and keeps the rest', async () => {
        const earlier = sampleDataKey({ kekId: 'kek-old' });
        const current = sampleDataKey({ kekId: 'kek-old' });
        await store.addDataKey(earlier);
        await store.addDataKey(current);
        expect(await store.rewrapDataKey(earlier.subject, earlier.keyId, 'kek-old', 'new-wrapping', 'kek-new')).toBe(true);
        expect(await store.dataKey(earlier.subject, earlier.keyId)).toEqual({ ...earlier, wrapped: 'new-wrapping', kekId: 'kek-new', current: false });
        expect(await store.currentDataKey(current.subject)).toEqual({ ...current, current: true });
      });

      it('a second rewrap from the old kek returns false and changes nothing', async () => {
        const key = sampleDataKey({ kekId: 'kek-old' });
        await store.addDataKey(key);
        expect(await store.rewrapDataKey(key.subject, key.keyId, 'kek-old', 'first-wrapping', 'kek-new')).toBe(true);
        expect(await store.rewrapDataKey(key.subject, key.keyId, 'kek-old', 'second-wrapping', 'kek-other')).toBe(false);
        expect(await store.dataKey(key.subject, key.keyId)).toEqual({ ...key, wrapped: 'first-wrapping', kekId: 'kek-new', current: true });
      });

      it('from two instances at once, replaces the wrapping exactly once', async () => {
        const other = await peer();
        const key = sampleDataKey({ kekId: 'kek-old' });
        await store.addDataKey(key);
        const results = await Promise.all([
          store.rewrapDataKey(key.subject, key.keyId, 'kek-old', 'wrapping-a', 'kek-a'),
          other.rewrapDataKey(key.subject, key.keyId, 'kek-old', 'wrapping-b', 'kek-b'),
        ]);
        expect(results.filter(Boolean)).toHaveLength(1);
        const winner = results[0] === true ? { wrapped: 'wrapping-a', kekId: 'kek-a' } : { wrapped: 'wrapping-b', kekId: 'kek-b' };
        expect(await store.dataKey(key.subject, key.keyId)).toEqual({ ...key, ...winner, current: true });
      });

      it('returns false for a key the store does not have (never added, or destroyed)', async () => {
        const key = sampleDataKey({ kekId: 'kek-old' });
        await store.addDataKey(key);
        await store.destroyDataKeys(key.subject);
        expect(await store.rewrapDataKey(key.subject, key.keyId, 'kek-old', 'new-wrapping', 'kek-new')).toBe(false);
        expect(await store.rewrapDataKey('psn_never', 'no-such-key', 'kek-old', 'new-wrapping', 'kek-new')).toBe(false);
        expect(await all()).toEqual([]);
      });
    });

    describe('bad input is refused with PK_INVALID_OPTION and stores nothing', () => {
      it('addDataKey refuses an empty subject', async () => {
        await expect(store.addDataKey(sampleDataKey({ subject: '' }))).rejects.toEqual(expect.objectContaining({ code: 'PK_INVALID_OPTION', message: expect.stringMatching(/'subject'/) }));
        expect(await all()).toEqual([]);
      });

      it('addDataKey refuses a wrapped value that is not text, without echoing it', async () => {
        const secret = randomBytes(32);
        const error = await store.addDataKey({ ...sampleDataKey(), wrapped: secret as unknown as string }).then(() => undefined, (e: unknown) => e as Error);
        expect(error).toEqual(expect.objectContaining({ code: 'PK_INVALID_OPTION', message: expect.stringMatching(/'wrapped'/) }));
        expect(error?.message).not.toContain(secret.toString('base64'));
        expect(error?.message).not.toContain(secret.toString('hex'));
        expect(await all()).toEqual([]);
      });

      it('addDataKey refuses an empty key id or kek id and a createdAt that is not an ISO time with offset', async () => {
        await expect(store.addDataKey(sampleDataKey({ keyId: '' }))).rejects.toEqual(invalidOption);
        await expect(store.addDataKey(sampleDataKey({ kekId: '' }))).rejects.toEqual(invalidOption);
        await expect(store.addDataKey(sampleDataKey({ createdAt: 'yesterday' }))).rejects.toEqual(invalidOption);
        expect(await all()).toEqual([]);
      });

      it('destroyDataKeys refuses an empty subject and destroys nothing', async () => {
        await store.addDataKey(sampleDataKey());
        await expect(store.destroyDataKeys('')).rejects.toEqual(invalidOption);
        await expect(store.destroyDataKeys(undefined as unknown as string)).rejects.toEqual(invalidOption);
        expect(await all()).toHaveLength(1);
      });

      it('dataKey and currentDataKey refuse an empty subject', async () => {
        await expect(store.dataKey('', 'k1')).rejects.toEqual(invalidOption);
        await expect(store.currentDataKey('')).rejects.toEqual(invalidOption);
      });

      it('listDataKeys refuses a limit below 1 or not a whole number', async () => {
        await expect(store.listDataKeys({ limit: 0 })).rejects.toEqual(expect.objectContaining({ code: 'PK_INVALID_OPTION', message: expect.stringMatching(/'limit'/) }));
        await expect(store.listDataKeys({ limit: 1.5 })).rejects.toEqual(invalidOption);
        await expect(store.listDataKeys({} as { limit: number })).rejects.toEqual(invalidOption);
      });

      it('rewrapDataKey refuses a wrapped value that is not text and changes nothing', async () => {
        const key = sampleDataKey({ kekId: 'kek-old' });
        await store.addDataKey(key);
        await expect(store.rewrapDataKey(key.subject, key.keyId, 'kek-old', Buffer.from('x') as unknown as string, 'kek-new')).rejects.toEqual(invalidOption);
        await expect(store.rewrapDataKey(key.subject, key.keyId, 'kek-old', 'new-wrapping', '')).rejects.toEqual(invalidOption);
        expect(await all()).toEqual([{ ...key, current: true }]);
      });

      it("messages start with the store's package name", async () => {
        const error = await store.listDataKeys({ limit: 0 }).then(() => undefined, (e: unknown) => e as Error);
        expect(error?.message).toMatch(/^@privacy-kit\/[a-z-]+: /);
      });
    });

    it("round-trips subjects, ids and wrapped values with quotes, backslashes, SQL and unicode", async () => {
      const key = sampleDataKey({
        subject: `psn_'"\\; DROP TABLE data_keys; -- é 漢字 😀`,
        keyId: `k'"\\%_😀`,
        kekId: `kek "local" 'é'`,
        wrapped: `w'"\\x漢😀`,
      });
      await store.addDataKey(key);
      expect(await store.dataKey(key.subject, key.keyId)).toEqual({ ...key, current: true });
      expect(await store.currentDataKey(key.subject)).toEqual({ ...key, current: true });
      expect(await store.listDataKeys({ after: { subject: key.subject, keyId: '' }, limit: 10 })).toEqual([{ ...key, current: true }]);
      expect(await store.rewrapDataKey(key.subject, key.keyId, key.kekId, `new '"\\ 😀`, 'kek-é')).toBe(true);
      expect(await store.destroyDataKeys(key.subject)).toBe(1);
    });

    it('rejects every data-key call after close() with PK_STORE_CLOSED', async () => {
      await store.close();
      stores.closed();
      const closedError = expect.objectContaining({ code: 'PK_STORE_CLOSED' });
      await expect(store.addDataKey(sampleDataKey())).rejects.toEqual(closedError);
      await expect(store.currentDataKey('psn_a')).rejects.toEqual(closedError);
      await expect(store.dataKey('psn_a', 'k1')).rejects.toEqual(closedError);
      await expect(store.destroyDataKeys('psn_a')).rejects.toEqual(closedError);
      await expect(store.listDataKeys({ limit: 1 })).rejects.toEqual(closedError);
      await expect(store.rewrapDataKey('psn_a', 'k1', 'a', 'w', 'b')).rejects.toEqual(closedError);
    });
  });
}
