import { definePersonalData } from '@privacy-kit/core';
import { createPersonalDataFinder, findPersonalData } from '@privacy-kit/redact';

describe('findPersonalData', () => {
  it('reports the categories the free-text detectors see', () => {
    const text = 'mail alice@example.com card 4111 1111 1111 1111 iban DE89370400440532013000 ip 203.0.113.7 ' +
      'tel +44 20 7946 0958 ssn 123-45-6789 Bearer abcdefgh12345678';
    expect(findPersonalData(text)).toEqual([
      'user.authorization.credentials',
      'user.contact.email',
      'user.contact.phone_number',
      'user.device.ip_address',
      'user.financial.bank_account',
      'user.financial.credit_card',
      'user.government_id.national_identification_number',
    ]);
  });

  it('reports categories from field names, including names and dates of birth', () => {
    const body = { user: { firstName: 'Ada', lastName: 'Lovelace', name: 'Ada L.', e_mail: 'x', dob: '1815-12-10', street: '12 Crescent Rd', iban: 'n/a', ip: 'hidden', phone: null } };
    expect(findPersonalData(body)).toEqual(['user.contact.address', 'user.contact.email', 'user.demographic.date_of_birth', 'user.device.ip_address', 'user.financial.bank_account', 'user.name']);
  });

  it('ignores empty, null and boolean values under personal field names', () => {
    expect(findPersonalData({ email: '', phone: null, name: true })).toEqual([]);
  });

  it('parses a JSON string or Buffer body first', () => {
    expect(findPersonalData('{"items":[{"dateOfBirth":"2000-01-01"}]}')).toEqual(['user.demographic.date_of_birth']);
    expect(findPersonalData(Buffer.from('{"password":"x"}'))).toEqual(['user.authorization.credentials']);
  });

  it('reports the categories of @PersonalData fields of class instances', () => {
    class Patient {
      constructor(public code: string) {}
    }
    definePersonalData(Patient, 'code', { category: 'user.unique_id' });
    expect(findPersonalData({ p: new Patient('P-1') })).toEqual(['user.unique_id']);
  });

  it('finds nothing in a response without personal data', () => {
    expect(findPersonalData({ id: '550e8400-e29b-41d4-a716-446655440000', total: '12.99', at: '2024-01-15T10:30:00Z', items: [1, 2, 3] })).toEqual([]);
  });

  it('bounds its work: values beyond maxNodes are not visited', () => {
    const many = Array.from({ length: 500 }, (_, i) => ({ id: i }));
    many.push({ id: 500, email: 'late@example.com' } as never);
    expect(createPersonalDataFinder({ maxNodes: 100 })(many)).toEqual([]);
    expect(createPersonalDataFinder()(many)).toEqual(['user.contact.email']);
  });

  it('scans only the first maxStringLength characters of a string', () => {
    const text = `${'x '.repeat(5000)} alice@example.com`;
    expect(createPersonalDataFinder({ maxStringLength: 1000 })(text)).toEqual([]);
  });

  it('survives cycles and throwing getters', () => {
    const a: Record<string, unknown> = { email: 'a@example.com' };
    a.self = a;
    Object.defineProperty(a, 'bad', { enumerable: true, get: () => { throw new Error('x'); } });
    expect(findPersonalData(a)).toEqual(['user.contact.email']);
  });

  it('refuses unknown options', () => {
    expect(() => findPersonalData({}, { maxNode: 1 } as never)).toThrow(expect.objectContaining({ code: 'PK_INVALID_OPTION', message: expect.stringContaining("Did you mean 'maxNodes'?") }));
  });
});
