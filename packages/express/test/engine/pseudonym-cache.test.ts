import { randomBytes } from 'node:crypto';
import { createPseudonymizer } from '@privacy-kit/core';
import { MAX_CACHED_ID_LENGTH, PseudonymCache } from '../../src/engine/pseudonym-cache';
import { appWith, tempStore } from '../support/test-app';

describe('the pseudonym cache', () => {
  const key = randomBytes(32);

  it('gives the same pseudonym as the uncached pseudonymizer for every id, cached or not', () => {
    const plain = createPseudonymizer(key);
    const cache = new PseudonymCache(plain, 64);
    const ids = Array.from({ length: 500 }, (_, n) => `user-${n % 200}`);
    for (const id of ids) expect(cache.pseudonymize(id)).toBe(plain(id));
  });

  it('computes the pseudonym of an id it holds only once', () => {
    let computed = 0;
    const plain = createPseudonymizer(key);
    const cache = new PseudonymCache((id) => { computed++; return plain(id); }, 8);
    cache.pseudonymize('user-1');
    cache.pseudonymize('user-1');
    cache.pseudonymize('user-1');
    expect(computed).toBe(1);
  });

  it('never holds more ids than its bound', () => {
    const cache = new PseudonymCache(createPseudonymizer(key), 100);
    let largest = 0;
    for (let n = 0; n < 1_000; n++) {
      cache.pseudonymize(`user-${n}`);
      largest = Math.max(largest, cache.size);
    }
    expect(largest).toBe(100);
  });

  it('does not hold ids longer than MAX_CACHED_ID_LENGTH, and still pseudonymizes them as core does', () => {
    const plain = createPseudonymizer(key);
    const cache = new PseudonymCache(plain, 100);
    const long = 'x'.repeat(MAX_CACHED_ID_LENGTH + 1);
    expect(cache.pseudonymize(long)).toBe(plain(long));
    expect(cache.size).toBe(0);
  });

  it('is what the kit exposes as kit.pseudonym, with the same pseudonyms as core', async () => {
    const t = tempStore();
    const pseudonymKey = randomBytes(32);
    const { kit } = appWith(t.store, { pseudonymKey });
    const plain = createPseudonymizer(pseudonymKey);
    for (let n = 0; n < 50; n++) expect(kit.pseudonym(`user-${n}`)).toBe(plain(`user-${n}`));
    kit.dispose();
    await t.cleanup();
  });
});
