import { createHmac } from 'node:crypto';
import { auditKeyId, createAuditCheckpoint, summarizeAuditHead, verifyAuditChain, verifyCheckpoint } from './audit-chain';
import type { AuditCheckpoint, AuditHead, AuditRecord, AuditVerifyOptions, AuditVerifyReport } from './audit-record';

/**
 * One chain of an audit log kept as several chains, one per writer (the PostgreSQL store): its id, its signed head
 * and its records in chain order.
 */
export interface AuditChainLog {
  /** The chain's id in the store's chain registry. */
  readonly chain: string;
  /** The chain's signed head; undefined when the registry has none for it (never appended, or removed). */
  readonly head: AuditHead | undefined;
  /** The chain's records in chain order; `seq` is the position in the chain, from 1. */
  readonly records: readonly AuditRecord[];
}

/** Where one chain ended when a {@link AuditChainsCheckpoint} was signed: `[chain, position, MAC at that position]`. */
export type AuditChainPosition = readonly [chain: string, seq: number, mac: string];

/**
 * A signed statement of every chain's head at one time, as a multi-chain store keeps it (append-only) and as its
 * published {@link AuditCheckpoint} points to: a chain that vanished, was cut short or rewritten after it no longer
 * agrees with it.
 */
export interface AuditChainsCheckpoint {
  /** When it was signed (ISO 8601 with offset). */
  readonly time: string;
  /** Records over all chains. */
  readonly count: number;
  /** Every chain's end, sorted by chain id. */
  readonly chains: readonly AuditChainPosition[];
  /** The fingerprint of the audit key that signed it. */
  readonly keyId: string;
  /** HMAC over every field above, base64url. */
  readonly mac: string;
}

function chainsCheckpointMac(key: Buffer, time: string, count: number, keyId: string, chains: readonly AuditChainPosition[]): string {
  const hmac = createHmac('sha256', key).update(`chains\nv1\n${time}\n${count}\n${keyId}\n`);
  for (const [chain, seq, mac] of chains) hmac.update(`${chain}\n${seq}\n${mac}\n`);
  return hmac.digest('base64url');
}

/**
 * Signs where every chain ends: HMAC(key, "chains\nv1\n{time}\n{count}\n{keyId}\n" + "{chain}\n{seq}\n{mac}\n" per
 * chain, sorted by chain id).
 *
 * @param key - the audit key
 * @param state - the time and each chain's end (any order; chains without records are left out)
 */
export function signAuditChainsCheckpoint(key: Buffer, state: { readonly time: string; readonly chains: readonly AuditChainPosition[] }): AuditChainsCheckpoint {
  const chains = state.chains.filter(([, seq]) => seq > 0).slice().sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const count = chains.reduce((n, [, seq]) => n + seq, 0);
  const keyId = auditKeyId(key);
  return { time: state.time, count, chains, keyId, mac: chainsCheckpointMac(key, state.time, count, keyId, chains) };
}

/** Whether a stored chains checkpoint is well formed and signed under `key`. */
export function isAuditChainsCheckpointSigned(key: Buffer, checkpoint: AuditChainsCheckpoint): boolean {
  const { chains } = checkpoint;
  if (!Array.isArray(chains) || !chains.every((c) => Array.isArray(c) && typeof c[0] === 'string' && Number.isSafeInteger(c[1]) && typeof c[2] === 'string')) return false;
  return chainsCheckpointMac(key, checkpoint.time, checkpoint.count, checkpoint.keyId, chains) === checkpoint.mac;
}

/**
 * The checkpoint to publish outside the store for a chains checkpoint: `seq` and `count` are the records over all
 * chains, `mac` the chains checkpoint's MAC (so verify finds the stored statement of every chain's head it stands
 * for). Same format as a single-chain store's, so files, hooks and `audit verify --checkpoint` work unchanged.
 *
 * @param key - the audit key
 * @param checkpoint - the signed chains checkpoint (with at least one record)
 */
export function publishableChainsCheckpoint(key: Buffer, checkpoint: AuditChainsCheckpoint): AuditCheckpoint {
  return createAuditCheckpoint(key, { seq: checkpoint.count, mac: checkpoint.mac, count: checkpoint.count, time: checkpoint.time });
}

/** A log kept as several chains, as a store reads it for verification (from one consistent snapshot). */
export interface AuditChainsSnapshot {
  /** Every chain of the registry, and every chain id that appears in the records (those without a head entry too). */
  readonly chains: readonly AuditChainLog[];
  /** The stored chains checkpoints, oldest first. */
  readonly checkpoints: readonly AuditChainsCheckpoint[];
}

const named = (report: AuditVerifyReport, chain: string): AuditVerifyReport => ({
  ...report,
  chain,
  message: report.message.replace(/^Audit chain broken at/, `Audit chain '${chain}' broken at`),
});

/**
 * Checks a log kept as one chain per writer: every chain as {@link verifyAuditChain} checks one (records, links,
 * positions, its signed head), every stored chains checkpoint's signature, and that every chain still reaches the
 * newest stored checkpoint and, when given, the published `checkpoint` (a vanished chain, a chain cut short or
 * rewritten after it is named). The report names the chain and the position in it of the first problem.
 *
 * @param snapshot - every chain and the stored checkpoints
 * @param key - the audit key
 * @param options - a published checkpoint to hold the log to; whether an empty log verifies (default yes)
 */
export function verifyAuditChains(snapshot: AuditChainsSnapshot, key: Buffer, options: AuditVerifyOptions = {}): AuditVerifyReport {
  const keyId = auditKeyId(key);
  const chains = [...snapshot.chains].sort((a, b) => (a.chain < b.chain ? -1 : a.chain > b.chain ? 1 : 0));
  const withHead = chains.filter((c) => c.head !== undefined);
  const only = withHead.length === 1 ? withHead[0] : undefined;
  const context = {
    keyId,
    chains: chains.length,
    ...(only?.head === undefined ? {} : { head: summarizeAuditHead(only.head) }),
    ...(options.checkpoint === undefined ? {} : { checkpoint: { seq: options.checkpoint.seq, time: options.checkpoint.time } }),
  };

  let checked = 0;
  for (const log of chains) {
    const report = verifyAuditChain(log.records, log.head, key, { allowEmpty: true });
    if (!report.ok) return report.problem === 'key' ? { ...report, chains: chains.length } : { ...named(report, log.chain), checked: checked + report.checked, ...context };
    checked += report.checked;
  }

  const byId = new Map(chains.map((c) => [c.chain, c]));
  const failAt = (chain: string, seq: number, problem: NonNullable<AuditVerifyReport['problem']>, message: string): AuditVerifyReport =>
    ({ ok: false, checked, chain, firstBadSeq: seq, problem, message: `Audit chain '${chain}' broken at position ${seq}: ${message}`, ...context });
  const reaches = (anchor: AuditChainsCheckpoint, what: string): AuditVerifyReport | undefined => {
    for (const [chain, seq, mac] of anchor.chains) {
      const log = byId.get(chain);
      const end = log?.records.length ?? 0;
      if (log === undefined || end === 0) {
        return failAt(chain, 1, 'deleted', `the whole chain is gone, but ${what} signed at ${anchor.time} shows it reached position ${seq}.`);
      }
      if (end < seq) return failAt(chain, end + 1, 'truncated', `the chain was truncated: it ends at position ${end}, but ${what} signed at ${anchor.time} shows it reached position ${seq}.`);
      if (log.records[seq - 1]?.mac !== mac) {
        return failAt(chain, seq, 'checkpoint', `record ${seq} is not the record ${what} of ${anchor.time} signed: the chain was rewritten after it.`);
      }
    }
    return undefined;
  };

  const stored = snapshot.checkpoints;
  for (let i = 0; i < stored.length; i++) {
    const cp = stored[i] as AuditChainsCheckpoint;
    if (cp.keyId !== keyId || !isAuditChainsCheckpointSigned(key, cp)) {
      return {
        ok: false, checked, problem: 'checkpoint', ...context,
        message: `Stored checkpoint ${i + 1} of ${stored.length} (${String(cp.time)}) ${cp.keyId === keyId ? 'was forged or changed: its signature does not match' : `was signed under key id ${String(cp.keyId)}, not under the given key`}.`,
      };
    }
  }
  const newest = stored[stored.length - 1];
  if (newest !== undefined) {
    const problem = reaches(newest, 'the newest stored checkpoint');
    if (problem !== undefined) return problem;
  }

  const published = options.checkpoint;
  if (published !== undefined) {
    const check = verifyCheckpoint(published, key);
    if (!check.ok) {
      return { ok: false, checked, problem: check.wrongKey ? 'key' : 'checkpoint', ...context, message: `The published checkpoint of ${String(published.time)} cannot be trusted: ${check.message}.` };
    }
    const match = stored.find((cp) => cp.mac === published.mac && cp.count === published.count);
    if (match === undefined) {
      return {
        ok: false, checked, problem: 'checkpoint', ...context,
        message: `The store no longer holds the checkpoint published at ${published.time} (${published.count} records): its checkpoints were removed or rewritten, so the log cannot be shown to reach it.`,
      };
    }
    const problem = reaches(match, 'the published checkpoint');
    if (problem !== undefined) return problem;
  }

  if (checked === 0 && withHead.length === 0) {
    if (options.allowEmpty === false) {
      return { ok: false, checked: 0, problem: 'empty', message: 'The audit log is empty: it has no record and no head. If the log is new, say so (allowEmpty / --allow-empty).', ...context };
    }
    return { ok: true, checked: 0, message: 'The audit log is empty.', ...context };
  }
  const writing = chains.filter((c) => c.records.length > 0).length;
  const anchored = published === undefined ? '' : ` It reaches and agrees with the checkpoint of ${published.time} (${published.count} records).`;
  const ends = only?.head !== undefined && chains.length === 1
    ? `; the chain is intact up to position ${only.head.seq}${only.head.version === 2 ? `, signed at ${only.head.time}` : ''}`
    : ` in ${writing} chain${writing === 1 ? '' : 's'}, each intact up to its signed head`;
  return { ok: true, checked, message: `All ${checked} audit records verify${ends}.${anchored}`, ...context };
}
