import {
  PersonalData,
  SPECIAL_CATEGORY_CONDITIONS,
  getPersonalFields,
  getProcessing,
  resolveProcessing,
  validateProcessingPart,
  type ProcessingOptions,
} from '@privacy-kit/core';

class PatientFile {
  @PersonalData({ category: 'user.name' })
  name = '';

  @PersonalData({ category: 'user.health_and_medical.allergies' })
  allergies = '';
}

const resolve = (...parts: ProcessingOptions[]) => resolveProcessing(parts, 'GET /me/health', getPersonalFields);

function thrown(fn: () => unknown): { code?: string; message?: string } {
  try {
    fn();
  } catch (error) {
    return error as { code: string; message: string };
  }
  return {};
}

describe('the Art. 9(2) condition of a declaration that processes special category data', () => {
  it('is a closed vocabulary: the ten letters of Art. 9(2) and the two ways of Art. 10, each with readable key and its article', () => {
    expect(SPECIAL_CATEGORY_CONDITIONS.map((c) => [c.key, c.article])).toEqual([
      ['explicit_consent', 'Art. 9(2)(a)'],
      ['employment', 'Art. 9(2)(b)'],
      ['vital_interests', 'Art. 9(2)(c)'],
      ['not_for_profit_body', 'Art. 9(2)(d)'],
      ['made_public', 'Art. 9(2)(e)'],
      ['legal_claims', 'Art. 9(2)(f)'],
      ['substantial_public_interest', 'Art. 9(2)(g)'],
      ['health_care', 'Art. 9(2)(h)'],
      ['public_health', 'Art. 9(2)(i)'],
      ['archiving_research', 'Art. 9(2)(j)'],
      ['official_authority', 'Art. 10'],
      ['authorised_by_law', 'Art. 10'],
    ]);
    for (const c of SPECIAL_CATEGORY_CONDITIONS) expect(c.description).toMatch(/^[A-Z].{10,}[^.]$/);
  });

  it('is required for an Art. 9 category declared on the route: the declaration is refused, naming the category and the conditions', () => {
    const error = thrown(() => resolve({ categories: ['user.health_and_medical'], purpose: 'essential.service', basis: 'contract' }));
    expect(error.code).toBe('PK_SPECIAL_CATEGORY');
    expect(error.message).toMatch(/^@privacy-kit\/core: GET \/me\/health: processes user\.health_and_medical, special category data \(Art\. 9\), but names no Art\. 9\(2\) condition\. Add specialCategoryCondition: 'health_care' \(or the one that applies: explicit_consent, employment, .*archiving_research\)/);
  });

  it('is required for an Art. 9 category that comes from a model field', () => {
    expect(thrown(() => resolve({ models: [PatientFile], purpose: 'essential.service', basis: 'contract' })).message).toMatch(/processes user\.health_and_medical\.allergies, special category data/);
  });

  it('is required for a field the app marks special itself', () => {
    class Notes {
      @PersonalData({ category: 'user.content.private', special: true })
      notes = '';
    }
    expect(thrown(() => resolve({ models: [Notes], purpose: 'essential.service', basis: 'contract' })).code).toBe('PK_SPECIAL_CATEGORY');
  });

  it('is kept in the declaration, from one or several parts', () => {
    expect(resolve({ categories: ['user.health_and_medical'], purpose: 'essential.service', basis: 'contract', specialCategoryCondition: 'health_care' }).specialCategoryConditions).toEqual(['health_care']);
    expect(resolve(
      { categories: ['user.health_and_medical', 'user.demographic.religious_belief'], purpose: 'essential.service', basis: 'contract', specialCategoryCondition: ['health_care'] },
      { specialCategoryCondition: 'vital_interests' },
    ).specialCategoryConditions).toEqual(['health_care', 'vital_interests']);
    expect(resolve({ categories: ['user.name'], purpose: 'essential.service', basis: 'contract' }).specialCategoryConditions).toEqual([]);
  });

  it('refuses an unknown condition when the part is declared, with a did-you-mean', () => {
    const error = thrown(() => validateProcessingPart({ categories: ['user.health_and_medical'], specialCategoryCondition: 'health-care' as never }, 'GET /me/health'));
    expect(error.code).toBe('PK_SPECIAL_CATEGORY');
    expect(error.message).toMatch(/GET \/me\/health: unknown specialCategoryCondition 'health-care'\. Did you mean 'health_care'\?/);
  });

  it('refuses a condition on a declaration without special category data, which would make the record say something untrue', () => {
    expect(thrown(() => resolve({ categories: ['user.name'], purpose: 'essential.service', basis: 'contract', specialCategoryCondition: 'health_care' })).message)
      .toMatch(/names specialCategoryCondition 'health_care' \(Art\. 9\(2\)\(h\)\) but processes no special category data of Art\. 9; remove it, or declare the category/);
  });

  it('asks criminal offence data for an Art. 10 condition, not an Art. 9(2) one', () => {
    const error = thrown(() => resolve({ categories: ['user.criminal_history'], purpose: 'employment', basis: 'legal_obligation', specialCategoryCondition: 'employment' }));
    expect(error.message).toMatch(/processes user\.criminal_history, data on criminal convictions and offences \(Art\. 10\), but names no Art\. 10 condition\. Add specialCategoryCondition: 'authorised_by_law' or 'official_authority'/);
    expect(resolve({ categories: ['user.criminal_history'], purpose: 'employment', basis: 'legal_obligation', specialCategoryCondition: 'authorised_by_law' }).specialCategoryConditions).toEqual(['authorised_by_law']);
  });

  it("refuses 'explicit_consent' on a route that does not check consent", () => {
    expect(thrown(() => resolve({ categories: ['user.health_and_medical'], purpose: 'essential.service', basis: 'contract', specialCategoryCondition: 'explicit_consent' })).message)
      .toMatch(/'explicit_consent' \(Art\. 9\(2\)\(a\)\) holds only where the route checks the person's consent: add requiresConsent\('<purpose>'\) or basis: 'consent'/);
    expect(resolve({ categories: ['user.health_and_medical'], purpose: 'personalize.content', basis: 'consent', specialCategoryCondition: 'explicit_consent' }).consentPurposes).toEqual(['personalize.content']);
  });

  it('is accepted by @PersonalData on a method', () => {
    class Clinic {
      @PersonalData({ models: [PatientFile], purpose: 'essential.service', basis: 'contract', specialCategoryCondition: 'health_care' })
      record(): void {}
    }
    expect(getProcessing(Clinic.prototype.record)?.specialCategoryConditions).toEqual(['health_care']);
  });
});
