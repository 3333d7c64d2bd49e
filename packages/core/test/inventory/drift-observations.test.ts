import { mergeDriftObservations, parseDriftObservations } from '@privacy-kit/core';
import { isCategoryCovered, undeclaredCategories } from '../../src/inventory/drift-observations';

const one = (categories: string[], samples: number, firstSeen: string, lastSeen: string) => ({ categories, samples, firstSeen, lastSeen });

describe('drift observations', () => {
  it('parse a file as written, sorting and de-duplicating categories', () => {
    const parsed = parseDriftObservations({ version: 1, updatedAt: 't', routes: { 'GET /a': one(['user.name', 'user.contact.email', 'user.name'], 2, 'a', 'b') } });
    expect(parsed.routes['GET /a']).toEqual(one(['user.contact.email', 'user.name'], 2, 'a', 'b'));
  });

  it('refuse a malformed file, naming it and the route', () => {
    expect(() => parseDriftObservations({ version: 2, routes: {} }, 'observed.json')).toThrow(/observed\.json: unsupported version 2/);
    expect(() => parseDriftObservations({ version: 1, routes: { 'GET /a': { categories: 'user.name' } } }, 'observed.json')).toThrow(/route "GET \/a" is malformed/);
    expect(() => parseDriftObservations([], 'observed.json')).toThrow(/not a JSON object/);
  });

  it('merge by uniting categories, adding samples and widening the time span', () => {
    const merged = mergeDriftObservations(
      { version: 1, updatedAt: '2026-01-02', routes: { 'GET /a': one(['user.name'], 2, '2026-01-01', '2026-01-02'), 'GET /b': one([], 1, 'x', 'x') } },
      { version: 1, updatedAt: '2026-01-05', routes: { 'GET /a': one(['user.contact.email'], 3, '2025-12-31', '2026-01-05') } },
    );
    expect(merged).toEqual({
      version: 1,
      updatedAt: '2026-01-05',
      routes: { 'GET /a': one(['user.contact.email', 'user.name'], 5, '2025-12-31', '2026-01-05'), 'GET /b': one([], 1, 'x', 'x') },
    });
  });

  it('count a category as declared when the same key, an ancestor or a descendant is declared', () => {
    expect(isCategoryCovered('user.contact.email', ['user.contact.email'])).toBe(true);
    expect(isCategoryCovered('user.contact.email', ['user.contact'])).toBe(true);
    expect(isCategoryCovered('user.contact', ['user.contact.email'])).toBe(true);
    expect(isCategoryCovered('user.contact.email', ['user.contact.phone_number'])).toBe(false);
    expect(isCategoryCovered('user.contacts', ['user.contact'])).toBe(false);
    expect(undeclaredCategories(['user.name', 'user.financial.credit_card', 'user.name'], ['user.name'])).toEqual(['user.financial.credit_card']);
  });
});
