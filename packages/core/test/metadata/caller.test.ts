import { getPersonalFields, resolveProcessing, validateProcessingPart, type ProcessingOptions } from '@privacy-kit/core';

const signup: ProcessingOptions = { categories: ['user.contact.email'], purpose: 'essential.service', basis: 'contract' };
const byEmail = (req: { body: { email?: unknown } }) => req.body.email;
const resolve = (...parts: ProcessingOptions[]) => resolveProcessing(parts, 'POST /signup', getPersonalFields);

describe("the 'caller' of a processing declaration", () => {
  it("is 'required' unless the declaration says otherwise", () => {
    expect(resolve(signup).caller).toBe('required');
  });

  it.each(['anonymous', 'optional'] as const)("resolves caller: '%s' with a subject the route names", (caller) => {
    expect(resolve({ ...signup, caller, subject: byEmail })).toEqual(expect.objectContaining({ caller, subject: byEmail }));
  });

  it.each(['anonymous', 'optional'] as const)("refuses caller: '%s' without a subject, saying how to name one", (caller) => {
    expect(() => resolve({ ...signup, caller })).toThrow(
      expect.objectContaining({ code: 'PK_INVALID_OPTION', message: expect.stringContaining(`caller: '${caller}' needs a subject the route names, e.g. subject: (req) => req.body.email`) }),
    );
  });

  it("refuses caller: 'anonymous' with subject: 'self' (there is no caller to be the subject)", () => {
    expect(() => resolve({ ...signup, caller: 'anonymous', subject: 'self' })).toThrow(/caller: 'anonymous' needs a subject the route names/);
  });

  it("refuses roles on a route whose caller is not required", () => {
    expect(() => resolve({ ...signup, caller: 'optional', subject: byEmail, roles: ['staff'] })).toThrow(/'roles' need an identified caller; remove them or remove caller: 'optional'/);
  });

  it('refuses an unknown caller value, listing the allowed ones', () => {
    expect(() => validateProcessingPart({ ...signup, caller: 'public' as never }, 'personalData()')).toThrow(
      /personalData\(\): 'caller' must be 'required', 'optional' or 'anonymous'; got "public"/,
    );
  });

  it('refuses two parts that declare different callers', () => {
    expect(() => resolve({ ...signup, caller: 'anonymous', subject: byEmail }, { consent: 'marketing.communications.email', caller: 'required' })).toThrow(
      /declares two callers \(anonymous, required\)/,
    );
  });

  it('takes the caller of one part for the whole declaration', () => {
    expect(resolve({ ...signup, caller: 'anonymous', subject: byEmail }, { consent: 'marketing.communications.email' }).caller).toBe('anonymous');
  });
});
