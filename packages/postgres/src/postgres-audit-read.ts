import type { PoolClient } from 'pg';
import type { AuditQuery, AuditRecord } from '@privacy-kit/core';
import {
  AUDIT_COLUMNS,
  AUDIT_COLUMN_LIST,
  auditQuerySql,
  auditRecordFromRow,
  type AuditChainHeadRow,
  type AuditChainsCheckpoint,
  type AuditHeadRow,
  type AuditRow,
} from '@privacy-kit/core/store';
import type { PostgresConnections } from './postgres-pool';

const DOLLAR = (n: number): string => `$${n}`;
/**
 * How the PostgreSQL store compares audit times as instants (the `from`/`to` filters): the log keeps the time as
 * ISO 8601 text with an offset, cast to timestamptz on both sides (to the microsecond).
 */
const TIMESTAMPTZ = (expression: string): string => `(${expression})::timestamptz`;
/** The audit_log columns with the chain position in place of `seq`, for verification. */
const CHAIN_ROW_COLUMNS = ['chain', 'chain_seq AS seq', ...AUDIT_COLUMNS.slice(1).map((c) => c.name)].join(', ');

/** Records of the audit log in seq order (the whole log, every chain), filtered (pg returns bigint seq as text). */
export async function selectAuditRecords(connections: PostgresConnections, quotedSchema: string, query: AuditQuery): Promise<AuditRecord[]> {
  const tail = auditQuerySql(query, DOLLAR, TIMESTAMPTZ);
  const { rows } = await connections.pool.query<AuditRow>(`SELECT ${AUDIT_COLUMN_LIST} FROM ${quotedSchema}.audit_log${tail.sql}`, tail.params);
  return rows.map(auditRecordFromRow);
}

/** What verification reads of a log kept as one chain per writer. */
export interface AuditChainsRows {
  readonly rows: (AuditRow & { chain: string })[];
  readonly heads: AuditChainHeadRow[];
  readonly checkpoints: AuditChainsCheckpoint[];
}

/**
 * Every audit row by chain and position, every chain's head from the registry, and the stored checkpoints, for
 * verification. Run it in a REPEATABLE READ transaction, so all three come from one snapshot while instances append.
 */
export async function selectAuditChains(client: Pick<PoolClient, 'query'>, quotedSchema: string): Promise<AuditChainsRows> {
  const rows = (await client.query<AuditRow & { chain: string }>(`SELECT ${CHAIN_ROW_COLUMNS} FROM ${quotedSchema}.audit_log ORDER BY chain, chain_seq`)).rows;
  const heads = (await client.query<AuditChainHeadRow>(`SELECT chain, seq, mac, head_mac, version, count, time, key_id FROM ${quotedSchema}.audit_chains ORDER BY chain`)).rows;
  const checkpoints = (await client.query<{ time: string; count: string; chains: AuditChainsCheckpoint['chains']; key_id: string; mac: string }>(
    `SELECT time, count::text, chains, key_id, mac FROM ${quotedSchema}.audit_checkpoints ORDER BY id`,
  )).rows.map((r) => ({ time: r.time, count: Number(r.count), chains: r.chains, keyId: r.key_id, mac: r.mac }));
  return { rows, heads, checkpoints };
}

/**
 * Every row and the head of a log as releases before chains per writer kept it (one chain, an `audit_head` table),
 * for verifying a schema that was not migrated yet.
 */
export async function selectLegacyAuditSnapshot(client: Pick<PoolClient, 'query'>, quotedSchema: string): Promise<{ rows: AuditRow[]; head: AuditHeadRow | undefined }> {
  const rows = (await client.query<AuditRow>(`SELECT ${AUDIT_COLUMN_LIST} FROM ${quotedSchema}.audit_log ORDER BY seq`)).rows;
  const head = (await client.query<AuditHeadRow>(`SELECT * FROM ${quotedSchema}.audit_head WHERE id = 1`)).rows[0];
  return { rows, head };
}
