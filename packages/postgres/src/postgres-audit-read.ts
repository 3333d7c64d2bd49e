import type { PoolClient } from 'pg';
import type { AuditQuery, AuditRecord } from '@privacy-kit/core';
import { AUDIT_COLUMN_LIST, auditQuerySql, auditRecordFromRow, type AuditHeadRow, type AuditRow } from '@privacy-kit/core/store';
import type { PostgresConnections } from './postgres-pool';

const DOLLAR = (n: number): string => `$${n}`;

/** Records of the audit log in seq order, filtered (pg returns bigint seq as text; the mapper makes it a number). */
export async function selectAuditRecords(connections: PostgresConnections, quotedSchema: string, query: AuditQuery): Promise<AuditRecord[]> {
  const tail = auditQuerySql(query, DOLLAR);
  const { rows } = await connections.pool.query<AuditRow>(`SELECT ${AUDIT_COLUMN_LIST} FROM ${quotedSchema}.audit_log${tail.sql}`, tail.params);
  return rows.map(auditRecordFromRow);
}

/** The stored head row, if any. */
export async function selectAuditHead(client: Pick<PoolClient, 'query'>, quotedSchema: string): Promise<AuditHeadRow | undefined> {
  return (await client.query<AuditHeadRow>(`SELECT * FROM ${quotedSchema}.audit_head WHERE id = 1`)).rows[0];
}

/**
 * Every audit row and the head row, for verification. Run it in a REPEATABLE READ transaction, so both come from
 * one snapshot while other instances append.
 */
export async function selectAuditSnapshot(client: Pick<PoolClient, 'query'>, quotedSchema: string): Promise<{ rows: AuditRow[]; head: AuditHeadRow | undefined }> {
  const rows = (await client.query<AuditRow>(`SELECT ${AUDIT_COLUMN_LIST} FROM ${quotedSchema}.audit_log ORDER BY seq`)).rows;
  return { rows, head: await selectAuditHead(client, quotedSchema) };
}
