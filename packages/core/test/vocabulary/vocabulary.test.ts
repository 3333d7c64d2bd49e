import { extendVocabulary, isKnownTerm, resolveTerm } from '@privacy-kit/core';
import { LAWFUL_BASES } from '../../src/vocabulary/taxonomy';
import { resolveLawfulBasis } from '../../src/vocabulary/vocabulary';

describe('vocabulary', () => {
  it.each([
    'user.contact.email', 'user.name', 'user.contact.address.street', 'user.contact.phone_number', 'user.device.ip_address',
    'user.demographic.date_of_birth', 'user.financial.bank_account', 'user.government_id',
  ])('knows the fideslang data category %s', (key) => {
    expect(resolveTerm('category', key, 'test').origin).toBe('built-in');
  });

  it.each(['essential.service', 'personalize.content', 'marketing.communications.email', 'analytics.reporting'])('knows the purpose %s', (key) => {
    expect(isKnownTerm('purpose', key)).toBe(true);
  });

  it('lists the six lawful bases of Art. 6(1)', () => {
    expect([...LAWFUL_BASES]).toEqual(['consent', 'contract', 'legal_obligation', 'vital_interests', 'public_task', 'legitimate_interests']);
  });

  it.each(['user.health_and_medical', 'user.biometric', 'user.demographic.religious_belief', 'user.genetic', 'user.criminal_history'])(
    'flags %s as a special category',
    (key) => {
      expect(resolveTerm('category', key, 'test').special).toBe(true);
    },
  );

  it('does not flag ordinary categories as special', () => {
    expect(resolveTerm('category', 'user.contact.email', 'test').special).toBe(false);
  });

  it('accepts a dotted child of a known key and inherits its special flag', () => {
    const child = resolveTerm('category', 'user.health_and_medical.allergies', 'test');
    expect(child).toEqual(expect.objectContaining({ origin: 'child', special: true }));
    expect(resolveTerm('category', 'user.contact.slack_handle', 'test').origin).toBe('child');
  });

  it('refuses a near-miss of a known key with a did-you-mean naming where it was used', () => {
    expect(() => resolveTerm('category', 'user.contact.emial', '@PersonalData on UserDto.email')).toThrow(
      expect.objectContaining({
        code: 'PK_UNKNOWN_CATEGORY',
        message: expect.stringMatching(/@PersonalData on UserDto\.email.*'user\.contact\.emial'.*Did you mean 'user\.contact\.email'\?/s),
      }),
    );
  });

  it('refuses an unknown root key and suggests the closest one', () => {
    expect(() => resolveTerm('purpose', 'personalise.content', 'route GET /x')).toThrow(/Did you mean 'personalize\.content'/);
  });

  it('refuses a key that is not a dotted lower-case key', () => {
    expect(() => resolveTerm('category', 'User Email', 'test')).toThrow(/not a dotted lower-case key/);
  });

  it('marks sale, sharing and targeted-advertising purposes for GPC', () => {
    expect(resolveTerm('purpose', 'marketing.advertising.third_party.targeted', 't').gpcOptOut).toBe(true);
    expect(resolveTerm('purpose', 'third_party_sharing', 't').gpcOptOut).toBe(true);
    expect(resolveTerm('purpose', 'personalize.content', 't').gpcOptOut).toBe(false);
  });

  it('accepts app keys registered with extendVocabulary', () => {
    expect(isKnownTerm('category', 'app_loyalty.tier')).toBe(false);
    extendVocabulary({ categories: [{ key: 'app_loyalty.tier', description: 'Loyalty tier' }], purposes: [{ key: 'app_loyalty', description: 'Loyalty programme' }] });
    expect(resolveTerm('category', 'app_loyalty.tier', 't').origin).toBe('registered');
    expect(isKnownTerm('purpose', 'app_loyalty')).toBe(true);
  });

  it('refuses an extension without a description', () => {
    expect(() => extendVocabulary({ categories: [{ key: 'app_x' } as never] })).toThrow(/'description'/);
  });

  it('refuses an unknown lawful basis and lists the valid ones', () => {
    expect(() => resolveLawfulBasis('legitimate_interest', 'route')).toThrow(
      expect.objectContaining({ code: 'PK_UNKNOWN_BASIS', message: expect.stringContaining("Did you mean 'legitimate_interests'?") }),
    );
  });
});
