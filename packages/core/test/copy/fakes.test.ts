import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { Fakes, ibanCheckDigits, luhnCheckDigit, type TextFakeStrategy } from '../../src/copy/fakes';
import { GIVEN_NAMES, SURNAMES } from '../../src/copy/fake-lists';

// The keyed fakes: consistent under one key, different under another, format-valid, from reserved ranges.

const secret = randomBytes(32);
const fakes = new Fakes(secret);

function isValidIban(iban: string): boolean {
  const compact = iban.replace(/ /g, '');
  const rearranged = `${compact.slice(4)}${compact.slice(0, 4)}`;
  let remainder = 0;
  for (const char of rearranged) {
    const digits = /[A-Z]/.test(char) ? String(char.charCodeAt(0) - 55) : char;
    for (const d of digits) remainder = (remainder * 10 + Number(d)) % 97;
  }
  return remainder === 1;
}

function isLuhnValid(digits: string): boolean {
  return luhnCheckDigit(digits.slice(0, -1)) === Number(digits.slice(-1));
}

const ids = fc.string({ minLength: 1, maxLength: 40 });
const compact = fc.stringMatching(/^[A-Za-z0-9]{1,30}$/);

describe('keyed fakes', () => {
  it('gives the same output for the same value, whatever table it comes from, and across runs with the same key', () => {
    const again = new Fakes(secret);
    fc.assert(fc.property(ids, (value) => {
      expect(again.text('email', value)).toBe(fakes.text('email', value));
      expect(again.pseudonym(value, 'text')).toBe(fakes.pseudonym(value, 'text'));
    }));
  });

  it('gives other outputs under another key', () => {
    const other = new Fakes(randomBytes(32));
    const values = Array.from({ length: 50 }, (_, n) => `user-${n}`);
    expect(values.filter((v) => other.pseudonym(v, 'text') === fakes.pseudonym(v, 'text'))).toEqual([]);
    expect(values.filter((v) => other.text('email', v) === fakes.text('email', v))).toEqual([]);
  });

  it('pseudonymizes text as psn_ and 22 base64url characters', () => {
    fc.assert(fc.property(ids, (value) => {
      fc.pre(!/^[0-9a-f-]{36}$/i.test(value));
      expect(fakes.pseudonym(value, 'text')).toMatch(/^psn_[A-Za-z0-9_-]{22}$/);
    }));
  });

  it('pseudonymizes a UUID as a version 4 UUID, the same whatever its case', () => {
    fc.assert(fc.property(fc.uuid(), (uuid) => {
      const out = fakes.pseudonym(uuid, 'uuid') as string;
      expect(out).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(out).not.toBe(uuid);
      expect(fakes.pseudonym(uuid.toUpperCase(), 'text')).toBe(out);
    }));
  });

  it('pseudonymizes integers in the same JS type: number, bigint, digit string', () => {
    const n = fakes.pseudonym(42, 'integer');
    expect(typeof n).toBe('number');
    expect(fakes.pseudonym(42n, 'integer')).toBe(BigInt(n as number));
    expect(fakes.pseudonym('42', 'integer')).toBe(String(n));
  });

  it('keeps the sign of negative integers and stays in the safe range', () => {
    fc.assert(fc.property(fc.maxSafeInteger(), (value) => {
      const out = fakes.pseudonym(value, 'integer') as number;
      expect(Number.isSafeInteger(out)).toBe(true);
      expect(out < 0).toBe(value < 0);
    }));
  });

  it('gives unique integer pseudonyms over 100,000 values (a permutation: primary keys stay unique)', () => {
    const fresh = new Fakes(randomBytes(32));
    const seen = new Set<number>();
    for (let n = 1; n <= 100_000; n++) seen.add(fresh.pseudonym(n, 'integer') as number);
    expect(seen.size).toBe(100_000);
  });

  it('keeps integer pseudonyms unique over random values (property)', () => {
    fc.assert(fc.property(fc.uniqueArray(fc.maxSafeInteger(), { minLength: 2, maxLength: 200 }), (values) => {
      expect(new Set(values.map((v) => fakes.pseudonym(v, 'integer'))).size).toBe(values.length);
    }));
  });

  it('permutes a batch of integers together to exactly what one at a time gives (numbers, bigints, digit strings, negatives) (property)', () => {
    const integer = fc.oneof(fc.maxSafeInteger(), fc.maxSafeInteger().map((n) => BigInt(n)), fc.maxSafeNat().map(String));
    fc.assert(fc.property(fc.array(fc.option(integer), { maxLength: 60 }), (values) => {
      const alone = new Fakes(secret);
      const together = new Fakes(secret).pseudonymIntegers(values, 'integer');
      for (const value of values) {
        if (value !== null) expect(together.get(value)).toEqual(alone.pseudonym(value, 'integer'));
      }
    }));
  });

  it('gives the same fakes, pseudonyms and date shifts with the keyed bytes of a batch computed ahead as one value at a time (property)', () => {
    const strategies: TextFakeStrategy[] = ['email', 'phone', 'iban', 'card', 'name', 'street', 'city', 'postalCode', 'address', 'ip', 'shape'];
    fc.assert(fc.property(fc.array(fc.option(fc.string({ minLength: 1, maxLength: 50 })), { maxLength: 30 }), fc.constantFrom(...strategies), (values, strategy) => {
      const ahead = new Fakes(secret);
      const alone = new Fakes(secret);
      const texts = ahead.prepareTexts(strategy, values);
      const ids = ahead.preparePseudonyms(values);
      values.forEach((value, k) => {
        if (value === null) return;
        expect(ahead.text(strategy, value, texts?.at(k))).toBe(alone.text(strategy, value));
        expect(ahead.pseudonym(value, 'text', ids?.at(k))).toBe(alone.pseudonym(value, 'text'));
      });
    }));
    const dates = ['1980-02-29', '1999-12-31T23:59:00Z', null, '2001-07-04'];
    const subjects = ['s-1', null, 's-2', 's-1'];
    const ahead = new Fakes(secret);
    const shifts = ahead.prepareShifts(dates, 90, subjects);
    dates.forEach((date, k) => {
      if (date !== null) expect(ahead.birthDate(date, 90, subjects[k], shifts?.at(k))).toBe(new Fakes(secret).birthDate(date, 90, subjects[k]));
    });
  });

  it('refuses an integer column value that is not an integer, without naming it', () => {
    expect(() => fakes.pseudonym('user-7', 'integer')).toThrow(/not an integer/);
    expect(() => fakes.pseudonym('user-7', 'integer')).not.toThrow(/user-7/);
  });

  it('makes e-mail addresses first.last.tag at an RFC 2606 domain, unique in practice', () => {
    fc.assert(fc.property(ids, (value) => {
      const email = fakes.text('email', value);
      expect(email).toMatch(/^[a-z]+\.[a-z]+\.[a-z2-7]{8}@example\.(com|net|org)$/);
    }));
    const many = new Set(Array.from({ length: 20_000 }, (_, n) => fakes.text('email', `person-${n}@mail.invalid`)));
    expect(many.size).toBe(20_000);
  });

  it('makes phone numbers in the ranges reserved for fiction, UK or North American like the input', () => {
    fc.assert(fc.property(ids, (value) => {
      expect(fakes.text('phone', `+44 ${value}`)).toMatch(/^\+44 7700 900\d{3}$/);
      expect(fakes.text('phone', `+1 ${value}`)).toMatch(/^\+1 \d{3}-555-01\d{2}$/);
    }));
    expect(fakes.text('phone', '(201) 000-0000')).toMatch(/^\+1 \d{3}-555-01\d{2}$/);
  });

  it('makes GB IBANs with a fictitious bank code and a valid mod-97 checksum', () => {
    fc.assert(fc.property(compact, (value) => {
      const iban = fakes.text('iban', value);
      expect(iban).toMatch(/^GB\d{2}(TEST|FAKE|DEMO)\d{14}$/);
      expect(isValidIban(iban)).toBe(true);
    }));
    expect(ibanCheckDigits('GB', 'WEST12345698765432')).toBe('82');
  });

  it('groups a fake IBAN or card like the input', () => {
    expect(fakes.text('iban', 'XX00 0000 0000 0000 0000 00')).toMatch(/^GB\d{2} [A-Z]{4}( \d{4}){3} \d{2}$/);
    expect(fakes.text('card', '0000-0000-0000-0000')).toMatch(/^\d{4}(-\d{4}){3}$/);
  });

  it('makes card numbers of 16 digits in a test BIN with a valid Luhn digit', () => {
    fc.assert(fc.property(compact, (value) => {
      const card = fakes.text('card', value);
      expect(card).toMatch(/^(411111|400000|555555)\d{10}$/);
      expect(isLuhnValid(card)).toBe(true);
    }));
  });

  it('makes names from the built-in lists', () => {
    fc.assert(fc.property(ids, (value) => {
      const [first, ...last] = fakes.text('name', value).split(' ');
      expect(GIVEN_NAMES).toContain(first);
      expect(SURNAMES).toContain(last.join(' '));
      expect(GIVEN_NAMES).toContain(fakes.text('firstName', value));
      expect(SURNAMES).toContain(fakes.text('lastName', value));
    }));
    expect(GIVEN_NAMES.length).toBeGreaterThanOrEqual(60);
    expect(SURNAMES.length).toBeGreaterThanOrEqual(60);
  });

  it('makes streets, cities and addresses of the expected form', () => {
    expect(fakes.text('street', 'x')).toMatch(/^\d{1,3} [A-Z][a-z]+ (Street|Road|Lane|Way)$/);
    expect(fakes.text('city', 'x')).toMatch(/^[A-Z][a-z]+$/);
    expect(fakes.text('address', 'x')).toMatch(/^\d{1,3} [A-Z][a-z]+ (Street|Road|Lane|Way), \d{5} [A-Z][a-z]+$/);
  });

  it('keeps the shape of a postal code: digits stay digits, letters letters of the same case, the rest as it is', () => {
    fc.assert(fc.property(fc.stringMatching(/^[A-Za-z0-9 -]{1,60}$/), (value) => {
      const out = fakes.text('postalCode', value);
      expect(out.replace(/[0-9]/g, '9').replace(/[A-Z]/g, 'A').replace(/[a-z]/g, 'a')).toBe(value.replace(/[0-9]/g, '9').replace(/[A-Z]/g, 'A').replace(/[a-z]/g, 'a'));
    }));
  });

  it('makes IP addresses from the documentation ranges', () => {
    fc.assert(fc.property(fc.ipV4(), fc.ipV6(), (v4, v6) => {
      expect(fakes.text('ip', v4)).toMatch(/^(192\.0\.2|198\.51\.100|203\.0\.113)\.\d{1,3}$/);
      expect(fakes.text('ip', v6)).toMatch(/^2001:db8(:[0-9a-f]{4}){6}$/);
    }));
  });

  it('shifts dates of birth within the bounds, never by 0, the same for every date of one subject', () => {
    fc.assert(fc.property(fc.string({ minLength: 1 }), fc.integer({ min: 1, max: 400 }), (subject, max) => {
      const a = fakes.birthDate('1990-06-15', max, subject) as string;
      const b = fakes.birthDate('2001-01-31', max, subject) as string;
      const days = (x: string, y: string): number => (Date.parse(x) - Date.parse(y)) / 86_400_000;
      expect(Math.abs(days(a, '1990-06-15'))).toBeGreaterThanOrEqual(1);
      expect(Math.abs(days(a, '1990-06-15'))).toBeLessThanOrEqual(max);
      expect(days(b, '2001-01-31')).toBe(days(a, '1990-06-15'));
    }));
  });

  it('keeps the format of a date-time and of a Date object when shifting', () => {
    const shifted = fakes.birthDate('1990-06-15T08:30:00.000Z', 30, 'user-1') as string;
    expect(shifted).toMatch(/^\d{4}-\d{2}-\d{2}T08:30:00\.000Z$/);
    const date = fakes.birthDate(new Date('1990-06-15T08:30:00.000Z'), 30, 'user-1') as Date;
    expect(date).toBeInstanceOf(Date);
    expect(date.toISOString()).toBe(shifted);
  });

  it('derives the shift from the value when the row has no subject', () => {
    expect(fakes.birthDate('1990-06-15', 30, null)).toBe(fakes.birthDate('1990-06-15', 30, undefined));
    expect(fakes.birthDate('1990-06-15', 30, null)).not.toBe('1990-06-15');
  });

  it('generalises a date to the first of January of its year (birthYear)', () => {
    expect(fakes.birthYear('1990-06-15')).toBe('1990-01-01');
    expect(fakes.birthYear('1990-06-15 08:30:12')).toBe('1990-01-01 00:00:00');
    expect(fakes.birthYear('1990-06-15T08:30:00+02:00')).toBe('1990-01-01T00:00:00+02:00');
    expect((fakes.birthYear(new Date(Date.UTC(1990, 5, 15))) as Date).toISOString()).toBe('1990-01-01T00:00:00.000Z');
  });

  it('refuses a value that is not a date, without naming it', () => {
    expect(() => fakes.birthDate('next tuesday', 30, 'user-1')).toThrow(/not a date/);
    expect(() => fakes.birthDate('1990-02-30', 30, 'user-1')).toThrow(/not a date/);
    expect(() => fakes.birthYear('next tuesday')).not.toThrow(/tuesday/);
  });

  it('never uses Math.random', () => {
    const spy = jest.spyOn(Math, 'random');
    const strategies: TextFakeStrategy[] = ['email', 'phone', 'iban', 'card', 'name', 'firstName', 'lastName', 'street', 'city', 'postalCode', 'region', 'country', 'address', 'ip', 'shape'];
    for (const s of strategies) fakes.text(s, `value-${s}`);
    fakes.pseudonym(7, 'integer');
    fakes.birthDate('1990-01-01', 10, 's');
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
  });
});
