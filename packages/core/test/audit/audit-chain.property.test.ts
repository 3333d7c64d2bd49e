import fc from 'fast-check';
import { type AuditEntry, type AuditEvent, type AuditRecord } from '@privacy-kit/core';
import { auditEntryOf, auditEntryRowValues, auditRowValues, chainAuditBatch, chainAuditEntries, verifyAuditChain } from '@privacy-kit/core/store';
import { testVectorKey } from '@privacy-kit/core/testing';

// Property: whatever single change, deletion, insertion, swap or truncation is applied to a chain a store wrote
// (its head left as it was), verify reports it. fast-check prints the seed and the shrunk counterexample on failure.

const key = testVectorKey();
const EVENTS: readonly AuditEvent[] = ['access', 'denied', 'outcome', 'rights', 'consent', 'retention'];
const BASES = ['consent', 'contract', 'legal_obligation', 'vital_interests', 'public_task', 'legitimate_interests'] as const;
const word = fc.string({ unit: fc.constantFrom('a', 'b', 'c', '.', '-', '1'), minLength: 1, maxLength: 6 });

const entry: fc.Arbitrary<AuditEntry> = fc.record({
  event: fc.constantFrom(...EVENTS),
  time: fc.integer({ min: 1_600_000_000_000, max: 1_900_000_000_000 }).map((ms) => new Date(ms).toISOString().replace('Z', '+00:00')),
  requestId: word,
  appId: word,
  actor: fc.option(word, { nil: null }),
  subject: fc.option(word, { nil: null }),
  method: fc.option(fc.constantFrom('GET', 'PUT', 'POST', 'DELETE'), { nil: null }),
  route: fc.option(word, { nil: null }),
  purposes: fc.array(word, { maxLength: 2 }),
  basis: fc.option(fc.constantFrom(...BASES), { nil: null }),
  categories: fc.array(word, { maxLength: 2 }),
  decision: fc.constantFrom('allowed' as const, 'denied' as const),
  reason: fc.option(word, { nil: null }),
  status: fc.option(fc.integer({ min: 100, max: 599 }), { nil: null }),
  durationMs: fc.option(fc.double({ min: 0, max: 1e4, noNaN: true }), { nil: null }),
  details: fc.option(fc.dictionary(word, fc.oneof(word, fc.integer(), fc.boolean(), fc.constant(null)), { maxKeys: 3 }), { nil: undefined }),
}, { requiredKeys: ['event', 'time', 'requestId', 'appId', 'actor', 'subject', 'method', 'route', 'purposes', 'basis', 'categories', 'decision', 'reason', 'status', 'durationMs'] });

type Field = keyof AuditRecord;
const FIELDS: readonly Field[] = [
  'event', 'time', 'requestId', 'appId', 'actor', 'subject', 'method', 'route', 'purposes', 'basis', 'categories', 'decision',
  'reason', 'status', 'durationMs', 'details', 'seq', 'prevMac', 'mac',
];

/** A value of `field` that differs from `record[field]` in what is stored and MAC'd. */
function changed(record: AuditRecord, field: Field): unknown {
  const value = record[field] as unknown;
  switch (field) {
    case 'event': return EVENTS[(EVENTS.indexOf(record.event) + 1) % EVENTS.length];
    case 'decision': return record.decision === 'allowed' ? 'denied' : 'allowed';
    case 'basis': return record.basis === null ? 'consent' : BASES[(BASES.indexOf(record.basis) + 1) % BASES.length];
    case 'purposes': case 'categories': return [...(value as string[]), 'extra.term'];
    case 'status': case 'seq': return value === null ? 200 : (value as number) + 1;
    case 'durationMs': return value === null ? 1.5 : (value as number) + 0.25;
    case 'details': return { ...(record.details ?? {}), 'zz-added': true };
    default: return value === null ? 'x' : `${value as string}x`;
  }
}

type Mutation =
  | { kind: 'change'; at: number; field: Field }
  | { kind: 'delete'; at: number }
  | { kind: 'insert'; at: number; copyOf: number | undefined; forged: AuditEntry; renumber: boolean }
  | { kind: 'swap'; a: number; b: number }
  | { kind: 'truncate'; keep: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('change' as const), at: fc.nat(), field: fc.constantFrom(...FIELDS) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), copyOf: fc.option(fc.nat(), { nil: undefined }), forged: entry, renumber: fc.boolean() }),
  fc.record({ kind: fc.constant('swap' as const), a: fc.nat(), b: fc.nat() }),
  fc.record({ kind: fc.constant('truncate' as const), keep: fc.nat() }),
);

/** Applies a mutation the way someone editing the table would; undefined when it cannot apply (a swap of one record). */
function apply(records: readonly AuditRecord[], m: Mutation): AuditRecord[] | undefined {
  const n = records.length;
  const out = [...records];
  switch (m.kind) {
    case 'change': {
      const i = m.at % n;
      out[i] = { ...(records[i] as AuditRecord), [m.field]: changed(records[i] as AuditRecord, m.field) };
      return out;
    }
    case 'delete':
      out.splice(m.at % n, 1);
      return out;
    case 'insert': {
      const at = m.at % (n + 1);
      const inserted: AuditRecord = m.copyOf !== undefined
        ? (records[m.copyOf % n] as AuditRecord)
        : { ...m.forged, seq: at + 1, prevMac: out[at - 1]?.mac ?? '', mac: 'forged-without-the-key' };
      out.splice(at, 0, inserted);
      return m.renumber ? out.map((r, i) => ({ ...r, seq: i + 1 })) : out;
    }
    case 'swap': {
      const a = m.a % n;
      const b = m.b % n;
      if (a === b) return undefined;
      out[a] = { ...(records[b] as AuditRecord), seq: a + 1 };
      out[b] = { ...(records[a] as AuditRecord), seq: b + 1 };
      return out;
    }
    case 'truncate':
      return out.slice(0, m.keep % n);
  }
}

describe('the audit chain under random tampering (property)', () => {
  it('reports every single change, deletion, insertion, swap or truncation of a random chain as tampering', () => {
    fc.assert(
      fc.property(fc.array(entry, { minLength: 1, maxLength: 30 }), mutation, (entries, m) => {
        const { records, head } = chainAuditBatch(key, undefined, entries, '2026-01-01T00:00:00.000+00:00');
        const tampered = apply(records, m);
        fc.pre(tampered !== undefined);
        const report = verifyAuditChain(tampered, head, key);
        return !report.ok && report.problem !== 'key';
      }),
      { numRuns: 10_000 },
    );
  });
});

describe('the chain without records (chainAuditEntries) and rows straight from entries (property)', () => {
  it('gives exactly the positions, MACs, head and row values of chainAuditBatch for any entries and any previous head', () => {
    fc.assert(
      fc.property(fc.array(entry, { minLength: 1, maxLength: 6 }), fc.option(fc.record({ seq: fc.integer({ min: 1, max: 1e6 }), mac: word, count: fc.integer({ min: 1, max: 1e6 }) }), { nil: undefined }), (entries, previous) => {
        const time = '2026-12-04T20:00:00.000+00:00';
        const batch = chainAuditBatch(key, previous, entries, time);
        const seen: unknown[][] = [];
        const head = chainAuditEntries(key, previous, entries, (e, seq, prevMac, mac) => {
          seen.push(auditEntryRowValues(e, seq, prevMac, mac, JSON.stringify));
        }, time);
        expect(head).toEqual(batch.head);
        // auditRecordOf builds in one object what the entry's fields plus the chain's give.
        expect(batch.records.map((r) => ({ ...r }))).toStrictEqual(entries.map((e, i) => ({ ...auditEntryOf(e), seq: (batch.records[i] as AuditRecord).seq, prevMac: (batch.records[i] as AuditRecord).prevMac, mac: (batch.records[i] as AuditRecord).mac })));
        expect(seen).toEqual(batch.records.map((record: AuditRecord) => auditRowValues(record, JSON.stringify)));
      }),
      { numRuns: 2_000 },
    );
  });
});
