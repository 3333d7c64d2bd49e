import { randomBytes } from 'node:crypto';
import { readAuditCheckpoints, type AuditHead, type AuditRecord } from '@privacy-kit/core';
import {
  auditRecordFromRow,
  chainAuditBatch,
  createAuditCheckpoint,
  serializeAuditCheckpoint,
  verifyAuditChain,
  verifyAuditRows,
  type AuditRow,
} from '@privacy-kit/core/store';
import { V1_AUDIT_FIXTURE, sampleAuditEntry, testVectorKey } from '@privacy-kit/core/testing';

const key = randomBytes(32);

/** A log of `n` records as a store writes it, with its head. */
function log(n: number, k: Buffer = key, previous?: { seq: number; mac: string; count?: number }, route = '/me/profile') {
  return chainAuditBatch(k, previous, Array.from({ length: n }, (_, i) => sampleAuditEntry({ requestId: `req-${i + 1}`, route })));
}

/** A record as an audit_log row (SQLite keeps JSON columns as text). */
function rowOf(r: AuditRecord): AuditRow {
  return {
    seq: r.seq, event: r.event, time: r.time, request_id: r.requestId, app_id: r.appId, actor: r.actor, subject: r.subject, method: r.method,
    route: r.route, purposes: JSON.stringify(r.purposes), basis: r.basis, categories: JSON.stringify(r.categories), decision: r.decision,
    reason: r.reason, status: r.status, duration_ms: r.durationMs, details: r.details === undefined ? null : JSON.stringify(r.details),
    prev_mac: r.prevMac, mac: r.mac,
  };
}

describe('chainAuditBatch', () => {
  it('numbers from the previous head, links each record to the one before, and signs a format 2 head', () => {
    const first = log(2);
    const second = log(3, key, first.head);
    expect(second.records.map((r) => r.seq)).toEqual([3, 4, 5]);
    expect(second.records[0]?.prevMac).toBe(first.head.mac);
    expect(second.head).toEqual(expect.objectContaining({ version: 2, seq: 5, count: 5, mac: second.records[2]?.mac }));
    expect(verifyAuditChain([...first.records, ...second.records], second.head, key)).toEqual(expect.objectContaining({ ok: true, checked: 5 }));
  });
});

describe('the format 2 head', () => {
  it('binds the time: a head with another time does not verify', () => {
    const { records, head } = log(3);
    const moved: AuditHead = { ...head, time: '2020-01-01T00:00:00.000+00:00' };
    expect(verifyAuditChain(records, moved, key)).toEqual(expect.objectContaining({ ok: false, problem: 'head' }));
  });

  it('binds the count: a head with another count does not verify', () => {
    const { records, head } = log(3);
    expect(verifyAuditChain(records, { ...head, count: 2 }, key)).toEqual(expect.objectContaining({ ok: false, problem: 'head' }));
  });

  it('shows what the head claims in the report', () => {
    const { records, head } = log(2);
    expect(verifyAuditChain(records, head, key).head).toEqual({ version: 2, seq: 2, count: 2, time: head.time, keyId: head.keyId });
  });
});

describe('a wrong key', () => {
  it('is reported as a wrong key, not as a changed record, when the head names another key', () => {
    const { records, head } = log(3);
    const report = verifyAuditChain(records, head, randomBytes(32));
    expect(report).toEqual(expect.objectContaining({ ok: false, problem: 'key' }));
    expect(report.message).toMatch(/^Wrong audit key: the log was written under key id \S+, the given key has key id \S+\./);
    expect(report.firstBadSeq).toBeUndefined();
  });

  it('is reported as a wrong key for a format 1 head too, when neither the head nor any record verifies', () => {
    const records = V1_AUDIT_FIXTURE.rows.map((r) => auditRecordFromRow({ ...r }));
    const head = { seq: V1_AUDIT_FIXTURE.head.seq as number, mac: V1_AUDIT_FIXTURE.head.mac, headMac: V1_AUDIT_FIXTURE.head.head_mac };
    expect(verifyAuditChain(records, head, randomBytes(32))).toEqual(expect.objectContaining({ ok: false, problem: 'key' }));
  });

  it('is not claimed when the key id of the head was edited but the records verify: that is tampering', () => {
    const { records, head } = log(3);
    expect(verifyAuditChain(records, { ...head, keyId: 'AAAAAAAAAAAAAAAA' }, key)).toEqual(expect.objectContaining({ ok: false, problem: 'head' }));
  });
});

describe('positions', () => {
  it('finds a record whose position number was changed', () => {
    const { records, head } = log(4);
    const renumbered = records.map((r) => (r.seq === 2 ? { ...r, seq: 7 } : r));
    expect(verifyAuditChain(renumbered, head, key)).toEqual(expect.objectContaining({ ok: false, problem: 'changed', firstBadSeq: 2 }));
  });
});

describe('an empty log', () => {
  it('verifies by default (a new store)', () => {
    expect(verifyAuditChain([], undefined, key)).toEqual(expect.objectContaining({ ok: true, checked: 0 }));
  });

  it('fails as empty when the caller did not allow it', () => {
    expect(verifyAuditChain([], undefined, key, { allowEmpty: false })).toEqual(expect.objectContaining({ ok: false, problem: 'empty' }));
  });
});

describe('checkpoints', () => {
  it('lets a truncated log with an older head put back verify without a checkpoint (the limit of a head alone)', () => {
    const early = log(5);
    expect(verifyAuditChain(early.records, early.head, key)).toEqual(expect.objectContaining({ ok: true }));
  });

  it('finds that truncation with a later checkpoint, naming the first missing position', () => {
    const early = log(5);
    const later = log(3, key, early.head);
    const checkpoint = createAuditCheckpoint(key, later.head);
    const report = verifyAuditChain(early.records, early.head, key, { checkpoint });
    expect(report).toEqual(expect.objectContaining({ ok: false, problem: 'truncated', firstBadSeq: 6 }));
    expect(report.message).toMatch(/truncated: it ends at position 5, but a checkpoint signed at .* shows it reached position 8 \(an older head was put back\)/);
  });

  it('finds a log emptied of every record and its head', () => {
    const { head } = log(4);
    expect(verifyAuditChain([], undefined, key, { checkpoint: createAuditCheckpoint(key, head) })).toEqual(expect.objectContaining({ ok: false, problem: 'truncated', firstBadSeq: 1 }));
  });

  it('verifies a log that reached the checkpoint and went on', () => {
    const early = log(5);
    const later = log(3, key, early.head);
    const report = verifyAuditChain([...early.records, ...later.records], later.head, key, { checkpoint: createAuditCheckpoint(key, early.head) });
    expect(report).toEqual(expect.objectContaining({ ok: true, checked: 8, checkpoint: { seq: 5, time: early.head.time } }));
    expect(report.message).toMatch(/agrees with the checkpoint of .* \(position 5\)/);
  });

  it('finds a log rewritten after the checkpoint by someone holding the key', () => {
    const original = log(5);
    const rewritten = log(5, key, undefined, '/rewritten');
    const report = verifyAuditChain(rewritten.records, rewritten.head, key, { checkpoint: createAuditCheckpoint(key, original.head) });
    expect(report).toEqual(expect.objectContaining({ ok: false, problem: 'checkpoint', firstBadSeq: 5 }));
  });

  it('refuses a forged checkpoint', () => {
    const early = log(5);
    const forged = { ...createAuditCheckpoint(key, early.head), seq: 3 };
    expect(verifyAuditChain(early.records, early.head, key, { checkpoint: forged })).toEqual(expect.objectContaining({ ok: false, problem: 'checkpoint' }));
  });
});

describe('readAuditCheckpoints', () => {
  const a = createAuditCheckpoint(key, { seq: 3, mac: 'm3', count: 3, time: '2026-01-01T00:00:00.000+00:00' });
  const b = createAuditCheckpoint(key, { seq: 9, mac: 'm9', count: 9, time: '2026-01-01T00:01:00.000+00:00' });

  it('returns the newest valid checkpoint', () => {
    const read = readAuditCheckpoints(serializeAuditCheckpoint(a) + serializeAuditCheckpoint(b), key);
    expect(read).toEqual({ newest: b, valid: 2, problems: [] });
  });

  it('names a changed line and a line that is not JSON', () => {
    const changed = serializeAuditCheckpoint(a).replace('"seq":3', '"seq":30');
    const read = readAuditCheckpoints(changed + 'not json\n' + serializeAuditCheckpoint(b), key);
    expect(read.problems).toEqual([
      { line: 1, message: 'its signature does not match: it was forged or changed', wrongKey: false },
      { line: 2, message: 'it is not JSON', wrongKey: false },
    ]);
    expect(read.newest).toEqual(b);
  });

  it('skips a last line cut short by a crash', () => {
    const torn = serializeAuditCheckpoint(b).slice(0, 20);
    expect(readAuditCheckpoints(serializeAuditCheckpoint(a) + torn, key)).toEqual({ newest: a, valid: 1, problems: [] });
  });

  it('flags lines signed under another key', () => {
    const read = readAuditCheckpoints(serializeAuditCheckpoint(a), randomBytes(32));
    expect(read.problems).toEqual([expect.objectContaining({ line: 1, wrongKey: true })]);
  });
});

describe('verifyAuditRows', () => {
  it('reports a record whose details are not JSON as tampering, naming the record', () => {
    const { records, head } = log(3);
    const rows = records.map(rowOf);
    rows[1] = { ...(rows[1] as AuditRow), details: '{not json' };
    const report = verifyAuditRows(rows, { seq: head.seq, mac: head.mac, head_mac: head.headMac, version: 2, count: head.count, time: head.time, key_id: head.keyId }, key);
    expect(report).toEqual(expect.objectContaining({ ok: false, problem: 'unparsable', firstBadSeq: 2 }));
    expect(report.message).toMatch(/record 2 cannot be read: its details column is not JSON/);
  });

  it('verifies the format 1 fixture log written by the first release', () => {
    expect(verifyAuditRows(V1_AUDIT_FIXTURE.rows, V1_AUDIT_FIXTURE.head, testVectorKey())).toEqual(expect.objectContaining({ ok: true, checked: 5, head: { version: 1, seq: 5 } }));
  });

  it('goes on from the format 1 fixture with a format 2 head that verifies', () => {
    const fixtureKey = testVectorKey();
    const old = V1_AUDIT_FIXTURE.rows.map((r) => auditRecordFromRow({ ...r }));
    const next = chainAuditBatch(fixtureKey, { seq: 5, mac: V1_AUDIT_FIXTURE.head.mac }, [sampleAuditEntry()]);
    expect(verifyAuditChain([...old, ...next.records], next.head, fixtureKey)).toEqual(expect.objectContaining({ ok: true, checked: 6, head: expect.objectContaining({ version: 2, count: 6 }) }));
  });

  it('reports a changed fixture record as changed', () => {
    const rows = V1_AUDIT_FIXTURE.rows.map((r) => ({ ...r }));
    rows[2] = { ...(rows[2] as AuditRow), reason: null };
    expect(verifyAuditRows(rows, V1_AUDIT_FIXTURE.head, testVectorKey())).toEqual(expect.objectContaining({ ok: false, problem: 'changed', firstBadSeq: 3 }));
  });
});
