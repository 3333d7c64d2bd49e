import { isLuhnValid } from '../../src/validators/luhn.validator';

describe('isLuhnValid', () => {
  it.each(['4111111111111111', '4111 1111 1111 1111', '378282246310005', '79927398713'])('accepts %s', (value) => {
    expect(isLuhnValid(value)).toBe(true);
  });

  it.each(['4111111111111112', '79927398710', '0', ''])('rejects %j', (value) => {
    expect(isLuhnValid(value)).toBe(false);
  });
});
