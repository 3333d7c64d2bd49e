import { createRedactor } from '@privacy-kit/redact';
import { isLuhnValid } from '../../src/validators/luhn.validator';
import { changedNegatives, leaksByType, serialize } from './leak-check';
import { generateHeldOut } from './held-out';

describe('held-back corpus', () => {
  const corpus = generateHeldOut(20261204, 1000);

  it('generates the same records for the same seed and different ones for another', () => {
    expect(serialize(generateHeldOut(3, 30).map((r) => r.value))).toBe(serialize(generateHeldOut(3, 30).map((r) => r.value)));
    expect(serialize(generateHeldOut(3, 30).map((r) => r.value))).not.toBe(serialize(generateHeldOut(4, 30).map((r) => r.value)));
  });

  it('plants Luhn-valid cards, so the test is not won by malformed data', () => {
    const cards = corpus.flatMap((r) => r.planted).filter((p) => p.category === 'user.financial.credit_card');
    expect(cards.length).toBeGreaterThan(50);
    for (const p of cards) expect(isLuhnValid(p.value.replace(/[^0-9]/g, ''))).toBe(true);
  });

  it('plants every type it reports on, each with a type name, and hard negatives', () => {
    const types = new Set(corpus.flatMap((r) => r.planted.map((p) => p.type)));
    expect(types.has(undefined)).toBe(false);
    expect(types.size).toBeGreaterThanOrEqual(20);
    expect(corpus.every((r) => r.negatives.length > 0)).toBe(true);
  });
});

describe('held-back corpus, redacted with the defaults', () => {
  const corpus = generateHeldOut(20261204, 2000);
  const redact = createRedactor();

  it('lets no planted value of any type survive', () => {
    const leaked = leaksByType(corpus, redact).filter((row) => row.leaked > 0);
    expect(leaked).toEqual([]);
  });

  it('changes at most 1 % of the hard negatives', () => {
    let total = 0;
    const changed: string[] = [];
    for (const record of corpus) {
      total += record.negatives.length;
      changed.push(...changedNegatives(serialize(redact(record.value)), record.negatives));
    }
    expect(changed.length).toBeLessThanOrEqual(total / 100);
  });

  it('reports planted and leaked values per type', () => {
    const rows = leaksByType(generateHeldOut(1, 20), (value) => value);
    expect(rows.length).toBeGreaterThan(5);
    expect(rows.every((row) => row.planted > 0 && row.leaked === row.planted)).toBe(true);
  });
});
