import { createRedactor, defineDetector, findPersonalData } from '@privacy-kit/redact';

describe('custom detectors', () => {
  const employeeId = defineDetector({
    name: 'employeeId',
    category: 'user.unique_id',
    pattern: /\bEMP-\d{6}\b/,
    validate: (match) => !match.endsWith('000000'),
  });

  it('adds a detector under a new name', () => {
    const redact = createRedactor({ detectors: { employeeId } });
    expect(redact.text('by EMP-123456 and EMP-000000')).toBe('by [REDACTED:employeeId] and EMP-000000');
  });

  it('replaces a built-in detector given under its name', () => {
    const strictPhone = defineDetector({ name: 'phone', category: 'user.contact.phone_number', pattern: /\bTEL\d{4}\b/ });
    const redact = createRedactor({ detectors: { phone: strictPhone } });
    expect(redact.text('TEL1234 and +44 20 7946 0958')).toBe('[REDACTED:phone] and +44 20 7946 0958');
  });

  it('reports its category to findPersonalData', () => {
    expect(findPersonalData('by EMP-123456', { detectors: { employeeId } })).toContain('user.unique_id');
  });

  it('refuses an unknown category and suggests the closest one', () => {
    expect(() => defineDetector({ name: 'x', category: 'user.contact.emial', pattern: /x/ })).toThrow(
      expect.objectContaining({ code: 'PK_UNKNOWN_CATEGORY', message: expect.stringContaining("Did you mean 'user.contact.email'") }),
    );
  });

  it('refuses an unknown key of the definition and suggests the closest one', () => {
    expect(() => defineDetector({ name: 'x', category: 'user', pattern: /x/, validator: () => true } as never)).toThrow(
      expect.objectContaining({ code: 'PK_INVALID_OPTION', message: expect.stringMatching(/^@privacy-kit\/redact: defineDetector\(\): unknown option 'validator'\. Did you mean 'validate'\?/) }),
    );
  });

  it('refuses a pattern that is not a RegExp', () => {
    expect(() => defineDetector({ name: 'x', category: 'user', pattern: 'x' as unknown as RegExp })).toThrow(
      expect.objectContaining({ code: 'PK_INVALID_OPTION', message: expect.stringMatching(/^@privacy-kit\/redact: /) }),
    );
  });

  it('never loops on a pattern that matches the empty string', () => {
    const empty = defineDetector({ name: 'empty', category: 'user', pattern: /x*/ });
    expect(createRedactor({ detectors: { empty } }).text('abxxc')).toBe('ab[REDACTED:empty]c');
  });
});
