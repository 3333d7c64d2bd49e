import { randomBytes } from 'node:crypto';
import type { AuditRecord } from '@privacy-kit/core';
import {
  chainAuditBatch,
  isAuditChainsCheckpointSigned,
  publishableChainsCheckpoint,
  signAuditChainsCheckpoint,
  verifyAuditChains,
  verifyCheckpoint,
  type AuditChainLog,
  type AuditChainsCheckpoint,
} from '@privacy-kit/core/store';
import { sampleAuditEntry, testVectorKey } from '@privacy-kit/core/testing';

// A log kept as one chain per writer (the PostgreSQL store): every chain, the stored checkpoints of every head,
// and a published checkpoint.

const key = testVectorKey();
const TIME = '2026-12-05T00:00:00.000+00:00';

function chain(id: string, n: number): AuditChainLog {
  const batch = chainAuditBatch(key, undefined, Array.from({ length: n }, (_, i) => sampleAuditEntry({ requestId: `${id}-${i + 1}` })), TIME);
  return { chain: id, head: batch.head, records: batch.records };
}
const ends = (logs: readonly AuditChainLog[]): AuditChainsCheckpoint =>
  signAuditChainsCheckpoint(key, { time: TIME, chains: logs.map((l) => [l.chain, l.records.length, l.records[l.records.length - 1]?.mac ?? ''] as const) });

describe('verifyAuditChains', () => {
  it('verifies every chain of an intact log and counts the records of all', () => {
    const logs = [chain('w-a', 3), chain('w-b', 2)];
    expect(verifyAuditChains({ chains: logs, checkpoints: [ends(logs)] }, key)).toEqual(expect.objectContaining({ ok: true, checked: 5, chains: 2 }));
  });

  it('names the chain and the position in it of a changed record', () => {
    const b = chain('w-b', 3);
    const changed: AuditRecord[] = b.records.map((r, i) => (i === 1 ? { ...r, route: '/elsewhere' } : r));
    const report = verifyAuditChains({ chains: [chain('w-a', 2), { ...b, records: changed }], checkpoints: [] }, key);
    expect(report).toEqual(expect.objectContaining({ ok: false, problem: 'changed', chain: 'w-b', firstBadSeq: 2 }));
    expect(report.message).toMatch(/^Audit chain 'w-b' broken at position 2: /);
  });

  it('reports records of a chain without a head as a missing head, naming the chain', () => {
    const orphan = { ...chain('w-x', 2), head: undefined };
    expect(verifyAuditChains({ chains: [chain('w-a', 1), orphan], checkpoints: [] }, key)).toEqual(expect.objectContaining({ ok: false, problem: 'head', chain: 'w-x' }));
  });

  it('finds a whole chain gone by the newest stored checkpoint', () => {
    const logs = [chain('w-a', 2), chain('w-b', 2)];
    const stored = ends(logs);
    expect(verifyAuditChains({ chains: [logs[0] as AuditChainLog], checkpoints: [stored] }, key)).toEqual(expect.objectContaining({ ok: false, problem: 'deleted', chain: 'w-b', firstBadSeq: 1 }));
  });

  it('finds a chain cut short with an older head put back, by the stored checkpoint', () => {
    const full = chain('w-a', 5);
    const stored = ends([full]);
    const older = chainAuditBatch(key, undefined, full.records.slice(0, 3), TIME);
    const cut: AuditChainLog = { chain: 'w-a', head: older.head, records: full.records.slice(0, 3) };
    expect(verifyAuditChains({ chains: [cut], checkpoints: [stored] }, key)).toEqual(expect.objectContaining({ ok: false, problem: 'truncated', chain: 'w-a', firstBadSeq: 4 }));
  });

  it('reports a forged stored checkpoint', () => {
    const logs = [chain('w-a', 2)];
    const forged = { ...ends(logs), count: 3 };
    expect(isAuditChainsCheckpointSigned(key, forged)).toBe(false);
    expect(verifyAuditChains({ chains: logs, checkpoints: [forged] }, key)).toEqual(expect.objectContaining({ ok: false, problem: 'checkpoint' }));
  });

  it('publishes a checkpoint in the single-chain format that points to its stored statement', () => {
    const logs = [chain('w-a', 2), chain('w-b', 3)];
    const stored = ends(logs);
    const published = publishableChainsCheckpoint(key, stored);
    expect(published).toEqual(expect.objectContaining({ version: 1, seq: 5, count: 5, mac: stored.mac, time: TIME }));
    expect(verifyCheckpoint(published, key).ok).toBe(true);
    expect(verifyAuditChains({ chains: logs, checkpoints: [stored] }, key, { checkpoint: published })).toEqual(expect.objectContaining({ ok: true, checked: 5, checkpoint: { seq: 5, time: TIME } }));
  });

  it('reports a published checkpoint whose stored statement is gone', () => {
    const logs = [chain('w-a', 2)];
    const published = publishableChainsCheckpoint(key, ends(logs));
    expect(verifyAuditChains({ chains: logs, checkpoints: [] }, key, { checkpoint: published })).toEqual(expect.objectContaining({ ok: false, problem: 'checkpoint' }));
  });

  it('tells a wrong key from tampering', () => {
    const logs = [chain('w-a', 2)];
    expect(verifyAuditChains({ chains: logs, checkpoints: [] }, randomBytes(32))).toEqual(expect.objectContaining({ ok: false, problem: 'key' }));
  });

  it('reports an empty log as empty only when it may not be', () => {
    expect(verifyAuditChains({ chains: [{ chain: 'w-a', head: undefined, records: [] }], checkpoints: [] }, key)).toEqual(expect.objectContaining({ ok: true, checked: 0 }));
    expect(verifyAuditChains({ chains: [], checkpoints: [] }, key, { allowEmpty: false })).toEqual(expect.objectContaining({ ok: false, problem: 'empty' }));
  });
});
