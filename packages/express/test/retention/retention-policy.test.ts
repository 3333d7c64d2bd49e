import { IsString } from 'class-validator';
import { PersonalData } from '@privacy-kit/core';
import { personalData } from '@privacy-kit/express';
import { resolveRetentionOptions } from '../../src/retention/retention.options';
import { appWith, tempStore, type TempStore } from '../support/test-app';

class Visit {
  @PersonalData({ category: 'user.device.ip_address', retention: '30d' })
  @IsString()
  ip!: string;

  @PersonalData({ category: 'user.behavior.browsing_history' })
  @IsString()
  page!: string;

  @PersonalData({ category: 'user.unique_id' })
  @IsString()
  visitor!: string;
}

class Ticket {
  @PersonalData({ category: 'user.content.private' })
  @IsString()
  text!: string;
}

describe('the retention policy', () => {
  let t: TempStore;
  let setup: ReturnType<typeof appWith>;
  const now = new Date('2026-06-15T00:00:00.000Z');
  const noop = () => undefined;

  beforeEach(() => {
    t = tempStore();
    setup = appWith(t.store, {
      sources: {
        visits: { model: Visit, erase: noop, purge: () => 0 },
        tickets: { model: Ticket, erase: noop, retention: '1y', purge: () => 0 },
      },
      retention: { categories: { 'user.behavior': '90d' } },
    });
    setup.app.get('/me/visits', personalData({ models: [Visit], purpose: 'analytics.reporting', basis: 'legitimate_interests', retention: '6m' }), noop);
    setup.app.get('/me/ids', personalData({ categories: ['user.unique_id'], purpose: 'essential.service', basis: 'contract', retention: '2y' }), noop);
    setup.app.get('/me/ids/legacy', personalData({ categories: ['user.unique_id'], purpose: 'essential.service', basis: 'contract', retention: '18m' }), noop);
  });
  afterEach(async () => {
    setup.kit.dispose();
    await t.cleanup();
  });

  const category = (key: string) => setup.kit.retentionPolicy(now).categories.find((c) => c.category === key);

  it('shows each category’s retention and where it was declared', () => {
    expect(category('user.device.ip_address')).toEqual({
      category: 'user.device.ip_address',
      retention: expect.objectContaining({ text: '6m' }),
      declaredBy: ['route GET /me/visits', 'field Visit.ip'],
    });
    expect(category('user.content.private')).toEqual({ category: 'user.content.private', retention: null, declaredBy: [] });
  });

  it('lets the retention.categories option win for the category and its children', () => {
    expect(category('user.behavior.browsing_history')).toEqual({
      category: 'user.behavior.browsing_history',
      retention: expect.objectContaining({ text: '90d' }),
      declaredBy: ['retention.categories (user.behavior)'],
    });
  });

  it('keeps the longest period when several routes declare one for a category', () => {
    expect(category('user.unique_id')).toEqual(expect.objectContaining({ retention: expect.objectContaining({ text: '2y' }) }));
    expect(category('user.unique_id')?.declaredBy).toEqual(expect.arrayContaining(['route GET /me/ids', 'route GET /me/ids/legacy', 'route GET /me/visits']));
  });

  it('plans one purge per period of a source, field periods first, then categories, then the source', () => {
    const plans = setup.kit.retentionPolicy(now).sources;
    expect(plans).toEqual([
      {
        source: 'visits',
        purge: true,
        scopes: [
          { retention: expect.objectContaining({ text: '30d' }), fields: ['ip'], categories: ['user.device.ip_address'], allFields: false },
          { retention: expect.objectContaining({ text: '90d' }), fields: ['page'], categories: ['user.behavior.browsing_history'], allFields: false },
          { retention: expect.objectContaining({ text: '2y' }), fields: ['visitor'], categories: ['user.unique_id'], allFields: false },
        ],
        unlimited: [],
      },
      {
        source: 'tickets',
        purge: true,
        scopes: [{ retention: expect.objectContaining({ text: '1y' }), fields: ['text'], categories: ['user.content.private'], allFields: true }],
        unlimited: [],
      },
    ]);
  });

  it('validates the retention options', () => {
    expect(() => resolveRetentionOptions({ categories: { 'user.contact.emial': '1y' } })).toThrow(/Did you mean 'user.contact.email'\?/);
    expect(() => resolveRetentionOptions({ categories: { 'user.contact.email': 'a while' } })).toThrow(/retention "a while" is not a period/);
    expect(() => resolveRetentionOptions({ schedule: 1000 })).toThrow(/'schedule' must be a whole number of ms ≥ 60000/);
    expect(() => resolveRetentionOptions({ every: 60_000 } as never)).toThrow(/unknown option 'every'/);
  });

  it('suggests the closest retention option for a misspelt one', () => {
    expect(() => resolveRetentionOptions({ categores: {} } as never)).toThrow(/privacy\(\{ retention \}\): unknown option 'categores'\. Did you mean 'categories'\?/);
  });
});
