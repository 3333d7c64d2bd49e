import './metadata/standard-metadata';

export type { PrivacyKitErrorCode } from './errors/error-codes';
export { PrivacyKitError, isPrivacyKitError, packageErrors } from './errors/privacy-kit.error';
export type { PackageErrors, PrivacyKitErrorOptions, PrivacyKitPackage } from './errors/privacy-kit.error';
export { defineOptionKeys, rejectUnknownOptions } from './errors/option-keys';
export type { OptionKeyTable } from './errors/option-keys';

export type { LawfulBasis, TermDefinition } from './vocabulary/taxonomy';
export { extendVocabulary, isKnownTerm, listTerms, resolveTerm } from './vocabulary/vocabulary';
export type { ResolvedTerm, TermKind, VocabularyExtension } from './vocabulary/vocabulary';
export { closest } from './vocabulary/suggest';
export { SPECIAL_CATEGORY_CONDITIONS, isCriminalOffenceCategory, specialCategoryConditionOf } from './vocabulary/special-category-conditions';
export type { SpecialCategoryCondition, SpecialCategoryConditionDefinition } from './vocabulary/special-category-conditions';

export { CALLER_REQUIREMENTS } from './metadata/declarations';
export type {
  CallerRequirement,
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
  registerModel,
} from './metadata/readers';
export { ROUTE_DECLARATION_KEY } from './metadata/metadata-keys';
export { recordMeasure, recordedMeasures } from './metadata/applied-measures';
export type { AppliedMeasures, MeasureKind } from './metadata/applied-measures';

export { PersonalData, definePersonalData, defineProcessing } from './decorators/personal-data.decorator';
export type { PersonalDataOptions, UniversalDecorator } from './decorators/personal-data.decorator';
export { RequiresConsent, defineRequiresConsent } from './decorators/requires-consent.decorator';

export { parseRetention } from './retention/retention';
export { addCalendarMonths, addPeriod, retentionCutoff } from './retention/calendar';
export type { Retention } from './retention/retention';

export { MIN_KEY_BYTES, createPseudonymizer, deriveKey, keyBytes } from './pseudonym/pseudonymizer';
export type { Pseudonymizer } from './pseudonym/pseudonymizer';

export { isIsoInstant, isoTime } from './audit/iso-time';
// Store authors: the chain, the writer, row mapping and checkpoint machinery are on '@privacy-kit/core/store'.
export { readAuditCheckpoints } from './audit/audit-chain';
export type { AuditCheckpointFile } from './audit/audit-chain';
export { DEFAULT_CHECKPOINT_EVERY, DEFAULT_CHECKPOINT_INTERVAL_MS } from './audit/audit-checkpointer';
export type { AuditCheckpointOptions } from './audit/audit-checkpointer';
export type {
  AuditCheckpoint,
  AuditEntry,
  AuditEvent,
  AuditHead,
  AuditHeadSummary,
  AuditHeadV1,
  AuditHeadV2,
  AuditProblem,
  AuditRecord,
  AuditVerifyOptions,
  AuditVerifyReport,
} from './audit/audit-record';

export type {
  AuditQuery,
  AuditStore,
  ConsentAction,
  ConsentChange,
  ConsentEvent,
  ConsentEventInput,
  ConsentMethod,
  ConsentState,
  ConsentStore,
  DataKeyListQuery,
  DataKeyStore,
  PrivacyStore,
  RightsRequest,
  RightsRequestFilter,
  RightsRequestInput,
  RightsRequestKind,
  RightsRequestPatch,
  RightsRequestStatus,
  RightsRequestStep,
  RightsRequestStore,
  WrappedDataKey,
} from './stores/store-contracts';

export { INVENTORY_SCHEMA_VERSION } from './inventory/inventory.model';
export type {
  Inventory,
  InventoryApp,
  InventoryCategoryRetention,
  InventoryController,
  InventoryField,
  InventoryModel,
  InventoryProblem,
  InventoryProcessing,
  InventoryRoute,
  InventoryRule,
  InventorySubject,
  InventorySummary,
  InventoryTerms,
  ObservedData,
  SourceLocation,
} from './inventory/inventory.model';
export { INVENTORY_SCHEMA } from './inventory/inventory.schema';
export { buildInventory } from './inventory/inventory.builder';
export { categoryRetentionOf } from './inventory/category-retention';
export type { CategoryRetentionDeclaration } from './inventory/category-retention';
export type { InventoryAppInput, InventoryInput, InventoryRouteInput } from './inventory/inventory.builder';
export { DRIFT_OBSERVATIONS_VERSION, mergeDriftObservations, parseDriftObservations } from './inventory/drift-observations';
export type { DriftObservations, RouteObservation } from './inventory/drift-observations';
export { INVENTORY_FORMATS, INVENTORY_MEDIA_TYPES, renderInventory } from './inventory/render-inventory';
export type { InventoryFormat } from './inventory/render-inventory';
export { CONFIG_FILE_NAME, PACKAGE_JSON_KEY, RECORD_CONFIG_KEYS, findPrivacyKitConfig, parseRecordConfig } from './inventory/record-config';
export type { FindConfigOptions, FoundConfig } from './inventory/record-config';
export { checkInventory, matchesRoutePattern, parseAllowList } from './inventory/inventory.check';
export type { AllowRule, CheckFinding, CheckOptions, CheckReport } from './inventory/inventory.check';
export { coverageOf } from './inventory/test-coverage';
export type { AuditRouteHit, CoverageReport, CoveredRoute } from './inventory/test-coverage';

export { createFieldCipher, DEFAULT_DATA_KEY_CACHE_MAX, DEFAULT_DATA_KEY_CACHE_TTL_MS } from './crypto/field-cipher';
export type { EncryptedModel, FieldCipher, FieldCipherOptions } from './crypto/field-cipher';
export { localKeyProvider } from './crypto/key-provider';
export type { DataKeyContext, KeyProvider } from './crypto/key-provider';
export { rewrapDataKeys } from './crypto/key-rotation';
export type { RotationProgress } from './crypto/key-rotation';
export { isEnvelope } from './crypto/envelope';
export { LOG_LINE_PREFIX, createLogOpener, createLogSealer, openLogLine, sealLogLine } from './crypto/log-lines';
export type { OpenedLogLine } from './crypto/log-lines';

export type {
  CopyBatch,
  CopyColumn,
  CopyColumnAffinity,
  CopyDatabaseKind,
  CopyProgress,
  CopySchemaScript,
  CopySource,
  CopyTableProgress,
  CopyTableSchema,
  CopyTableSpec,
  CopyTarget,
} from './copy/copy-contracts';
export type { CopyColumnRule, CopyColumnSpec, CopyMapping, CopyStrategy, CopyTableRule } from './copy/copy-mapping';
export { definePseudonymization } from './copy/define-copy-mapping';
export { COPY_STRATEGIES, DEFAULT_SHIFT_DAYS } from './copy/copy-strategies';
export { describePlan, planCopy } from './copy/copy-plan';
export type { CopyPlan, CopyPlanColumn, CopyPlanTable } from './copy/copy-plan';
export { isSyntheticValue } from './copy/synthetic';
export { copyKeyId, createCopyTransformer } from './copy/copy-transformer';
export type { CopyTableTransformer, CopyTransformer, CopyTransformerOptions } from './copy/copy-transformer';
export { DEFAULT_COPY_BATCH_SIZE, runCopy } from './copy/copy-run';
export type { CopyReport, CopyRunProgress, RunCopyOptions } from './copy/copy-run';

export { MONITORING_RULES } from './monitoring/monitoring-contracts';
export { createMonitor, monitorRecords } from './monitoring/monitor';
export type { PrivacyMonitor } from './monitoring/monitor';
export {
  DEFAULT_ADMIN_PATH,
  DEFAULT_BASELINE,
  DEFAULT_MASS_ACCESS,
  DEFAULT_OFF_HOURS_TIME_ZONE,
  DEFAULT_PROBING,
  DEFAULT_SPIKE,
  MONITOR_MAX_KEYS,
  OFF_HOURS_ALERT_INTERVAL_MS,
} from './monitoring/monitor-options';
export type { Alert, AlertQuery, Monitor, MonitoringOptions, MonitoringRuleName, WindowThreshold } from './monitoring/monitoring-contracts';
export { NOTIFICATION_DEADLINE_MS, STORED_SCOPE_SUBJECTS_MAX } from './incidents/incident-contracts';
export type {
  Incident,
  IncidentAssessment,
  IncidentEvent,
  IncidentEventInput,
  IncidentEventKind,
  IncidentScope,
  IncidentStatus,
  IncidentStore,
  ScopeFilter,
} from './incidents/incident-contracts';
export { INCIDENT_EVENT_KINDS, INCIDENT_STATUSES, checkIncidentEvent, newIncidentId } from './incidents/incident-events';
export { foldIncident, incidentClock, listIncidents } from './incidents/incident-fold';
export type { IncidentClock } from './incidents/incident-fold';
export { computeScope, scopeFilterOf } from './incidents/incident-scope';
export { art33Draft } from './incidents/art33-draft';
export type { Art33Controller, Art33Draft, Art33DraftOptions, Art33Missing } from './incidents/art33-draft';
export { HIGH_RISK_CATEGORIES, art34List, requiresSubjectNotice } from './incidents/art34-list';
export type { Art34Subject } from './incidents/art34-list';
