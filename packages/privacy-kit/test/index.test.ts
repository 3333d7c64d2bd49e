import * as express from '@privacy-kit/express';
import * as door from 'privacy-kit';

describe('the public door of privacy-kit', () => {
  it('exports exactly the everyday API (review this list when it changes)', () => {
    expect(Object.keys(door).sort()).toEqual([
      'DB_ENV',
      'DEFAULT_DB_FILE',
      'Delete',
      'Get',
      'Patch',
      'PersonalData',
      'Post',
      'PrivacyKitError',
      'Put',
      'RequiresConsent',
      'SECRET_ENV',
      'SECRET_FILE_NAME',
      'createRedactor',
      'createSqliteStore',
      'definePersonalData',
      'defineProcessing',
      'defineRequiresConsent',
      'deriveKey',
      'extendVocabulary',
      'getPersonalFields',
      'isPrivacyKitError',
      'listTerms',
      'mountController',
      'personalData',
      'privacy',
      'privacyInfo',
      'redactPii',
      'registerModel',
      'requiresConsent',
      'trackSubApps',
    ]);
  });

  it("re-exports the scoped packages' functions themselves, so twins from either door work together", () => {
    expect(door.personalData).toBe(express.personalData);
    expect(door.requiresConsent).toBe(express.requiresConsent);
    expect(door.privacyInfo).toBe(express.privacyInfo);
  });

  it("has its own privacy(), with defaults, in place of @privacy-kit/express's", () => {
    expect(door.privacy).not.toBe(express.privacy);
  });
});
