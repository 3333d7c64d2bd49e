export { AUDIT_LOG_COLUMNS, auditLogColumn, describeStoreContract, sampleAuditEntry } from './store-contract';
export type { AuditTamper, StoreContractHarness } from './store-contract';
export { describeDataKeyStoreContract, sampleDataKey } from './data-key-store-contract';
export type { ClosableDataKeyStore, DataKeyStoreContractHarness } from './data-key-store-contract';
export { V1_AUDIT_FIXTURE, testVectorKey } from './audit-fixtures';
export { COPY_CONTRACT_FIXTURE, describeCopyAdapterContract } from './copy-adapter-contract';
export type { CopyAdapterContractHarness, CopyContractFixture, CopyFixtureColumn, CopyFixtureTable } from './copy-adapter-contract';
export { memoryCopySource, memoryCopyTarget } from './memory-copy';
export type { MemoryCopySource, MemoryCopySourceOptions, MemoryCopyTable, MemoryCopyTarget, MemoryCopyTargetOptions } from './memory-copy';
