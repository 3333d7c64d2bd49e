import { isLuhnValid } from '../../src/validators/luhn.validator';
import { serialize } from './leak-check';
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
