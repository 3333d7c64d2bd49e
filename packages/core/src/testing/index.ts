export { describeStoreContract, sampleAuditEntry } from './store-contract';
export type { AuditTamper, StoreContractHarness } from './store-contract';
