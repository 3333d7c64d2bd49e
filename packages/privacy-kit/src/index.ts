// privacy-kit: the everyday API of the @privacy-kit packages in one install, with privacy()'s defaults (the SQLite
// store, keys from PRIVACY_KIT_SECRET, the caller from req.user). The scoped packages stay for à-la-carte use.

// privacy() with working defaults
export { privacy } from './privacy';
export { DB_ENV, DEFAULT_DB_FILE } from './privacy.options';
export type { PrivacyOptions } from './privacy.options';
export { SECRET_ENV, SECRET_FILE_NAME } from './secret/app-secret';

// Declaring what routes process (@privacy-kit/express)
export { Delete, Get, Patch, Post, Put, mountController, personalData, privacyInfo, requiresConsent, trackSubApps } from '@privacy-kit/express';
export type {
  DataSource,
  DataSources,
  Denial,
  DenialHandler,
  DriftOptions,
  GpcOptions,
  HttpErrorCode,
  IdentifyFunction,
  Identity,
  JwtAlgorithm,
  JwtOptions,
  MarkedHandler,
  PrivacyKit,
  PrivacyRequestInfo,
  RetentionOptions,
  RightsOptions,
} from '@privacy-kit/express';

// Annotations, vocabulary, keys and errors (@privacy-kit/core)
export {
  PersonalData,
  PrivacyKitError,
  RequiresConsent,
  definePersonalData,
  defineProcessing,
  defineRequiresConsent,
  deriveKey,
  extendVocabulary,
  getPersonalFields,
  isPrivacyKitError,
  listTerms,
  registerModel,
} from '@privacy-kit/core';
export type {
  CallerRequirement,
  LawfulBasis,
  PersonalDataOptions,
  PersonalFieldOptions,
  PrivacyKitErrorCode,
  PrivacyStore,
  ProcessingOptions,
  SubjectResolver,
  VocabularyExtension,
} from '@privacy-kit/core';

// The embedded store (@privacy-kit/sqlite)
export { createSqliteStore } from '@privacy-kit/sqlite';
export type { SqliteStore, SqliteStoreOptions } from '@privacy-kit/sqlite';

// Logs without personal data (@privacy-kit/winston, @privacy-kit/redact)
export { redactPii } from '@privacy-kit/winston';
export type { RedactPiiOptions } from '@privacy-kit/winston';
export { createRedactor } from '@privacy-kit/redact';
export type { RedactOptions, Redactor } from '@privacy-kit/redact';
