import { randomBytes } from 'node:crypto';
import { createPseudonymizer, deriveKey } from '@privacy-kit/core';

describe('keyed pseudonyms', () => {
  const key = randomBytes(32);

  it('gives the same pseudonym for the same identifier and key', () => {
    const pseudonym = createPseudonymizer(key);
    expect(pseudonym('user-1')).toBe(pseudonym('user-1'));
    expect(pseudonym('user-1')).toMatch(/^psn_[A-Za-z0-9_-]{24}$/);
  });

  it('never contains the identifier and differs per key', () => {
    const id = 'person-under-test@example.com';
    const a = createPseudonymizer(key)(id);
    const b = createPseudonymizer(randomBytes(32))(id);
    expect(a).not.toContain('person');
    expect(a).not.toBe(b);
  });

  it('refuses a key shorter than 32 bytes and says how to make one', () => {
    expect(() => createPseudonymizer('short')).toThrow(expect.objectContaining({ code: 'PK_AUDIT_KEY', message: expect.stringContaining('randomBytes(32)') }));
  });

  it('derives independent keys for each purpose from one secret', () => {
    const secret = randomBytes(32);
    expect(deriveKey(secret, 'audit').equals(deriveKey(secret, 'audit'))).toBe(true);
    expect(deriveKey(secret, 'audit').equals(deriveKey(secret, 'pseudonym'))).toBe(false);
    expect(deriveKey(secret, 'audit')).toHaveLength(32);
  });
});

describe('pinned format: keyed pseudonyms', () => {
  // Computed once and hard-coded: a change here would re-key every stored subject and actor.
  const key = Buffer.from(Array.from({ length: 32 }, (_, i) => i));

  it('is psn_ and the first 24 base64url characters of HMAC-SHA-256(key, identifier)', () => {
    expect(createPseudonymizer(key)('user-1')).toBe('psn_xJ3AF5eKIuGCRF7Cn9SN-AET');
  });

  it('hashes the identifier as UTF-8, the empty one included', () => {
    const pseudonym = createPseudonymizer(key);
    expect(pseudonym('ünïcødé-42')).toBe('psn_mfqnnTqhZKuE77F-Eb6ZZhAE');
    expect(pseudonym('')).toBe('psn_04tCCW2A9F-Ca0Sp1WB95ySW');
  });
});
