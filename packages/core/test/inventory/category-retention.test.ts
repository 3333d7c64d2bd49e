import { categoryRetentionOf, parseRetention } from '@privacy-kit/core';

const period = (text: string) => parseRetention(text, 'test');
const now = new Date('2026-03-01T00:00:00Z');

describe('categoryRetentionOf', () => {
  it('covers the categories asked for and those the declarations name, sorted, each declarer once', () => {
    const result = categoryRetentionOf(
      ['user.name'],
      [
        { category: 'user.demographic.date_of_birth', retention: period('2y'), by: 'field UserProfile.dateOfBirth' },
        { category: 'user.demographic.date_of_birth', retention: period('2y'), by: 'field UserProfile.dateOfBirth' },
      ],
      now,
    );
    expect(result).toEqual([
      { category: 'user.demographic.date_of_birth', retention: { text: '2y', amount: 2, unit: 'year' }, declaredBy: ['field UserProfile.dateOfBirth'] },
      { category: 'user.name', retention: null, declaredBy: [] },
    ]);
  });

  it('counts months as calendar months at the given instant: 1 month is 28 days in February', () => {
    const declarations = [
      { category: 'user.device', retention: period('1m'), by: 'route GET /a' },
      { category: 'user.device', retention: period('29d'), by: 'route GET /b' },
    ];
    expect(categoryRetentionOf([], declarations, new Date('2026-03-01T00:00:00Z'))[0]?.retention?.text).toBe('29d');
    expect(categoryRetentionOf([], declarations, new Date('2026-04-01T00:00:00Z'))[0]?.retention?.text).toBe('1m');
  });

  it('takes the nearest broader category that has a period, not a farther one', () => {
    const result = categoryRetentionOf(
      ['user.contact.address.city'],
      [
        { category: 'user.contact', retention: period('5y'), by: 'route GET /me' },
        { category: 'user.contact.address', retention: period('30d'), by: 'route GET /me/address' },
      ],
      now,
    );
    expect(result.find((r) => r.category === 'user.contact.address.city')).toEqual({
      category: 'user.contact.address.city',
      retention: { text: '30d', amount: 30, unit: 'day' },
      declaredBy: ['route GET /me/address (user.contact.address)'],
    });
  });
});
