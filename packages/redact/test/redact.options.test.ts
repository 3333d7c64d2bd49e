import { createRedactor } from '@privacy-kit/redact';
import { DEFAULT_MAX_STRING_LENGTH, resolveRedactOptions } from '../src/redact.options';

describe('redactor options', () => {
  it('applies the full default set with no options', () => {
    const resolved = resolveRedactOptions();
    expect(resolved.detectors.map((d) => d.detector.name)).toEqual([
      'email', 'card', 'iban', 'ipv4', 'ipv4Numeric', 'ipv6', 'mac', 'jwt', 'ssn', 'nino', 'phone', 'bearer', 'coordinates', 'dateOfBirth', 'postalAddress', 'keyValue',
    ]);
    expect(resolved.maxStringLength).toBe(DEFAULT_MAX_STRING_LENGTH);
    expect(resolved.classAware).toBe(true);
    expect(resolved.keys).not.toBe(false);
  });

  it('refuses an unknown option and suggests the closest one', () => {
    expect(() => createRedactor({ path: ['a'] } as never)).toThrow(
      expect.objectContaining({ code: 'PK_INVALID_OPTION', message: expect.stringMatching(/^@privacy-kit\/redact: createRedactor\(\): unknown option 'path'\. Did you mean 'paths'\?/) }),
    );
  });

  it('refuses an unknown option of keys and suggests the closest one', () => {
    expect(() => createRedactor({ keys: { extras: ['customerRef'] } as never })).toThrow(
      expect.objectContaining({ code: 'PK_INVALID_OPTION', message: "@privacy-kit/redact: createRedactor({ keys }): unknown option 'extras'. Did you mean 'extra'? Known options: extra, ignore." }),
    );
  });

  it("refuses an unknown option of a detector's setting and suggests the closest one", () => {
    expect(() => createRedactor({ detectors: { card: { replacment: 'mask' } as never } })).toThrow(
      expect.objectContaining({ code: 'PK_INVALID_OPTION', message: expect.stringContaining("unknown option 'replacment'. Did you mean 'replacement'? Known options: enabled, replacement.") }),
    );
  });

  it('refuses an unknown detector name and lists the built-in ones', () => {
    expect(() => createRedactor({ detectors: { emial: false } })).toThrow(expect.objectContaining({ message: expect.stringContaining("Did you mean 'email'?") }));
  });

  it('refuses the hash replacement without a key and says how to make one', () => {
    expect(() => createRedactor({ replacement: 'hash' })).toThrow(expect.objectContaining({ code: 'PK_INVALID_OPTION', message: expect.stringContaining("needs 'hashKey'") }));
    expect(() => createRedactor({ detectors: { email: { replacement: 'hash' } } })).toThrow(expect.objectContaining({ message: expect.stringContaining("needs 'hashKey'") }));
  });

  it('refuses a hash key shorter than 32 bytes', () => {
    expect(() => createRedactor({ replacement: 'hash', hashKey: 'short' })).toThrow(expect.objectContaining({ message: expect.stringContaining('at least 32 bytes (got 5 bytes)') }));
  });

  it('refuses a bad replacement and bad limits', () => {
    expect(() => createRedactor({ replacement: 'blur' as never })).toThrow(expect.objectContaining({ message: expect.stringContaining("'label', 'hash', 'mask'") }));
    expect(() => createRedactor({ maxDepth: 0 })).toThrow(expect.objectContaining({ message: expect.stringContaining("'maxDepth' must be a positive integer") }));
  });

  it('fails on a bad path when the redactor is created, not when it first logs', () => {
    expect(() => createRedactor({ paths: ['user..password'] })).toThrow(expect.objectContaining({ code: 'PK_INVALID_OPTION' }));
  });

  it('switches free text off entirely with text: false', () => {
    expect(createRedactor({ text: false })({ msg: 'alice@example.com', password: 'x' })).toEqual({ msg: 'alice@example.com', password: '[REDACTED:password]' });
  });

  it('switches the key table off with keys: false, and extends or trims it', () => {
    expect(createRedactor({ keys: false, text: false })({ password: 'x' })).toEqual({ password: 'x' });
    const custom = createRedactor({ keys: { extra: ['customerRef'], ignore: ['address'] }, text: false });
    expect(custom({ customer_ref: 'C-1', address: '0.0.0.0', password: 'x' })).toEqual({ customer_ref: '[REDACTED]', address: '0.0.0.0', password: '[REDACTED:password]' });
  });

  it('switches class awareness off with classAware: false', () => {
    class Thing {
      constructor(public label: string) {}
    }
    expect(createRedactor({ classAware: false, text: false })(new Thing('x'))).toBeInstanceOf(Thing);
  });
});
