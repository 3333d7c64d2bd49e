import { createHmac } from 'node:crypto';
import type { AuditEntry, AuditHead, AuditRecord, AuditVerifyReport } from './audit-record';

const ENTRY_FIELDS = [
  'event', 'time', 'requestId', 'appId', 'actor', 'subject', 'method', 'route', 'purposes', 'basis',
  'categories', 'decision', 'reason', 'status', 'durationMs', 'details',
] as const;

/** The entry part of a record, with exactly the fields the MAC covers (stores may add columns of their own). */
export function auditEntryOf(record: AuditEntry): AuditEntry {
  const entry: Record<string, unknown> = {};
  for (const field of ENTRY_FIELDS) {
    const value = record[field];
    if (value !== undefined) entry[field] = value;
  }
  return entry as unknown as AuditEntry;
}

/** Deterministic serialisation of an entry: fixed field order, sorted detail keys. */
export function canonicalAuditEntry(entry: AuditEntry): string {
  const details = entry.details === undefined
    ? null
    : Object.fromEntries(Object.keys(entry.details).sort().map((k) => [k, entry.details?.[k] ?? null]));
  return JSON.stringify(ENTRY_FIELDS.map((field) => (field === 'details' ? details : entry[field] ?? null)));
}

/**
 * The MAC of a record: HMAC-SHA-256 over its predecessor's MAC and its canonical entry. Without the key
 * nobody can recompute the chain after changing a record.
 *
 * @param key - the audit key (at least 32 bytes; see `deriveKey`)
 */
export function auditMac(key: Buffer, entry: AuditEntry, prevMac: string): string {
  return createHmac('sha256', key).update(prevMac).update('\n').update(canonicalAuditEntry(entry)).digest('base64url');
}

/** The MAC that signs a head checkpoint. */
export function auditHeadMac(key: Buffer, seq: number, mac: string): string {
  return createHmac('sha256', key).update(`head\n${seq}\n${mac}`).digest('base64url');
}

/**
 * Checks a whole audit log: each record's MAC, each link to the record before, and the signed head.
 * Names the first bad position and what kind of tampering explains it.
 *
 * @param records - every record, in `seq` order
 * @param head - the stored head checkpoint (undefined if the store has none)
 * @param key - the audit key
 */
export function verifyAuditChain(records: readonly AuditRecord[], head: AuditHead | undefined, key: Buffer): AuditVerifyReport {
  const seenMacs = new Map<string, number>();
  const allMacs = new Map<string, number>();
  records.forEach((r, i) => { if (!allMacs.has(r.mac)) allMacs.set(r.mac, i); });
  let prev = '';
  for (let i = 0; i < records.length; i++) {
    const r = records[i] as AuditRecord;
    const before = i === 0 ? 0 : (records[i - 1] as AuditRecord).seq;
    const next = records[i + 1];
    const selfValid = auditMac(key, auditEntryOf(r), r.prevMac) === r.mac;
    if (!selfValid) {
      const skipped = next !== undefined ? next.prevMac === prev : head !== undefined && head.mac === prev;
      if (skipped) return bad(i, r.seq, 'inserted', `record ${r.seq} was inserted: it is not part of the chain.`);
      return bad(i, r.seq, 'changed', `record ${r.seq} was changed after it was written.`);
    }
    if (seenMacs.has(r.mac)) return bad(i, r.seq, 'inserted', `record ${r.seq} is a copy of record ${seenMacs.get(r.mac)}: it was inserted.`);
    seenMacs.set(r.mac, r.seq);
    if (r.prevMac !== prev) {
      if (r.prevMac !== '' && allMacs.has(r.prevMac)) {
        return bad(i, r.seq, 'reordered', `record ${r.seq} is out of order: the record it follows in the chain is elsewhere in the log.`);
      }
      const missingAt = before + 1;
      return bad(i, missingAt, 'deleted', `a record is missing before record ${r.seq}: the chain breaks at position ${missingAt}.`);
    }
    prev = r.mac;
  }
  const last = records[records.length - 1];
  if (head === undefined) {
    return last === undefined
      ? { ok: true, checked: 0, message: 'The audit log is empty.' }
      : bad(records.length, last.seq, 'head', 'the head checkpoint is missing: the end of the log cannot be confirmed.');
  }
  if (auditHeadMac(key, head.seq, head.mac) !== head.headMac) {
    return bad(records.length, head.seq, 'head', 'the head checkpoint was changed: its signature does not match.');
  }
  if (last === undefined || head.mac !== last.mac || head.seq !== last.seq) {
    if (last !== undefined && last.seq > head.seq) {
      return bad(records.length, head.seq + 1, 'inserted', `records after position ${head.seq} were appended outside the store.`);
    }
    const from = (last?.seq ?? 0) + 1;
    return bad(records.length, from, 'truncated', `the log was truncated: it should run to position ${head.seq} but ends at ${last?.seq ?? 0}.`);
  }
  return { ok: true, checked: records.length, message: `All ${records.length} audit records verify; the chain is intact up to position ${head.seq}.` };
}

function bad(checked: number, seq: number, problem: NonNullable<AuditVerifyReport['problem']>, message: string): AuditVerifyReport {
  return { ok: false, checked, firstBadSeq: seq, problem, message: `Audit chain broken at position ${seq}: ${message}` };
}
