import { randomBytes } from 'node:crypto';
import { isSyntheticValue } from '@privacy-kit/core';
import { createRedactor } from '@privacy-kit/redact';
import { Fakes, type TextFakeStrategy } from '../../src/copy/fakes';

// isSyntheticValue() tells the copy's own fakes from leaked data in the post-copy scan. Redact is imported by this
// test only (through jest's moduleNameMapper); core's code never imports it.

const fakes = new Fakes(randomBytes(32));

/** Every (label, value) the redaction engine's detectors find in a text. */
function detect(text: string): { label: string; value: string }[] {
  const found: { label: string; value: string }[] = [];
  const redactor = createRedactor({ keys: false, classAware: false, replacement: (match) => (found.push({ label: match.label, value: match.value }), '') });
  redactor.text(text);
  return found;
}

// 'shape' and 'postalCode' keep the input's form (a phone-shaped value stays phone-shaped: give such a column
// 'phone'), so they are checked on the codes they are meant for.
const generated: TextFakeStrategy[] = ['email', 'phone', 'iban', 'card', 'name', 'firstName', 'lastName', 'street', 'city', 'region', 'country', 'address', 'ip'];
const inputs = (n: number): string[] => [`user-${n}`, `+44 20 0000 ${String(n).padStart(4, '0')}`, `+1 201 000 ${String(n).padStart(4, '0')}`, `10.0.${n % 256}.1`, `fe80::${n.toString(16)}`, `AB${n} 1CD`, `XX00 0000 0000 ${String(n).padStart(4, '0')}`];

describe('isSyntheticValue', () => {
  it('recognises every fake a redaction detector finds, in every generating strategy', () => {
    const findings: { label: string; value: string }[] = [];
    for (let n = 0; n < 300; n++) {
      for (const strategy of generated) for (const input of inputs(n)) findings.push(...detect(fakes.text(strategy, input)));
      findings.push(...detect(fakes.text('postalCode', `AB${n} 1CD`)), ...detect(fakes.text('shape', `ID-${n}-XY`)));
      findings.push(...detect(String(fakes.pseudonym(`user-${n}`, 'text'))));
      findings.push(...detect(String(fakes.pseudonym(`8c4b0d4e-3f0a-4c55-9a6e-${String(n).padStart(12, '0')}`, 'uuid'))));
    }
    const labels = new Set(findings.map((f) => f.label));
    expect([...labels].sort()).toEqual(expect.arrayContaining(['card', 'email', 'iban', 'ip', 'phone']));
    expect(findings.filter((f) => !isSyntheticValue(f.label, f.value))).toEqual([]);
  });

  it('is true for every fake kind: e-mail, phone (UK and US), IBAN, card, IPv4 and IPv6', () => {
    expect(isSyntheticValue('email', fakes.text('email', 'user-1'))).toBe(true);
    expect(isSyntheticValue('phone', fakes.text('phone', '+44 1'))).toBe(true);
    expect(isSyntheticValue('phone', fakes.text('phone', '+1 2'))).toBe(true);
    expect(isSyntheticValue('phone', '07700 900123')).toBe(true);
    expect(isSyntheticValue('phone', '7700 900123')).toBe(true);
    expect(isSyntheticValue('iban', fakes.text('iban', 'x'))).toBe(true);
    expect(isSyntheticValue('card', fakes.text('card', 'x'))).toBe(true);
    expect(isSyntheticValue('ip', fakes.text('ip', '10.0.0.1'))).toBe(true);
    expect(isSyntheticValue('ip', fakes.text('ip', 'fe80::1'))).toBe(true);
    expect(isSyntheticValue('ipv4', '203.0.113.7')).toBe(true);
    expect(isSyntheticValue('ipv6', '2001:DB8::1')).toBe(true);
  });

  it('is false for test data outside the reserved sets', () => {
    for (let n = 1; n <= 20; n++) {
      expect(isSyntheticValue('email', `user-${n}@mail.invalid`)).toBe(false);
      expect(isSyntheticValue('email', `user-${n}@example.co.uk`)).toBe(false);
      expect(isSyntheticValue('phone', `+44 20 7946 ${String(n).padStart(4, '0')}`)).toBe(false);
      expect(isSyntheticValue('phone', `+1 201 555 ${String(200 + n).padStart(4, '0')}`)).toBe(false);
      expect(isSyntheticValue('ip', `10.${n}.0.1`)).toBe(false);
      expect(isSyntheticValue('ip', `fe80::${n}`)).toBe(false);
    }
    expect(isSyntheticValue('iban', 'DE89 3704 0044 0532 0130 00')).toBe(false);
    expect(isSyntheticValue('iban', 'GB82 WEST 1234 5698 7654 32')).toBe(false);
    expect(isSyntheticValue('card', '5105 1051 0510 5100')).toBe(false);
  });

  it('is false for labels whose values it cannot tell apart (address, dob, ssn)', () => {
    expect(isSyntheticValue('address', fakes.text('address', 'x'))).toBe(false);
    expect(isSyntheticValue('dob', '1990-01-01')).toBe(false);
    expect(isSyntheticValue('ssn', '000-00-0000')).toBe(false);
  });
});
