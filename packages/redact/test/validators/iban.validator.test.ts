import { isValidIban } from '../../src/validators/iban.validator';

describe('isValidIban', () => {
  it.each(['DE89 3704 0044 0532 0130 00', 'GB82WEST12345698765432', 'NO9386011117947', 'mt84malt011000012345mtlcast001s'])('accepts %s', (value) => {
    expect(isValidIban(value)).toBe(true);
  });

  it('rejects a wrong check digit (mod-97)', () => {
    expect(isValidIban('DE89370400440532013001')).toBe(false);
  });

  it('rejects the wrong length for the country', () => {
    expect(isValidIban('DE893704004405320130000')).toBe(false);
  });

  it('rejects an unknown country', () => {
    expect(isValidIban('QQ89370400440532013000')).toBe(false);
  });
});
