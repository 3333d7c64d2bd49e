// The door for store authors (`@privacy-kit/core/store`): what a PrivacyStore implementation needs to write and
// check the audit chain, map rows and pass the contract suite. Apps and tools use the main door.

export {
  AUDIT_CHECKPOINT_VERSION,
  AUDIT_HEAD_VERSION,
  auditEntryOf,
  auditRecordOf,
  auditHeadMac,
  auditKeyId,
  auditMac,
  canonicalAuditEntry,
  chainAuditBatch,
  chainAuditEntries,
  createAuditCheckpoint,
  isAuditHeadSigned,
  readAuditCheckpoints,
  serializeAuditCheckpoint,
  signAuditHead,
  summarizeAuditHead,
  verifyAuditChain,
  verifyCheckpoint,
} from '../audit/audit-chain';
export type { AuditChainBatch, AuditCheckpointFile, CheckpointCheck } from '../audit/audit-chain';
export { isAuditChainsCheckpointSigned, publishableChainsCheckpoint, signAuditChainsCheckpoint, verifyAuditChains } from '../audit/audit-chains';
export type { AuditChainLog, AuditChainPosition, AuditChainsCheckpoint, AuditChainsSnapshot } from '../audit/audit-chains';
export { AuditWriter } from '../audit/audit-writer';
export type { AuditBatchAttempt, AuditBatchFailure, AuditWriterOptions } from '../audit/audit-writer';
export { AUDIT_HEAD_COLUMNS, auditHeadColumns, auditHeadFromRow, verifyAuditChainRows, verifyAuditRows } from '../audit/audit-rows';
export type { AuditChainHeadRow, AuditHeadRow } from '../audit/audit-rows';
export { AuditCheckpointer, resolveAuditCheckpointOptions } from '../audit/audit-checkpointer';
export type { AuditCheckpointOptions, ResolvedAuditCheckpointOptions } from '../audit/audit-checkpointer';

export { AUDIT_COLUMNS, AUDIT_COLUMN_LIST, auditEntryRowValues, auditRowValues } from './audit-columns';
export type { AuditColumn, AuditColumnType } from './audit-columns';
export {
  CONSENT_COLUMNS,
  CONSENT_INSERT_COLUMNS,
  RIGHTS_COLUMNS,
  auditRecordFromRow,
  consentEventFromRow,
  consentRowValues,
  newConsentRow,
  rightsRequestFromRow,
} from './store-rows';
export type { AuditRow, ConsentRow, NewConsentRow, RightsRow } from './store-rows';
export { auditQuerySql, dueBefore, rightsRequestsQuerySql, validateAuditQuery } from './store-queries';
export type { SqlInstant, SqlPlaceholder, SqlSelectTail } from './store-queries';
export { deriveConsentStates, validateConsentEvent, validateConsentEvents } from './consent-events';
export {
  DATA_KEY_COLUMNS,
  dataKeyFromRow,
  dataKeyIdTaken,
  validateDataKey,
  validateDataKeyListQuery,
  validateDataKeyRewrap,
  validateDataKeySubject,
} from './data-keys';
export type { DataKeyRow } from './data-keys';
export {
  INCIDENT_EVENT_COLUMNS,
  INCIDENT_EVENT_INSERT_COLUMNS,
  MAX_INCIDENT_DATA_BYTES,
  MAX_INCIDENT_ID_LENGTH,
  incidentEventFromRow,
  validateIncidentEventInput,
  validateIncidentEventQuery,
} from './incident-events';
export type { IncidentEventRow } from './incident-events';

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
} from './store-contracts';
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
} from '../audit/audit-record';
