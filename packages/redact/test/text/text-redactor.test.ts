import { createRedactor } from '@privacy-kit/redact';
import { safeCut } from '../../src/text/text-redactor';

describe('free-text redaction', () => {
  const redact = createRedactor();

  it('replaces overlapping matches of two detectors once, covering both', () => {
    expect(redact.text('"email":"alice@example.com"')).toBe('"email":"[REDACTED:email]"');
  });

  it('returns the very same string when nothing is found', () => {
    const input = 'GET /health 200 in 3.2ms';
    expect(redact.text(input)).toBe(input);
  });

  it.each([
    ['a UUID', '550e8400-e29b-41d4-a716-446655440000'],
    ['an ISO timestamp', '2024-01-15T10:30:00.000Z'],
    ['a timestamp with offset and microseconds', '2024-01-15T10:30:04.271202-05:00'],
    ['a date', '15/01/2024'],
    ['a version', 'v2.10.4'],
    ['a user agent version', 'Chrome/120.0.6099.109'],
    ['a Luhn-invalid id', '4111111111111112'],
    ['an md5 hash', 'd41d8cd98f00b204e9800998ecf8427e'],
    ['a sha256 hash', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['a W3C trace id', '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'],
    ['a price', '$1,299.99'],
    ['a port', 'localhost:5432'],
    ['a count', '1,234,567 rows'],
    ['an epoch in ms', '1705314600000'],
    ['a duration', '00:00:12.345'],
    ['a Mongo ObjectId', '507f1f77bcf86cd799439011'],
  ])('leaves %s untouched (%s)', (_what, value) => {
    expect(redact.text(`value ${value} end`)).toBe(`value ${value} end`);
  });

  it('cuts an oversized string, redacts the kept part and says how much was dropped', () => {
    const small = createRedactor({ maxStringLength: 100 });
    const input = `${'lorem ipsum '.repeat(6)}alice@example.com ${'x'.repeat(500)}`;
    const out = small.text(input);
    expect(out).toContain('[REDACTED:email]');
    expect(out).not.toContain('alice@example.com');
    expect(out).toMatch(/\.\.\.\[truncated \d+ chars\]$/);
    expect(out.length).toBeLessThan(200);
  });

  it('never leaves a partial card number at the cut', () => {
    const small = createRedactor({ maxStringLength: 40 });
    const out = small.text('paid with card 4111 1111 1111 1111 today and more text after it');
    expect(out.replace(/[^0-9]/g, '')).not.toMatch(/4111/);
  });

  it('cuts at white space before the limit and drops trailing digits', () => {
    const text = 'abc def 1234 5678';
    expect(text.slice(0, safeCut(text, 15))).toBe('abc def');
  });
});
