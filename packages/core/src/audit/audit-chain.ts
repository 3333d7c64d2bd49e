import { createHmac } from 'node:crypto';
import type {
  AuditCheckpoint,
  AuditEntry,
  AuditHead,
  AuditHeadSummary,
  AuditHeadV2,
  AuditRecord,
  AuditVerifyOptions,
  AuditVerifyReport,
} from './audit-record';
import { isoTime } from './iso-time';

const ENTRY_FIELDS = [
  'event', 'time', 'requestId', 'appId', 'actor', 'subject', 'method', 'route', 'purposes', 'basis',
  'categories', 'decision', 'reason', 'status', 'durationMs', 'details',
] as const;

/** The head format stores write now (see {@link AuditHeadV2}); format 1 heads are still verified. */
export const AUDIT_HEAD_VERSION = 2;

/** The checkpoint format (see {@link AuditCheckpoint}). */
export const AUDIT_CHECKPOINT_VERSION = 1;

const KEY_ID_LABEL = 'privacy-kit audit key id';
/** 16 base64url characters: 96 bits, plenty to tell keys apart, and nothing to learn the key from. */
const KEY_ID_LENGTH = 16;

/** The entry part of a record, with exactly the fields the MAC covers (stores may add columns of their own). */
export function auditEntryOf(record: AuditEntry): AuditEntry {
  const entry: Record<string, unknown> = {};
  for (const field of ENTRY_FIELDS) {
    const value = record[field];
    if (value !== undefined) entry[field] = value;
  }
  return entry as unknown as AuditEntry;
}

/**
 * The record of an entry at a position of the chain: {@link auditEntryOf} with `seq`, `prevMac` and `mac`, built
 * in one object (a store's append path builds one per record).
 *
 * @param entry - the entry
 * @param seq - its position
 * @param prevMac - the MAC of the record before it ('' for the first)
 * @param mac - its MAC
 */
export function auditRecordOf(entry: AuditEntry, seq: number, prevMac: string, mac: string): AuditRecord {
  if (!isPlainEntry(entry)) return { ...auditEntryOf(entry), seq, prevMac, mac };
  const record: { -readonly [K in keyof AuditRecord]: AuditRecord[K] } = {
    event: entry.event, time: entry.time, requestId: entry.requestId, appId: entry.appId, actor: entry.actor, subject: entry.subject,
    method: entry.method, route: entry.route, purposes: entry.purposes, basis: entry.basis, categories: entry.categories,
    decision: entry.decision, reason: entry.reason, status: entry.status, durationMs: entry.durationMs, seq, prevMac, mac,
  };
  if (entry.details !== undefined) record.details = entry.details;
  return record;
}

/** Whether every field but `details` is present (not undefined): the fast path of {@link auditRecordOf} keeps them all. */
function isPlainEntry(entry: AuditEntry): boolean {
  return entry.event !== undefined && entry.time !== undefined && entry.requestId !== undefined && entry.appId !== undefined
    && entry.actor !== undefined && entry.subject !== undefined && entry.method !== undefined && entry.route !== undefined
    && entry.purposes !== undefined && entry.basis !== undefined && entry.categories !== undefined && entry.decision !== undefined
    && entry.reason !== undefined && entry.status !== undefined && entry.durationMs !== undefined;
}

/** Deterministic serialisation of an entry: fixed field order, sorted detail keys. */
export function canonicalAuditEntry(entry: AuditEntry): string {
  const details = entry.details === undefined
    ? null
    : Object.fromEntries(Object.keys(entry.details).sort().map((k) => [k, entry.details?.[k] ?? null]));
  // A loop over a preallocated array rather than map(): this runs for every record on the append path.
  const values = new Array<unknown>(ENTRY_FIELDS.length);
  for (let i = 0; i < ENTRY_FIELDS.length; i++) {
    const field = ENTRY_FIELDS[i] as (typeof ENTRY_FIELDS)[number];
    values[i] = field === 'details' ? details : entry[field] ?? null;
  }
  return JSON.stringify(values);
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

/**
 * The MAC that signs a format 1 head (`(seq, mac)` only). Kept so that existing logs verify; stores write
 * format 2 heads ({@link signAuditHead}).
 */
export function auditHeadMac(key: Buffer, seq: number, mac: string): string {
  return createHmac('sha256', key).update(`head\n${seq}\n${mac}`).digest('base64url');
}

/**
 * The fingerprint of an audit key: HMAC(key, 'privacy-kit audit key id'), 16 base64url characters. Kept with the
 * head and every checkpoint, so that verify can tell "you gave another key" from "the log was changed". It
 * reveals nothing about the key.
 *
 * @param key - the audit key
 */
export function auditKeyId(key: Buffer): string {
  let id = KEY_IDS.get(key);
  if (id === undefined) {
    id = createHmac('sha256', key).update(KEY_ID_LABEL).digest('base64url').slice(0, KEY_ID_LENGTH);
    KEY_IDS.set(key, id);
  }
  return id;
}

/** Key ids by key object: every signed head carries one, and a store signs a head per batch. */
const KEY_IDS = new WeakMap<Buffer, string>();

/** What a format 2 head and a checkpoint both state. */
interface ChainState {
  readonly seq: number;
  readonly mac: string;
  readonly count: number;
  readonly time: string;
  readonly keyId: string;
}

function stateMac(key: Buffer, label: string, state: ChainState): string {
  // The second line ('v2', 'v1') is never a number, so no message of one format reads as one of another.
  return createHmac('sha256', key)
    .update(`${label}\n${state.seq}\n${state.count}\n${state.time}\n${state.keyId}\n${state.mac}`)
    .digest('base64url');
}

/**
 * Signs a format 2 head: HMAC(key, "head\nv2\n{seq}\n{count}\n{time}\n{keyId}\n{mac}").
 *
 * @param key - the audit key
 * @param state - the last position, its MAC, the record count and the commit time
 */
export function signAuditHead(key: Buffer, state: { readonly seq: number; readonly mac: string; readonly count: number; readonly time: string }): AuditHeadV2 {
  const keyId = auditKeyId(key);
  const signed = { seq: state.seq, mac: state.mac, count: state.count, time: state.time, keyId };
  return { version: 2, ...signed, headMac: stateMac(key, 'head\nv2', signed) };
}

/** Whether a head's signature matches under `key` (either format). */
export function isAuditHeadSigned(key: Buffer, head: AuditHead): boolean {
  if (head.version === 2) return stateMac(key, 'head\nv2', head) === head.headMac;
  return auditHeadMac(key, head.seq, head.mac) === head.headMac;
}

/**
 * Signs a checkpoint of a log's state: HMAC(key, "checkpoint\nv1\n{seq}\n{count}\n{time}\n{keyId}\n{mac}").
 * A checkpoint is published outside the store (see the `checkpoints` option of the stores), so whoever controls
 * the database cannot take it back; verify with it fails when the log no longer reaches it.
 *
 * @param key - the audit key
 * @param head - the state to sign: a head, or seq and mac (count defaults to seq, time to now)
 * @example
 * const checkpoint = createAuditCheckpoint(auditKey, head);
 * appendFileSync('/var/log/app/audit-checkpoints.jsonl', serializeAuditCheckpoint(checkpoint));
 */
export function createAuditCheckpoint(
  key: Buffer,
  head: { readonly seq: number; readonly mac: string; readonly count?: number; readonly time?: string },
): AuditCheckpoint {
  const state: ChainState = { seq: head.seq, mac: head.mac, count: head.count ?? head.seq, time: head.time ?? isoTime(), keyId: auditKeyId(key) };
  return { version: AUDIT_CHECKPOINT_VERSION, ...state, sig: stateMac(key, 'checkpoint\nv1', state) };
}

/** What {@link verifyCheckpoint} found. */
export type CheckpointCheck =
  | { readonly ok: true; readonly checkpoint: AuditCheckpoint }
  | { readonly ok: false; readonly wrongKey: boolean; readonly message: string };

const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

/**
 * Checks the shape and signature of a checkpoint (e.g. one line of a checkpoint file, parsed).
 *
 * @param value - the checkpoint, as read
 * @param key - the audit key
 */
export function verifyCheckpoint(value: unknown, key: Buffer): CheckpointCheck {
  const cp = value as Partial<Record<keyof AuditCheckpoint, unknown>> | null;
  if (typeof cp !== 'object' || cp === null || Array.isArray(cp)) return { ok: false, wrongKey: false, message: 'it is not a checkpoint object' };
  if (cp.version !== AUDIT_CHECKPOINT_VERSION) return { ok: false, wrongKey: false, message: `its version is ${JSON.stringify(cp.version)}, not ${AUDIT_CHECKPOINT_VERSION}` };
  if (!isCount(cp.seq) || cp.seq < 1 || !isCount(cp.count) || typeof cp.mac !== 'string' || typeof cp.time !== 'string' || typeof cp.keyId !== 'string' || typeof cp.sig !== 'string') {
    return { ok: false, wrongKey: false, message: 'a field is missing or has the wrong type (seq, mac, count, time, keyId, sig)' };
  }
  const checkpoint: AuditCheckpoint = { version: 1, seq: cp.seq, mac: cp.mac, count: cp.count, time: cp.time, keyId: cp.keyId, sig: cp.sig };
  const keyId = auditKeyId(key);
  if (checkpoint.keyId !== keyId) {
    return { ok: false, wrongKey: true, message: `it was signed under key id ${checkpoint.keyId}, not under the given key (key id ${keyId})` };
  }
  if (stateMac(key, 'checkpoint\nv1', checkpoint) !== checkpoint.sig) {
    return { ok: false, wrongKey: false, message: 'its signature does not match: it was forged or changed' };
  }
  return { ok: true, checkpoint };
}

/**
 * One checkpoint as a line of a checkpoint file: JSON with the fields in a fixed order, then a newline.
 *
 * @example
 * {"version":1,"seq":1000,"mac":"…","count":1000,"time":"2026-11-22T10:17:08.123+00:00","keyId":"…","sig":"…"}
 */
export function serializeAuditCheckpoint(checkpoint: AuditCheckpoint): string {
  const { version, seq, mac, count, time, keyId, sig } = checkpoint;
  return `${JSON.stringify({ version, seq, mac, count, time, keyId, sig })}\n`;
}

/** What {@link readAuditCheckpoints} found in a checkpoint file. */
export interface AuditCheckpointFile {
  /** The valid checkpoint with the highest position, if any. */
  readonly newest?: AuditCheckpoint;
  /** Valid checkpoints read. */
  readonly valid: number;
  /** Lines that are not valid checkpoints under the key (1-based line numbers). */
  readonly problems: readonly { readonly line: number; readonly message: string; readonly wrongKey: boolean }[];
}

/**
 * Reads the text of a checkpoint file (one JSON checkpoint a line) and checks every line under the key. A last
 * line without its newline (a write cut short by a crash) is skipped, not reported; any other bad line is.
 *
 * @param text - the file's contents
 * @param key - the audit key
 */
export function readAuditCheckpoints(text: string, key: Buffer): AuditCheckpointFile {
  const lines = text.split('\n');
  // After the final newline split() leaves '' (or a torn line); either way it is not a whole line.
  lines.pop();
  let newest: AuditCheckpoint | undefined;
  let valid = 0;
  const problems: { line: number; message: string; wrongKey: boolean }[] = [];
  lines.forEach((raw, i) => {
    if (raw.trim() === '') return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      problems.push({ line: i + 1, message: 'it is not JSON', wrongKey: false });
      return;
    }
    const check = verifyCheckpoint(parsed, key);
    if (!check.ok) {
      problems.push({ line: i + 1, message: check.message, wrongKey: check.wrongKey });
      return;
    }
    valid += 1;
    if (newest === undefined || check.checkpoint.seq >= newest.seq) newest = check.checkpoint;
  });
  return { ...(newest === undefined ? {} : { newest }), valid, problems };
}

/** The records of a batch chained onto the log, and the signed head that ends them. */
export interface AuditChainBatch {
  readonly records: readonly AuditRecord[];
  readonly head: AuditHeadV2;
}

/**
 * Chains a batch of entries onto a log: gives each the next position and its MAC, and signs the new head. The one
 * place every store builds its chain, so stores cannot drift apart.
 *
 * @param key - the audit key
 * @param previous - the head before the batch (undefined for an empty log); a format 1 head counts `seq` records
 * @param entries - the entries, in order (extra fields are dropped, see {@link auditEntryOf})
 * @param time - the commit time the head records; default now
 */
export function chainAuditBatch(
  key: Buffer,
  previous: { readonly seq: number; readonly mac: string; readonly count?: number | undefined } | undefined,
  entries: readonly AuditEntry[],
  time: string = isoTime(),
): AuditChainBatch {
  const records: AuditRecord[] = [];
  const head = chainAuditEntries(key, previous, entries, (entry, seq, prevMac, mac) => {
    records.push(auditRecordOf(entry, seq, prevMac, mac));
  }, time);
  return { records, head };
}

/**
 * The chain itself, without building records: gives each entry the next position and its MAC, calls `each` with
 * them in order, and returns the signed new head. For a store's hot path that writes rows straight from the entries
 * ({@link chainAuditBatch} builds the records with it). An entry's MAC covers exactly the fields of
 * {@link auditEntryOf}; other fields are ignored.
 *
 * @param key - the audit key
 * @param previous - the head before the batch (undefined for an empty log); a format 1 head counts `seq` records
 * @param entries - the entries, in order
 * @param each - called for every entry with its position, its predecessor's MAC and its MAC
 * @param time - the commit time the head records; default now
 */
export function chainAuditEntries(
  key: Buffer,
  previous: { readonly seq: number; readonly mac: string; readonly count?: number | undefined } | undefined,
  entries: readonly AuditEntry[],
  each: (entry: AuditEntry, seq: number, prevMac: string, mac: string) => void,
  time: string = isoTime(),
): AuditHeadV2 {
  let seq = previous?.seq ?? 0;
  let prevMac = previous?.mac ?? '';
  for (const entry of entries) {
    seq += 1;
    const mac = auditMac(key, entry, prevMac);
    each(entry, seq, prevMac, mac);
    prevMac = mac;
  }
  const count = (previous?.count ?? previous?.seq ?? 0) + entries.length;
  return signAuditHead(key, { seq, mac: prevMac, count, time });
}

/** A head as a report shows it. */
export function summarizeAuditHead(head: AuditHead): AuditHeadSummary {
  return head.version === 2
    ? { version: 2, seq: head.seq, count: head.count, time: head.time, keyId: head.keyId }
    : { version: 1, seq: head.seq };
}

/**
 * Checks a whole audit log: each record's MAC, each link to the record before, its position, the signed head,
 * and, when given, a checkpoint published outside the store. Names the first bad position and what kind of
 * tampering explains it, and tells a wrong key (`problem: 'key'`) from tampering.
 *
 * @param records - every record, in `seq` order
 * @param head - the stored head (undefined if the store has none)
 * @param key - the audit key
 * @param options - a checkpoint to hold the log to; whether an empty log verifies (default yes)
 */
export function verifyAuditChain(
  records: readonly AuditRecord[],
  head: AuditHead | undefined,
  key: Buffer,
  options: AuditVerifyOptions = {},
): AuditVerifyReport {
  const keyId = auditKeyId(key);
  const context = {
    keyId,
    ...(head === undefined ? {} : { head: summarizeAuditHead(head) }),
    ...(options.checkpoint === undefined ? {} : { checkpoint: { seq: options.checkpoint.seq, time: options.checkpoint.time } }),
  };
  const bad = (checked: number, seq: number, problem: NonNullable<AuditVerifyReport['problem']>, message: string): AuditVerifyReport =>
    wrongKey(records, head, key, keyId) ?? { ok: false, checked, firstBadSeq: seq, problem, message: `Audit chain broken at position ${seq}: ${message}`, ...context };

  const checkpoint = options.checkpoint;
  if (checkpoint !== undefined) {
    const check = verifyCheckpoint(checkpoint, key);
    if (!check.ok) {
      return wrongKey(records, head, key, keyId) ?? {
        ok: false, checked: 0, firstBadSeq: checkpoint.seq, problem: 'checkpoint',
        message: `The checkpoint at position ${checkpoint.seq} cannot be trusted: ${check.message}.`, ...context,
      };
    }
  }

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
    // Positions have no gaps and are not covered by the MAC: a record in the right place of the chain must
    // carry the right number, or the log was renumbered.
    if (r.seq !== i + 1) return bad(i, i + 1, 'changed', `the record at position ${i + 1} of the chain is numbered ${r.seq}: the positions were changed.`);
    prev = r.mac;
  }
  const last = records[records.length - 1];

  if (checkpoint !== undefined) {
    const end = last?.seq ?? 0;
    if (end < checkpoint.seq) {
      return bad(records.length, end + 1, 'truncated',
        `the log was truncated: it ends at position ${end}, but a checkpoint signed at ${checkpoint.time} shows it reached position ${checkpoint.seq}` +
        `${head === undefined || head.seq > end ? '' : ' (an older head was put back)'}.`);
    }
    const atCheckpoint = records[checkpoint.seq - 1] as AuditRecord;
    if (atCheckpoint.mac !== checkpoint.mac) {
      return bad(records.length, checkpoint.seq, 'checkpoint',
        `record ${checkpoint.seq} is not the record the checkpoint of ${checkpoint.time} signed: the log was rewritten after the checkpoint.`);
    }
  }

  if (head === undefined) {
    if (last === undefined) {
      if (options.allowEmpty === false) {
        return { ok: false, checked: 0, problem: 'empty', message: 'The audit log is empty: it has no record and no head. If the log is new, say so (allowEmpty / --allow-empty).', ...context };
      }
      return { ok: true, checked: 0, message: 'The audit log is empty.', ...context };
    }
    return bad(records.length, last.seq, 'head', 'the head checkpoint is missing: the end of the log cannot be confirmed.');
  }
  if (!isAuditHeadSigned(key, head)) {
    return bad(records.length, head.seq, 'head', 'the head checkpoint was changed: its signature does not match.');
  }
  if (last === undefined || head.mac !== last.mac || head.seq !== last.seq) {
    if (last !== undefined && last.seq > head.seq) {
      return bad(records.length, head.seq + 1, 'inserted', `records after position ${head.seq} were appended outside the store.`);
    }
    const from = (last?.seq ?? 0) + 1;
    return bad(records.length, from, 'truncated', `the log was truncated: it should run to position ${head.seq} but ends at ${last?.seq ?? 0}.`);
  }
  if (head.version === 2 && head.count !== records.length) {
    return bad(records.length, head.seq, 'head', `the head counts ${head.count} records but the log holds ${records.length}.`);
  }
  const anchored = checkpoint === undefined ? '' : ` It reaches and agrees with the checkpoint of ${checkpoint.time} (position ${checkpoint.seq}).`;
  const signed = head.version === 2 ? `, signed at ${head.time}` : '';
  return {
    ok: true,
    checked: records.length,
    message: `All ${records.length} audit records verify; the chain is intact up to position ${head.seq}${signed}.${anchored}`,
    ...context,
  };
}

/**
 * A report that the key is wrong, when that explains the failure better than tampering: the head (format 2) names
 * another key and no record verifies under the given one; or, for a format 1 head or none, neither the head nor
 * any record does.
 */
function wrongKey(records: readonly AuditRecord[], head: AuditHead | undefined, key: Buffer, keyId: string): AuditVerifyReport | undefined {
  const anyRecordVerifies = (): boolean => records.some((r) => auditMac(key, auditEntryOf(r), r.prevMac) === r.mac);
  const fix = 'Check the secret the key is derived from (PRIVACY_KIT_SECRET or --key-env): the app derives its key as deriveKey(secret, \'audit\').';
  if (head?.version === 2) {
    if (head.keyId === keyId || anyRecordVerifies()) return undefined;
    return {
      ok: false, checked: 0, problem: 'key', keyId, head: summarizeAuditHead(head),
      message: `Wrong audit key: the log was written under key id ${head.keyId}, the given key has key id ${keyId}. ${fix}`,
    };
  }
  if (records.length === 0 || (head !== undefined && isAuditHeadSigned(key, head)) || anyRecordVerifies()) return undefined;
  return {
    ok: false, checked: 0, problem: 'key', keyId, ...(head === undefined ? {} : { head: summarizeAuditHead(head) }),
    message: `Wrong audit key: none of the ${records.length} records${head === undefined ? '' : ' nor the head'} verifies under the given key (key id ${keyId}), so it is not the key this log was written with (or every record was rewritten). ${fix}`,
  };
}
