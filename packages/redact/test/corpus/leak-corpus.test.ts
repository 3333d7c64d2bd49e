import { createRedactor, findPersonalData } from '@privacy-kit/redact';
import { isValidIban } from '../../src/validators/iban.validator';
import { isLuhnValid } from '../../src/validators/luhn.validator';
import { changedNegatives, findLeaks, serialize } from './leak-check';
import { generateCorpus } from './leak-corpus';

describe('leak corpus', () => {
  const corpus = generateCorpus(20240115, 1000);
  const redact = createRedactor();

  it('lets no planted personal value survive: verbatim, case-folded, URL-decoded or digits-only', () => {
    const leaks = corpus.flatMap((record) =>
      findLeaks(serialize(redact(record.value)), record.planted).map((leak) => `#${record.id} ${record.shape}: ${leak.form} ${leak.planted.value}`),
    );
    expect(leaks).toEqual([]);
  });

  it('leaves every hard negative unchanged', () => {
    const changed = corpus.flatMap((record) => changedNegatives(serialize(redact(record.value)), record.negatives).map((n) => `#${record.id} ${record.shape}: ${n}`));
    expect(changed).toEqual([]);
  });

  it('finds the category of every planted value with findPersonalData', () => {
    const missing = corpus.flatMap((record) => {
      const found = new Set(findPersonalData(record.value, { maxTotalText: 1 << 20, maxStringLength: 1 << 20 }));
      return record.planted.filter((p) => !found.has(p.category)).map((p) => `#${record.id} ${record.shape}: ${p.category}`);
    });
    expect(missing).toEqual([]);
  });

  it('plants values a validator accepts, so the test is not won by malformed data', () => {
    const planted = corpus.flatMap((record) => record.planted);
    for (const p of planted.filter((x) => x.category === 'user.financial.credit_card')) expect(isLuhnValid(p.value)).toBe(true);
    for (const p of planted.filter((x) => x.category === 'user.financial.bank_account')) expect(isValidIban(p.value)).toBe(true);
    expect(new Set(planted.map((p) => p.category)).size).toBeGreaterThanOrEqual(11);
  });

  it('generates the same records for the same seed and different ones for another', () => {
    expect(serialize(generateCorpus(7, 20).map((r) => r.value))).toBe(serialize(generateCorpus(7, 20).map((r) => r.value)));
    expect(serialize(generateCorpus(7, 20).map((r) => r.value))).not.toBe(serialize(generateCorpus(8, 20).map((r) => r.value)));
  });

  it('covers every record shape with planted values and hard negatives', () => {
    const shapes = new Set(corpus.map((r) => r.shape));
    expect(shapes.size).toBe(11);
    expect(corpus.every((r) => r.planted.length > 0 && r.negatives.length > 0)).toBe(true);
  });

  it('detects a leak in each form it checks', () => {
    const planted = [{ value: 'Alice@Example.com', category: 'user.contact.email', numeric: false }, { value: '4111 1111 1111 1111', category: 'user.financial.credit_card', numeric: true }];
    expect(findLeaks('x alice@example.com', planted).map((l) => l.form)).toEqual(['case-folded']);
    expect(findLeaks('x Alice%40Example.com', planted).map((l) => l.form)).toEqual(['url-decoded']);
    expect(findLeaks('x 4111-1111-1111-1111', planted).map((l) => l.form)).toEqual(['digits-only']);
  });
});
