export { AUDIT_LOG_COLUMNS, auditLogColumn, describeStoreContract, sampleAuditEntry } from './store-contract';
export type { AuditTamper, StoreContractHarness } from './store-contract';
export { V1_AUDIT_FIXTURE, testVectorKey } from './audit-fixtures';
