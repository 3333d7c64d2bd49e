import { art34List, computeScope, foldIncident, requiresSubjectNotice, type IncidentScope } from '@privacy-kit/core';
import { entry, errorOf, eventsOf, opened } from './incident-fixtures';

// art34List() gives the people to notify as pseudonyms with what was reached of theirs; requiresSubjectNotice() the
// documented high-risk heuristic, which the assessment overrides.

async function scopeOf(categories: readonly (readonly string[])[]): Promise<IncidentScope> {
  return computeScope(categories.map((c, n) => entry({ subject: `psn_${n}`, categories: [...c] })), {});
}

describe('art34List', () => {
  it('lists each subject of the latest scope with the categories its records touched, sorted by pseudonym', async () => {
    const first = await scopeOf([['user.name']]);
    const latest = await computeScope([entry({ subject: 'psn_b', categories: ['user.name'] }), entry({ subject: 'psn_a', categories: ['user.contact.email', 'user.name'] })], {});
    const incident = foldIncident(eventsOf([opened(), ['scope', { scope: first }], ['scope', { scope: latest }]]));
    expect(art34List(incident)).toEqual([
      { subject: 'psn_a', categories: ['user.contact.email', 'user.name'] },
      { subject: 'psn_b', categories: ['user.name'] },
    ]);
  });

  it("gives every category of the scope to each subject when the scope has no per-subject categories (an upper bound)", async () => {
    const { subjectCategories: _left, ...older } = await scopeOf([['user.name'], ['user.contact.email']]);
    const incident = foldIncident(eventsOf([opened(), ['scope', { scope: older }]]));
    expect(art34List(incident)).toEqual([
      { subject: 'psn_0', categories: ['user.contact.email', 'user.name'] },
      { subject: 'psn_1', categories: ['user.contact.email', 'user.name'] },
    ]);
  });

  it('refuses an incident without a scope, saying to compute it', () => {
    expect(errorOf(() => art34List(foldIncident(eventsOf([opened()]))))).toEqual({
      code: 'PK_INVALID_OPTION',
      message: expect.stringContaining('art34List(): incident inc-20261205-abcdefgh has no scope yet'),
    });
  });
});

describe('requiresSubjectNotice', () => {
  it('is true for a special category', async () => {
    expect(requiresSubjectNotice(await scopeOf([['user.health_and_medical']]))).toBe(true);
  });

  it.each(['user.financial.bank_account', 'user.government_id', 'user.authorization.credentials', 'user.authorization.password'])('is true for %s', async (category) => {
    expect(requiresSubjectNotice(await scopeOf([['user.name'], [category]]))).toBe(true);
  });

  it('is false for contact data and names', async () => {
    expect(requiresSubjectNotice(await scopeOf([['user.name', 'user.contact.email']]))).toBe(false);
  });

  it('does not take a category that only starts like a high-risk one', async () => {
    expect(requiresSubjectNotice(await scopeOf([['user.financials_note']]))).toBe(false);
  });

  it('is false without a scope', () => {
    expect(requiresSubjectNotice(null)).toBe(false);
  });

  it('follows the assessment when it says high risk or not', async () => {
    const special = await scopeOf([['user.health_and_medical']]);
    expect(requiresSubjectNotice(special, { highRisk: false })).toBe(false);
    expect(requiresSubjectNotice(await scopeOf([['user.name']]), { highRisk: true })).toBe(true);
  });
});
