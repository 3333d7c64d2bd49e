import { PersonalData, getPersonalFields, resolveProcessing, type ProcessingOptions } from '@privacy-kit/core';
import { mergeProcessingParts } from '../../src/metadata/resolve-declarations';

class Patient {
  @PersonalData({ category: 'user.health_and_medical' }) condition!: string;
}

describe('one set of merge rules for enforcement and the map', () => {
  const parts: ProcessingOptions[] = [
    { categories: ['user.name'], purpose: 'essential.service', basis: 'contract', models: [Patient], specialCategoryCondition: 'health_care' },
    { consent: 'personalize.content' },
  ];

  it('merges valid parts into exactly what enforcement resolves', () => {
    const merged = mergeProcessingParts(parts, getPersonalFields);
    const resolved = resolveProcessing(parts, 'GET /x', getPersonalFields);
    expect({
      categories: merged.categories, purposes: merged.purposes, basis: merged.basis, consentPurposes: merged.consentPurposes, models: merged.models,
    }).toEqual({
      categories: resolved.categories, purposes: resolved.purposes, basis: resolved.basis, consentPurposes: resolved.consentPurposes, models: resolved.models,
    });
    expect(merged.categories).toEqual(['user.name', 'user.health_and_medical']);
  });

  it('takes every purpose as needing consent under the consent basis when no consent list is given', () => {
    const merged = mergeProcessingParts([{ categories: ['user.name'], purpose: 'marketing.communications.email', basis: 'consent' }], getPersonalFields);
    expect(merged.consentPurposes).toEqual(['marketing.communications.email']);
  });

  it('reads a broken declaration leniently instead of throwing, so the map can still show it', () => {
    const broken = [{ categories: ['user.name', 42], purpose: 'essential.service', basis: 'contract' }, { basis: 'consent' }] as unknown as ProcessingOptions[];
    const merged = mergeProcessingParts(broken, getPersonalFields);
    expect({ categories: merged.categories, bases: merged.bases, basis: merged.basis }).toEqual({ categories: ['user.name'], bases: ['contract', 'consent'], basis: undefined });
    expect(() => resolveProcessing(broken, 'GET /x', getPersonalFields)).toThrow(/categories/);
  });
});
