import { randomBytes } from 'node:crypto';
import { createRedactor } from '@privacy-kit/redact';

describe('replacements', () => {
  const hashKey = randomBytes(32);

  it('uses a typed label by default', () => {
    expect(createRedactor().text('to alice@example.com')).toBe('to [REDACTED:email]');
  });

  it('gives the same pseudonym for the same value, so records can be correlated', () => {
    const redact = createRedactor({ replacement: 'hash', hashKey });
    const a = redact.text('from alice@example.com');
    const b = redact.text('to ALICE@example.com');
    expect(a).toMatch(/^from \[REDACTED:email:psn_[A-Za-z0-9_-]{24}\]$/);
    expect(a.slice(5)).toBe(b.slice(3));
    expect(a).not.toContain('alice');
  });

  it('gives different pseudonyms for different values and keys', () => {
    const one = createRedactor({ replacement: 'hash', hashKey });
    const other = createRedactor({ replacement: 'hash', hashKey: randomBytes(32) });
    expect(one.text('a@example.com')).not.toBe(one.text('b@example.com'));
    expect(one.text('a@example.com')).not.toBe(other.text('a@example.com'));
  });

  it('pseudonymises the spellings of one card number alike', () => {
    const redact = createRedactor({ replacement: 'hash', hashKey });
    expect(redact.text('4111 1111 1111 1111')).toBe(redact.text('4111-1111-1111-1111'));
  });

  it('never pseudonymises a credential (a keyed hash of a password could be brute-forced)', () => {
    const redact = createRedactor({ replacement: 'hash', hashKey });
    expect(redact.text('password=hunter2')).toBe('password=[REDACTED:password]');
  });

  it('masks a card to its last four digits, keeping separators', () => {
    const redact = createRedactor({ detectors: { card: { replacement: 'mask' } } });
    expect(redact.text('card 4111 1111 1111 1111')).toBe('card **** **** **** 1111');
  });

  it('masks structured values found by key, and falls back to the label for short ones', () => {
    const redact = createRedactor({ replacement: 'mask' });
    expect(redact({ cardNumber: '4111111111111111', card: 'visa' })).toEqual({ cardNumber: '************1111', card: '[REDACTED:card]' });
  });

  it('uses the label when a detector has no meaningful mask', () => {
    const redact = createRedactor({ replacement: 'mask' });
    expect(redact.text('ssn 123-45-6789 jwt Bearer abcdefghijkl12345678')).toBe('ssn ***-**-6789 jwt Bearer [REDACTED:bearer]');
  });

  it('calls a replacement function with the value, label, category and source', () => {
    const seen: string[] = [];
    const redact = createRedactor({
      replacement: (match) => {
        seen.push(`${match.source}:${match.category}`);
        return `<${match.label}>`;
      },
    });
    expect(redact({ msg: 'hi alice@example.com', password: 'x' })).toEqual({ msg: 'hi <email>', password: '<password>' });
    expect(seen).toEqual(['email:user.contact.email', 'key:user.authorization.credentials']);
  });

  it('switches one detector off and leaves the others on', () => {
    const redact = createRedactor({ detectors: { email: false } });
    expect(redact.text('alice@example.com 203.0.113.7')).toBe('alice@example.com [REDACTED:ip]');
  });
});
