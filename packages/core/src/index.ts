import './metadata/standard-metadata';

export { ERROR_CODES } from './errors/error-codes';
export type { PrivacyKitErrorCode } from './errors/error-codes';
export { PrivacyKitError, isPrivacyKitError } from './errors/privacy-kit.error';

export {
  BUILT_IN_CATEGORIES,
  BUILT_IN_PURPOSES,
  BUILT_IN_SUBJECT_TYPES,
  LAWFUL_BASES,
} from './vocabulary/taxonomy';
export type { LawfulBasis, TermDefinition } from './vocabulary/taxonomy';
export { extendVocabulary, isKnownTerm, listTerms, resolveLawfulBasis, resolveTerm } from './vocabulary/vocabulary';
export type { ResolvedTerm, TermKind, VocabularyExtension } from './vocabulary/vocabulary';
export { closest, editDistance } from './vocabulary/suggest';

export type {
  PersonalFieldDeclaration,
  PersonalFieldOptions,
  ProcessingDeclaration,
  ProcessingOptions,
  SubjectResolver,
} from './metadata/declarations';
export { resolveProcessing, validateProcessingPart } from './metadata/resolve-declarations';
export {
  getAnnotatedClasses,
  getPersonalFields,
  getProcessing,
  getProcessingMethods,
  getProcessingParts,
  isPersonalDataInstance,
  registerModel,
} from './metadata/readers';
export { ROUTE_DECLARATION_KEY } from './metadata/metadata-keys';

export { PersonalData, definePersonalData, defineProcessing } from './decorators/personal-data.decorator';
export type { PersonalDataOptions, UniversalDecorator } from './decorators/personal-data.decorator';
export { RequiresConsent, defineRequiresConsent } from './decorators/requires-consent.decorator';

export { parseRetention, retentionCutoff } from './retention/retention';
export type { Retention } from './retention/retention';

export { MIN_KEY_BYTES, createPseudonymizer, deriveKey, keyBytes } from './pseudonym/pseudonymizer';
export type { Pseudonymizer } from './pseudonym/pseudonymizer';

export { isoTime } from './audit/iso-time';
export { auditEntryOf, auditHeadMac, auditMac, canonicalAuditEntry, verifyAuditChain } from './audit/audit-chain';
export type { AuditEntry, AuditEvent, AuditHead, AuditRecord, AuditVerifyReport } from './audit/audit-record';

export type {
  AuditQuery,
  AuditStore,
  ConsentAction,
  ConsentEvent,
  ConsentEventInput,
  ConsentMethod,
  ConsentState,
  ConsentStore,
  PrivacyStore,
  RightsRequest,
  RightsRequestInput,
  RightsRequestKind,
  RightsRequestPatch,
  RightsRequestStatus,
  RightsRequestStep,
  RightsRequestStore,
} from './stores/store-contracts';
export { deriveConsentStates, validateConsentEvent } from './stores/consent-events';
