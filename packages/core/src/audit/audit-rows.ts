import { auditRecordFromRow, type AuditRow } from '../stores/store-rows';
import { auditKeyId, summarizeAuditHead, verifyAuditChain } from './audit-chain';
import { verifyAuditChains, type AuditChainLog, type AuditChainsCheckpoint } from './audit-chains';
import type { AuditHead, AuditHeadV2, AuditRecord, AuditVerifyOptions, AuditVerifyReport } from './audit-record';

/**
 * The audit_head row the SQL stores keep. Format 1 rows have only seq, mac and head_mac (the later columns are
 * absent, or null after the migration that added them).
 */
export interface AuditHeadRow {
  seq: number | string;
  mac: string;
  head_mac: string;
  version?: number | string | null;
  count?: number | string | null;
  time?: string | null;
  key_id?: string | null;
}

/** The columns of a format 2 head, in the order {@link auditHeadColumns} gives their values. */
export const AUDIT_HEAD_COLUMNS = ['seq', 'mac', 'head_mac', 'version', 'count', 'time', 'key_id'] as const;

/** The column values of a head, in {@link AUDIT_HEAD_COLUMNS} order. */
export function auditHeadColumns(head: AuditHeadV2): [number, string, string, number, number, string, string] {
  return [head.seq, head.mac, head.headMac, head.version, head.count, head.time, head.keyId];
}

/**
 * Maps a stored head row to the head it states. A row that is not a well-formed head of either format maps to a
 * head that cannot verify (format 1 with what could be read), so verify reports it instead of throwing.
 */
export function auditHeadFromRow(row: AuditHeadRow): AuditHead {
  const seq = Number(row.seq);
  const version = row.version === undefined || row.version === null ? 1 : Number(row.version);
  if (version === 2 && row.count !== undefined && row.count !== null && typeof row.time === 'string' && typeof row.key_id === 'string') {
    return { version: 2, seq, mac: String(row.mac), count: Number(row.count), time: row.time, keyId: row.key_id, headMac: String(row.head_mac) };
  }
  return { seq, mac: String(row.mac), headMac: version === 1 ? String(row.head_mac) : '' };
}

const isStringArray = (value: unknown): boolean => Array.isArray(value) && value.every((v) => typeof v === 'string');

/** A stored row as its record, or why it cannot be one. */
function readRow(row: AuditRow): { record?: AuditRecord; problem?: string } {
  const seq = Number(row.seq);
  if (!Number.isSafeInteger(seq) || seq < 1) return { problem: `its position (seq) is ${JSON.stringify(row.seq)}, not a whole number from 1` };
  if (typeof row.mac !== 'string' || typeof row.prev_mac !== 'string') return { problem: 'its mac or prev_mac is not text' };
  let record: AuditRecord;
  try {
    record = auditRecordFromRow(row);
  } catch {
    const column = ['purposes', 'categories', 'details'].find((c) => {
      const value = (row as unknown as Record<string, unknown>)[c];
      if (typeof value !== 'string') return false;
      try { JSON.parse(value); return false; } catch { return true; }
    });
    return { problem: `its ${column ?? 'data'} column is not JSON` };
  }
  if (!isStringArray(record.purposes)) return { problem: 'its purposes column is not a list of text' };
  if (!isStringArray(record.categories)) return { problem: 'its categories column is not a list of text' };
  if (record.details !== undefined && (typeof record.details !== 'object' || record.details === null || Array.isArray(record.details))) {
    return { problem: 'its details column is not a JSON object' };
  }
  return { record };
}

/**
 * Verifies an audit log as the SQL stores keep it: maps every row (a row that cannot be read back, e.g. details
 * that are not JSON, is reported as tampering, naming the record) and the head row, then runs
 * {@link verifyAuditChain}. Never throws for what it finds.
 *
 * @param rows - every audit_log row, in seq order
 * @param headRow - the audit_head row, if any
 * @param key - the audit key
 * @param options - checkpoint and empty-log policy, as for verifyAuditChain
 */
export function verifyAuditRows(
  rows: readonly AuditRow[],
  headRow: AuditHeadRow | undefined,
  key: Buffer,
  options: AuditVerifyOptions = {},
): AuditVerifyReport {
  const head = headRow === undefined ? undefined : auditHeadFromRow(headRow);
  const records: AuditRecord[] = [];
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as AuditRow;
    const read = readRow(row);
    if (read.record === undefined) {
      const seq = Number.isSafeInteger(Number(row.seq)) ? Number(row.seq) : i + 1;
      return {
        ok: false,
        checked: i,
        firstBadSeq: seq,
        problem: 'unparsable',
        message: `Audit chain broken at position ${seq}: record ${seq} cannot be read: ${read.problem ?? 'unknown'}. Records are only ever written whole by the store, so it was changed after it was written.`,
        keyId: auditKeyId(key),
        ...(head === undefined ? {} : { head: summarizeAuditHead(head) }),
      };
    }
    records.push(read.record);
  }
  return verifyAuditChain(records, head, key, options);
}

/** A chain's head as the chain registry of a multi-chain store keeps it: the head columns, null until its first append. */
export type AuditChainHeadRow = { chain: string } & { [C in keyof AuditHeadRow]: AuditHeadRow[C] | null };

/**
 * Verifies an audit log kept as one chain per writer, as the PostgreSQL store keeps it: maps every row (a row that
 * cannot be read back is reported as tampering, naming its chain and position) and every registry head, then runs
 * {@link verifyAuditChains}. Never throws for what it finds.
 *
 * @param rows - every audit_log row with its chain, `seq` being the position in the chain, in (chain, seq) order
 * @param heads - every chain of the registry with its head columns
 * @param checkpoints - the stored chains checkpoints, oldest first
 * @param key - the audit key
 * @param options - a published checkpoint and the empty-log policy
 */
export function verifyAuditChainRows(
  rows: readonly (AuditRow & { chain: string })[],
  heads: readonly AuditChainHeadRow[],
  checkpoints: readonly AuditChainsCheckpoint[],
  key: Buffer,
  options: AuditVerifyOptions = {},
): AuditVerifyReport {
  const chains = new Map<string, { head: AuditHead | undefined; records: AuditRecord[] }>();
  for (const h of heads) {
    const head = h.head_mac === null || h.seq === null || h.mac === null ? undefined : auditHeadFromRow(h as AuditHeadRow);
    chains.set(h.chain, { head, records: [] });
  }
  let checked = 0;
  for (const row of rows) {
    let log = chains.get(row.chain);
    if (log === undefined) {
      log = { head: undefined, records: [] };
      chains.set(row.chain, log);
    }
    const read = readRow(row);
    if (read.record === undefined) {
      const seq = Number.isSafeInteger(Number(row.seq)) ? Number(row.seq) : log.records.length + 1;
      return {
        ok: false,
        checked,
        chain: row.chain,
        firstBadSeq: seq,
        problem: 'unparsable',
        message: `Audit chain '${row.chain}' broken at position ${seq}: record ${seq} cannot be read: ${read.problem ?? 'unknown'}. Records are only ever written whole by the store, so it was changed after it was written.`,
        keyId: auditKeyId(key),
        chains: chains.size,
      };
    }
    log.records.push(read.record);
    checked += 1;
  }
  const logs: AuditChainLog[] = [...chains].map(([chain, log]) => ({ chain, head: log.head, records: log.records }));
  return verifyAuditChains({ chains: logs, checkpoints }, key, options);
}
