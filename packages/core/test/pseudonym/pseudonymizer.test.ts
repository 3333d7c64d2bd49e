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
