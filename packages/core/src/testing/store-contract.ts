import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { AuditEntry, AuditRecord } from '../audit/audit-record';
import { isoTime } from '../audit/iso-time';
import { AUDIT_COLUMNS } from '../stores/audit-columns';
import type { AuditQuery, PrivacyStore } from '../stores/store-contracts';

/** Fields of a record that are its place in the chain rather than part of its entry. */
const CHAIN_FIELDS: ReadonlySet<string> = new Set(['seq', 'prevMac', 'mac']);

/**
 * The audit_log column of each audit entry field, the same in the SQL stores, for tampering helpers that edit
 * rows directly; `json` says whether the column holds JSON. Derived from the stores' column table
 * (`AUDIT_COLUMNS` of `@privacy-kit/core/store`).
 */
export const AUDIT_LOG_COLUMNS: Readonly<Record<string, { readonly column: string; readonly json: boolean }>> = Object.freeze(
  Object.fromEntries(AUDIT_COLUMNS.filter((c) => !CHAIN_FIELDS.has(c.field)).map((c) => [c.field, Object.freeze({ column: c.name, json: c.json })])),
);

/** The audit_log column of an entry field, or an error naming the field. */
export function auditLogColumn(field: string): { readonly column: string; readonly json: boolean } {
  const column = AUDIT_LOG_COLUMNS[field];
  if (column === undefined) throw new Error(`unknown audit entry field ${field}`);
  return column;
}

/** Raw, store-specific access to the audit rows, used only to prove that `verifyAudit()` sees tampering. */
export interface AuditTamper {
  /** Changes fields of the record at `seq` in place, leaving its MAC as it was. */
  changeRecord(seq: number, patch: Partial<AuditEntry>): Promise<void>;
  /** Deletes the record at `seq` (positions after it keep their numbers). */
  deleteRecord(seq: number): Promise<void>;
  /** Swaps the contents (entry, prevMac, mac) of two positions. */
  swapRecords(a: number, b: number): Promise<void>;
  /** Inserts a record right after `afterSeq`, renumbering the positions after it. */
  insertRecord(afterSeq: number, record: Omit<AuditRecord, 'seq'>): Promise<void>;
  /** Deletes every record from `seq` on, leaving the head checkpoint as it was. */
  truncateFrom(seq: number): Promise<void>;
  /** Moves the head checkpoint to another record without re-signing it. */
  moveHead(seq: number): Promise<void>;
  /** Reads the head row as it is stored (e.g. as an attacker copies it from a backup or the WAL). */
  saveHead(): Promise<unknown>;
  /** Writes a head row saved earlier back, as it was (a once-valid head put back). */
  restoreHead(saved: unknown): Promise<void>;
}

/** How the contract suite gets a store of the kind under test. */
export interface StoreContractHarness {
  /** A new, empty store. */
  create(): Promise<PrivacyStore>;
  /**
   * Creates a store the way `create()` does, with `extra` added to the options passed to the store's factory
   * (e.g. `createSqliteStore({ filename, auditKey, ...extra })`); used to prove that the factory refuses an
   * unknown option with a hint. May throw or reject.
   */
  createWithOptions(extra: Readonly<Record<string, unknown>>): PrivacyStore | Promise<PrivacyStore>;
  /** Raw access to that store's audit rows. */
  tamper(store: PrivacyStore): AuditTamper;
  /** Removes what `create()` made (files, schemas); the store is already closed. */
  destroy?(store: PrivacyStore): Promise<void>;
  /**
   * Makes every later audit insert of that store fail inside the database (e.g. a trigger that raises), as a full
   * disk or a broken table would; proves that a consent change is not left behind without its record. Without it,
   * the suite uses an entry the audit table refuses.
   */
  failAuditWrites?(store: PrivacyStore): Promise<void>;
  /**
   * Whether the `seq` of records runs without gaps (1, 2, 3, … in log order), as a store with one chain numbers them.
   * A store with a chain per writer orders its whole log by an increasing `seq` that an append the database refused
   * may have skipped numbers of: say false. Default true.
   */
  readonly gapFreeSeq?: boolean;
  /**
   * Whether the store keeps signed checkpoints of its chains' heads itself (the PostgreSQL store), so that verify
   * finds a truncated tail even when an older head was put back and no published checkpoint is given. Default false.
   */
  readonly storesCheckpoints?: boolean;
}

/**
 * An audit entry of an allowed access, for tests.
 *
 * @param overrides - fields to change
 */
export function sampleAuditEntry(overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    event: 'access',
    time: isoTime(),
    requestId: `req-${Math.random().toString(36).slice(2, 10)}`,
    appId: 'contract-test',
    actor: 'psn_actor000000000000000000',
    subject: 'psn_subject0000000000000000',
    method: 'GET',
    route: '/me/profile',
    purposes: ['essential.service'],
    basis: 'contract',
    categories: ['user.contact.email'],
    decision: 'allowed',
    reason: null,
    status: null,
    durationMs: null,
    ...overrides,
  };
}

/**
 * The one contract every privacy-kit store must pass (consents, audit chain, rights requests, lifecycle).
 * Call it from a jest test file of the store's package.
 *
 * @param name - the store's name, for the suite title
 * @param harness - how to create, tamper with and destroy a store
 * @example
 * describeStoreContract('SqliteStore', {
 *   create: async () => createSqliteStore({ filename, auditKey }),
 *   createWithOptions: (extra) => createSqliteStore({ filename, auditKey, ...extra }),
 *   tamper: sqliteTamper,
 * });
 */
export function describeStoreContract(name: string, harness: StoreContractHarness): void {
  describe(`${name} satisfies the privacy-kit store contract`, () => {
    let store: PrivacyStore;
    let closed = false;

    beforeEach(async () => {
      store = await harness.create();
      closed = false;
    });

    afterEach(async () => {
      if (!closed) await store.close();
      await harness.destroy?.(store);
    });

    async function appendMany(n: number): Promise<AuditRecord[]> {
      const records: AuditRecord[] = [];
      for (let i = 0; i < n; i++) records.push(await store.appendAudit(sampleAuditEntry({ requestId: `req-${i + 1}` })));
      return records;
    }

    describe('consents', () => {
      it('derives a granted state from a recorded grant', async () => {
        await store.recordConsent({ subject: 'psn_a', purpose: 'personalize.content', action: 'granted', policyVersion: 'v1', method: 'api' });
        const states = await store.currentConsents('psn_a');
        expect(states).toEqual([
          expect.objectContaining({ purpose: 'personalize.content', granted: true, status: 'granted', policyVersion: 'v1', method: 'api' }),
        ]);
      });

      it('treats a withdrawal after a grant as not granted and keeps both events', async () => {
        await store.recordConsent({ subject: 'psn_a', purpose: 'personalize.content', action: 'granted', policyVersion: 'v1', method: 'api' });
        await store.recordConsent({ subject: 'psn_a', purpose: 'personalize.content', action: 'withdrawn', policyVersion: 'v1', method: 'api' });
        const [state] = await store.currentConsents('psn_a');
        expect(state).toEqual(expect.objectContaining({ granted: false, status: 'withdrawn' }));
        const history = await store.consentHistory('psn_a');
        expect(history.map((e) => e.action)).toEqual(['granted', 'withdrawn']);
      });

      it('keeps purposes and subjects apart', async () => {
        await store.recordConsent({ subject: 'psn_a', purpose: 'personalize.content', action: 'granted', policyVersion: 'v1', method: 'api' });
        await store.recordConsent({ subject: 'psn_a', purpose: 'marketing.communications.email', action: 'withdrawn', policyVersion: 'v1', method: 'api' });
        await store.recordConsent({ subject: 'psn_b', purpose: 'personalize.content', action: 'withdrawn', policyVersion: 'v2', method: 'gpc' });
        const a = await store.currentConsents('psn_a');
        expect(Object.fromEntries(a.map((s) => [s.purpose, s.granted]))).toEqual({
          'personalize.content': true,
          'marketing.communications.email': false,
        });
        const b = await store.currentConsents('psn_b');
        expect(b).toEqual([expect.objectContaining({ purpose: 'personalize.content', granted: false, method: 'gpc', policyVersion: 'v2' })]);
        expect(await store.currentConsents('psn_nobody')).toEqual([]);
      });

      it('reads a grant past its expiry as expired', async () => {
        const past = isoTime(new Date(Date.now() - 60_000));
        await store.recordConsent({ subject: 'psn_a', purpose: 'analytics.reporting', action: 'granted', policyVersion: 'v1', method: 'api', expiresAt: past });
        const [state] = await store.currentConsents('psn_a');
        expect(state).toEqual(expect.objectContaining({ granted: false, status: 'expired', expiresAt: past }));
      });

      it('returns stored events with id, order and a time with offset', async () => {
        const event = await store.recordConsent({ subject: 'psn_a', purpose: 'personalize.content', action: 'granted', policyVersion: null, method: 'api' });
        expect(event.id).toEqual(expect.any(String));
        expect(event.seq).toBeGreaterThan(0);
        expect(event.time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
        expect(event.policyVersion).toBeNull();
        expect(event.expiresAt).toBeNull();
      });

      it('refuses an event with an unknown action and stores nothing', async () => {
        await expect(
          store.recordConsent({ subject: 'psn_a', purpose: 'personalize.content', action: 'maybe' as never, policyVersion: 'v1', method: 'api' }),
        ).rejects.toThrow(/action/);
        await expect(
          store.recordConsent({ subject: '', purpose: 'personalize.content', action: 'granted', policyVersion: 'v1', method: 'api' }),
        ).rejects.toThrow(/subject/);
        expect(await store.consentHistory('psn_a')).toEqual([]);
      });
    });

    describe('consent changes with their audit record', () => {
      const grant = (subject = 'psn_a', purpose = 'personalize.content') =>
        ({ subject, purpose, action: 'granted' as const, policyVersion: 'v1', method: 'api' });
      const consentEntry = (overrides: Partial<AuditEntry> = {}) =>
        sampleAuditEntry({ event: 'consent', actor: 'psn_a', subject: 'psn_a', purposes: ['personalize.content'], details: { granted: true }, ...overrides });

      it('stores the consent event and its audit record together', async () => {
        const entry = consentEntry();
        const change = await store.recordConsentChange([grant()], entry);
        expect(change.events).toEqual([expect.objectContaining({ subject: 'psn_a', purpose: 'personalize.content', action: 'granted', seq: expect.any(Number), id: expect.any(String) })]);
        expect(await store.consentHistory('psn_a')).toEqual(change.events);
        expect(await store.currentConsents('psn_a')).toEqual([expect.objectContaining({ purpose: 'personalize.content', granted: true })]);
        expect(await store.readAudit({ requestId: entry.requestId })).toEqual([change.record]);
        expect(change.record).toEqual(expect.objectContaining(entry));
        expect(await store.verifyAudit()).toEqual(expect.objectContaining({ ok: true, checked: 1 }));
      });

      it('stores several events of one change under one audit record', async () => {
        const change = await store.recordConsentChange(
          [{ ...grant(), action: 'withdrawn', method: 'erasure' }, { ...grant('psn_a', 'marketing.communications.email'), action: 'withdrawn', method: 'erasure' }],
          consentEntry({ purposes: ['personalize.content', 'marketing.communications.email'], details: { withdrawn: 2 } }),
        );
        expect(change.events.map((e) => [e.purpose, e.action, e.method])).toEqual([
          ['personalize.content', 'withdrawn', 'erasure'],
          ['marketing.communications.email', 'withdrawn', 'erasure'],
        ]);
        expect(await store.consentHistory('psn_a')).toHaveLength(2);
        expect(await store.readAudit({ event: 'consent' })).toEqual([change.record]);
      });

      it('keeps one intact chain when consent changes and appends interleave', async () => {
        const writes = await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 3 === 1
          ? store.recordConsentChange([grant(`psn_${i}`)], consentEntry({ requestId: `change-${i}` })).then((c) => c.record)
          : store.appendAudit(sampleAuditEntry({ requestId: `append-${i}` })))));
        expect(writes.map((r) => r.seq).sort((x, y) => x - y)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
        expect(await store.readAudit({ event: 'consent' })).toHaveLength(4);
        expect(await store.verifyAudit()).toEqual(expect.objectContaining({ ok: true, checked: 12 }));
      });

      it('stores no consent event when the audit table refuses its record', async () => {
        await store.appendAudit(sampleAuditEntry({ requestId: 'first' }));
        // request_id is NOT NULL in every store: the record fails inside the transaction, after the consent insert.
        await expect(store.recordConsentChange([grant()], consentEntry({ requestId: null as never }))).rejects.toMatchObject({ code: expect.stringMatching(/^PK_/) });
        expect(await store.consentHistory('psn_a')).toEqual([]);
        expect(await store.currentConsents('psn_a')).toEqual([]);
        expect((await store.readAudit()).map((r) => r.requestId)).toEqual(['first']);
        expect(await store.verifyAudit()).toEqual(expect.objectContaining({ ok: true, checked: 1 }));
        const next = await store.recordConsentChange([grant()], consentEntry());
        if (harness.gapFreeSeq === false) expect(next.record.seq).toBeGreaterThan(1);
        else expect(next.record.seq).toBe(2);
      });

      it('stores no consent event when audit writes fail', async () => {
        if (harness.failAuditWrites !== undefined) await harness.failAuditWrites(store);
        const entry = harness.failAuditWrites === undefined ? consentEntry({ requestId: null as never }) : consentEntry();
        await expect(store.recordConsentChange([grant(), grant('psn_b')], entry)).rejects.toMatchObject({ code: expect.stringMatching(/^PK_/) });
        expect(await store.consentHistory('psn_a')).toEqual([]);
        expect(await store.consentHistory('psn_b')).toEqual([]);
        expect(await store.readAudit()).toEqual([]);
      });

      it('refuses an empty change or an invalid event and stores nothing', async () => {
        await expect(store.recordConsentChange([], consentEntry())).rejects.toThrow(/at least one consent event/);
        await expect(store.recordConsentChange([grant(), { ...grant('psn_b'), action: 'maybe' as never }], consentEntry())).rejects.toThrow(/action/);
        expect(await store.consentHistory('psn_a')).toEqual([]);
        expect(await store.readAudit()).toEqual([]);
      });
    });

    describe('audit chain', () => {
      it('numbers records from 1 and links each to the one before', async () => {
        const [first, second] = await appendMany(2);
        expect(first?.seq).toBe(1);
        expect(first?.prevMac).toBe('');
        expect(second?.seq).toBe(2);
        expect(second?.prevMac).toBe(first?.mac);
      });

      it('reads back what was appended, field for field', async () => {
        const entry = sampleAuditEntry({ event: 'denied', decision: 'denied', reason: 'consent_required', status: 403, durationMs: 1.5, details: { step: 'x', n: 2 } });
        const record = await store.appendAudit(entry);
        const [read] = await store.readAudit({ requestId: entry.requestId });
        expect(read).toEqual(record);
        expect(read).toEqual(expect.objectContaining(entry));
      });

      it('filters records by subject, actor, request, event, position and limit', async () => {
        await store.appendAudit(sampleAuditEntry({ subject: 'psn_x', requestId: 'r1' }));
        await store.appendAudit(sampleAuditEntry({ subject: 'psn_y', actor: 'psn_staff', requestId: 'r2', event: 'denied', decision: 'denied', reason: 'forbidden' }));
        await store.appendAudit(sampleAuditEntry({ subject: 'psn_x', requestId: 'r3' }));
        expect((await store.readAudit({ subject: 'psn_x' })).map((r) => r.requestId)).toEqual(['r1', 'r3']);
        expect((await store.readAudit({ actor: 'psn_staff' })).map((r) => r.requestId)).toEqual(['r2']);
        expect((await store.readAudit({ event: 'denied' })).map((r) => r.requestId)).toEqual(['r2']);
        expect((await store.readAudit({ afterSeq: 1 })).map((r) => r.requestId)).toEqual(['r2', 'r3']);
        expect((await store.readAudit({ limit: 1 })).map((r) => r.requestId)).toEqual(['r1']);
      });

      describe('filters by time window, method, route and decision (issue 18)', () => {
        // Offsets differ on purpose: as text these times would order otherwise than as instants.
        const timed = [
          { requestId: 't1', time: '2026-01-01T09:00:00.000+00:00' },
          { requestId: 't2', time: '2026-01-01T10:30:00.000+02:00' }, // 08:30Z: before t1, though its text is later
          { requestId: 't3', time: '2026-01-01T10:00:00.000+00:00' },
          { requestId: 't4', time: '2026-01-01T05:00:00.000-06:00' }, // 11:00Z: after t3, though its text is earlier
        ];
        const appendTimed = async (): Promise<void> => {
          for (const t of timed) await store.appendAudit(sampleAuditEntry(t));
        };
        const ids = async (query: AuditQuery): Promise<string[]> => (await store.readAudit(query)).map((r) => r.requestId);

        it('with from and to, reads the records whose time is in the window, both ends included, compared as instants', async () => {
          await appendTimed();
          expect(await ids({ from: '2026-01-01T09:00:00Z', to: '2026-01-01T12:00:00+02:00' })).toEqual(['t1', 't3']);
        });

        it('with from alone, reads the records at or after it; with to alone, those at or before it', async () => {
          await appendTimed();
          expect(await ids({ from: '2026-01-01T10:00:00.000+00:00' })).toEqual(['t3', 't4']);
          expect(await ids({ to: '2026-01-01T09:00:00+00:00' })).toEqual(['t1', 't2']);
        });

        it('with a window no record falls in, reads nothing', async () => {
          await appendTimed();
          expect(await ids({ from: '2026-01-02T00:00:00Z' })).toEqual([]);
          expect(await ids({ from: '2026-01-01T10:00:00.001Z', to: '2026-01-01T10:59:59.999Z' })).toEqual([]);
        });

        it('filters by method', async () => {
          await store.appendAudit(sampleAuditEntry({ requestId: 'get', method: 'GET' }));
          await store.appendAudit(sampleAuditEntry({ requestId: 'delete', method: 'DELETE' }));
          expect(await ids({ method: 'DELETE' })).toEqual(['delete']);
        });

        it('filters by route pattern', async () => {
          await store.appendAudit(sampleAuditEntry({ requestId: 'profile', route: '/me/profile' }));
          await store.appendAudit(sampleAuditEntry({ requestId: 'user', route: '/users/:id' }));
          await store.appendAudit(sampleAuditEntry({ requestId: 'user-2', route: '/users/:id' }));
          expect(await ids({ route: '/users/:id' })).toEqual(['user', 'user-2']);
        });

        it('filters by decision', async () => {
          await store.appendAudit(sampleAuditEntry({ requestId: 'ok' }));
          await store.appendAudit(sampleAuditEntry({ requestId: 'no', event: 'denied', decision: 'denied', reason: 'forbidden' }));
          expect(await ids({ decision: 'denied' })).toEqual(['no']);
          expect(await ids({ decision: 'allowed' })).toEqual(['ok']);
        });

        it('combines the filters with actor and pages through the window with afterSeq and limit', async () => {
          const records: AuditRecord[] = [];
          for (let i = 0; i < 12; i++) {
            records.push(await store.appendAudit(sampleAuditEntry({
              requestId: `p${i}`,
              actor: i % 3 === 0 ? 'psn_other' : 'psn_staff',
              method: i % 4 === 0 ? 'POST' : 'GET',
              route: '/users/:id',
              time: `2026-01-01T${String(8 + i).padStart(2, '0')}:00:00.000+00:00`,
            })));
          }
          const query = { actor: 'psn_staff', method: 'GET', route: '/users/:id', decision: 'allowed' as const, from: '2026-01-01T09:00:00Z', to: '2026-01-01T18:00:00Z' };
          const pages: string[][] = [];
          let afterSeq = 0;
          for (;;) {
            const page = await store.readAudit({ ...query, afterSeq, limit: 2 });
            if (page.length === 0) break;
            pages.push(page.map((r) => r.requestId));
            afterSeq = (page[page.length - 1] as AuditRecord).seq;
          }
          // 9:00..18:00 is p1..p10; not psn_other (p3, p6, p9), not POST (p4, p8).
          expect(pages).toEqual([['p1', 'p2'], ['p5', 'p7'], ['p10']]);
          expect(records).toHaveLength(12);
        });

        it('refuses a from or to that is not an ISO 8601 time with offset, and an unknown decision, with PK_INVALID_OPTION', async () => {
          await expect(store.readAudit({ from: '2026-01-01' })).rejects.toEqual(expect.objectContaining({ code: 'PK_INVALID_OPTION', message: expect.stringMatching(/'from'/) }));
          await expect(store.readAudit({ to: '2026-01-01T10:00:00' })).rejects.toEqual(expect.objectContaining({ code: 'PK_INVALID_OPTION', message: expect.stringMatching(/'to'/) }));
          await expect(store.readAudit({ from: 'yesterday' })).rejects.toEqual(expect.objectContaining({ code: 'PK_INVALID_OPTION' }));
          await expect(store.readAudit({ decision: 'maybe' as never })).rejects.toEqual(expect.objectContaining({ code: 'PK_INVALID_OPTION', message: expect.stringMatching(/^@privacy-kit\/[a-z-]+: [\s\S]*'decision'/) }));
        });
      });

      it('verifies an empty log and an intact log', async () => {
        expect(await store.verifyAudit()).toEqual(expect.objectContaining({ ok: true, checked: 0 }));
        await appendMany(5);
        expect(await store.verifyAudit()).toEqual(expect.objectContaining({ ok: true, checked: 5 }));
      });

      it('commits the valid entries of a batch the database refuses one entry of, and rejects only that entry', async () => {
        // Appended in one turn, so they share a commit; request_id is NOT NULL in every store.
        const appends = Array.from({ length: 7 }, (_, i) => store.appendAudit(sampleAuditEntry({ requestId: i === 3 ? (null as never) : `batch-${i}` })));
        const results = await Promise.allSettled(appends);
        expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled']);
        expect((results[3] as PromiseRejectedResult).reason).toMatchObject({ code: expect.stringMatching(/^PK_/) });
        const records = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
        const seqs = records.map((r) => r.seq);
        if (harness.gapFreeSeq === false) expect([...seqs].sort((x, y) => x - y)).toEqual(seqs);
        else expect(seqs).toEqual([1, 2, 3, 4, 5, 6]);
        expect((await store.readAudit()).map((r) => r.requestId)).toEqual(['batch-0', 'batch-1', 'batch-2', 'batch-4', 'batch-5', 'batch-6']);
        expect(await store.verifyAudit()).toEqual(expect.objectContaining({ ok: true, checked: 6 }));
      });

      it('keeps the chain intact under concurrent appends', async () => {
        await Promise.all(Array.from({ length: 40 }, (_, i) => store.appendAudit(sampleAuditEntry({ requestId: `c-${i}` }))));
        const report = await store.verifyAudit();
        expect(report).toEqual(expect.objectContaining({ ok: true, checked: 40 }));
      });

      it('reports a changed record at its position', async () => {
        await appendMany(5);
        await harness.tamper(store).changeRecord(3, { categories: ['user.name'] });
        expect(await store.verifyAudit()).toEqual(expect.objectContaining({ ok: false, problem: 'changed', firstBadSeq: 3 }));
      });

      it('reports a deleted record at the position where it is missing', async () => {
        await appendMany(5);
        await harness.tamper(store).deleteRecord(2);
        expect(await store.verifyAudit()).toEqual(expect.objectContaining({ ok: false, problem: 'deleted', firstBadSeq: 2 }));
      });

      it('reports a deleted first record', async () => {
        await appendMany(3);
        await harness.tamper(store).deleteRecord(1);
        expect(await store.verifyAudit()).toEqual(expect.objectContaining({ ok: false, problem: 'deleted', firstBadSeq: 1 }));
      });

      it('reports reordered records at the first moved position', async () => {
        await appendMany(5);
        await harness.tamper(store).swapRecords(2, 4);
        expect(await store.verifyAudit()).toEqual(expect.objectContaining({ ok: false, problem: 'reordered', firstBadSeq: 2 }));
      });

      it('reports a forged inserted record at its position', async () => {
        const records = await appendMany(4);
        const forged = { ...sampleAuditEntry({ requestId: 'forged' }), prevMac: records[1]?.mac ?? '', mac: 'forged-mac-without-the-key' };
        await harness.tamper(store).insertRecord(2, forged);
        expect(await store.verifyAudit()).toEqual(expect.objectContaining({ ok: false, problem: 'inserted', firstBadSeq: 3 }));
      });

      it('reports a copied record inserted again', async () => {
        const records = await appendMany(4);
        const copy = records[1] as AuditRecord;
        await harness.tamper(store).insertRecord(3, { ...copy });
        expect(await store.verifyAudit()).toEqual(expect.objectContaining({ ok: false, problem: 'inserted', firstBadSeq: 4 }));
      });

      it('reports a truncated tail from the first missing position', async () => {
        await appendMany(6);
        await harness.tamper(store).truncateFrom(5);
        expect(await store.verifyAudit()).toEqual(expect.objectContaining({ ok: false, problem: 'truncated', firstBadSeq: 5 }));
      });

      it('reports a head checkpoint moved back without the key', async () => {
        await appendMany(4);
        const tamper = harness.tamper(store);
        await tamper.truncateFrom(4);
        await tamper.moveHead(3);
        expect(await store.verifyAudit()).toEqual(expect.objectContaining({ ok: false, problem: 'head' }));
      });

      it('signs a format 2 head that binds the record count, the commit time and the key fingerprint', async () => {
        await appendMany(3);
        const report = await store.verifyAudit();
        expect(report).toEqual(expect.objectContaining({ ok: true, checked: 3 }));
        expect(report.head).toEqual({ version: 2, seq: 3, count: 3, time: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/), keyId: report.keyId });
      });

      it('finds a truncated tail with an older, once-valid head put back, given a checkpoint published before', async () => {
        expect(typeof store.checkpoint).toBe('function');
        const tamper = harness.tamper(store);
        await appendMany(4);
        const olderHead = await tamper.saveHead();
        await appendMany(3);
        const checkpoint = await store.checkpoint?.();
        await tamper.truncateFrom(5);
        await tamper.restoreHead(olderHead);
        // Without the published checkpoint only a store that keeps checkpoints of its own can tell.
        expect(await store.verifyAudit()).toEqual(expect.objectContaining(harness.storesCheckpoints === true ? { ok: false, problem: 'truncated', firstBadSeq: 5 } : { ok: true, checked: 4 }));
        expect(await store.verifyAudit(checkpoint === undefined ? {} : { checkpoint })).toEqual(expect.objectContaining({ ok: false, problem: 'truncated', firstBadSeq: 5 }));
      });

      it('verifies a log that reached a checkpoint and went on', async () => {
        await appendMany(3);
        const checkpoint = await store.checkpoint?.();
        expect(checkpoint).toEqual(expect.objectContaining({ version: 1, seq: 3, count: 3 }));
        await appendMany(2);
        expect(await store.verifyAudit(checkpoint === undefined ? {} : { checkpoint })).toEqual(expect.objectContaining({ ok: true, checked: 5, checkpoint: { seq: 3, time: checkpoint?.time } }));
      });

      it('has no checkpoint to give while the log is empty', async () => {
        expect(await store.checkpoint?.()).toBeUndefined();
      });

      it('goes on appending after a verified log', async () => {
        await appendMany(2);
        await store.verifyAudit();
        const third = await store.appendAudit(sampleAuditEntry());
        expect(third.seq).toBe(3);
        expect(await store.verifyAudit()).toEqual(expect.objectContaining({ ok: true, checked: 3 }));
      });
    });

    describe('rights requests', () => {
      const due = (days: number): string => isoTime(new Date(Date.now() + days * 86_400_000));

      it('creates an open request with its due date and reads it back', async () => {
        const created = await store.createRightsRequest({ kind: 'erasure', subject: 'user-x', dueAt: due(30), details: { reason: 'asked' } });
        expect(created).toEqual(expect.objectContaining({ kind: 'erasure', subject: 'user-x', status: 'open', steps: [], error: null }));
        expect(await store.getRightsRequest(created.id)).toEqual(created);
        expect(await store.getRightsRequest('no-such-id')).toBeUndefined();
      });

      it('updates status, steps and error', async () => {
        const created = await store.createRightsRequest({ kind: 'erasure', subject: 'user-x', dueAt: due(30) });
        const updated = await store.updateRightsRequest(created.id, {
          status: 'failed',
          steps: [{ source: 'users', status: 'failed', error: 'timeout' }],
          error: 'users: timeout',
        });
        expect(updated).toEqual(expect.objectContaining({ status: 'failed', error: 'users: timeout' }));
        expect(updated.steps).toEqual([{ source: 'users', status: 'failed', error: 'timeout' }]);
        expect(await store.getRightsRequest(created.id)).toEqual(updated);
      });

      it('replaces the details as a whole, so a field can be dropped', async () => {
        const created = await store.createRightsRequest({ kind: 'erasure', subject: 'user-x', dueAt: due(30), details: { keep: 1, drop: { id: 'raw' } } });
        const updated = await store.updateRightsRequest(created.id, { details: { keep: 1, done: true } });
        expect(updated.details).toEqual({ keep: 1, done: true });
        expect((await store.getRightsRequest(created.id))?.details).toEqual({ keep: 1, done: true });
        const other = await store.updateRightsRequest(created.id, { status: 'completed' });
        expect(other.details).toEqual({ keep: 1, done: true });
      });

      it('rejects an update of an unknown request', async () => {
        await expect(store.updateRightsRequest('no-such-id', { status: 'completed' })).rejects.toThrow(/no-such-id|not found|unknown/i);
      });

      it('reports an update of an unknown request as not found (PK_NOT_FOUND)', async () => {
        await expect(store.updateRightsRequest('no-such-id', { status: 'completed' })).rejects.toMatchObject({ code: 'PK_NOT_FOUND' });
      });

      it('keeps a closed request with its history, and lists it only under its own status', async () => {
        const created = await store.createRightsRequest({ kind: 'erasure', subject: 'user-x', dueAt: due(30) });
        const history = [{ time: isoTime(), action: 'closed', reason: 'Withdrawn by the person.' }];
        const closed = await store.updateRightsRequest(created.id, { status: 'closed', details: { history } });
        expect(await store.getRightsRequest(created.id)).toEqual(expect.objectContaining({ status: 'closed', details: { history } }));
        expect(closed.status).toBe('closed');
        expect(await store.listRightsRequests({ status: ['open', 'in_progress', 'waiting_manual'] })).toEqual([]);
        expect((await store.listRightsRequests({ status: ['closed'] })).map((r) => r.id)).toEqual([created.id]);
      });

      it('lists requests by subject, status and due date', async () => {
        const overdue = await store.createRightsRequest({ kind: 'export', subject: 'user-x', dueAt: due(-1) });
        const open = await store.createRightsRequest({ kind: 'erasure', subject: 'user-y', dueAt: due(30) });
        const done = await store.createRightsRequest({ kind: 'erasure', subject: 'user-x', dueAt: due(-2) });
        await store.updateRightsRequest(done.id, { status: 'completed' });
        expect((await store.listRightsRequests({ subject: 'user-x' })).map((r) => r.id).sort()).toEqual([overdue.id, done.id].sort());
        expect((await store.listRightsRequests({ status: ['open'] })).map((r) => r.id).sort()).toEqual([overdue.id, open.id].sort());
        expect((await store.listRightsRequests({ status: ['open'], dueBefore: isoTime() })).map((r) => r.id)).toEqual([overdue.id]);
      });
    });

    describe('options', () => {
      it("refuses an unknown option of the store's factory, naming the option it most likely meant", async () => {
        let created: PrivacyStore | undefined;
        const attempt = Promise.resolve().then(async () => {
          created = await harness.createWithOptions({ auditkey: 'lower-case k' });
        });
        await expect(attempt).rejects.toMatchObject({
          code: 'PK_INVALID_OPTION',
          message: expect.stringMatching(/unknown option 'auditkey'\. Did you mean 'auditKey'\?/),
        });
        await created?.close();
      });
    });

    describe('lifecycle', () => {
      it('answers ping while open', async () => {
        await expect(store.ping()).resolves.toBeUndefined();
      });

      it('rejects every operation after close, with a store error', async () => {
        await store.close();
        closed = true;
        await expect(store.ping()).rejects.toMatchObject({ code: expect.stringMatching(/^PK_STORE_/) });
        await expect(store.appendAudit(sampleAuditEntry())).rejects.toMatchObject({ code: expect.stringMatching(/^PK_STORE_/) });
        await expect(store.currentConsents('psn_a')).rejects.toMatchObject({ code: expect.stringMatching(/^PK_STORE_/) });
      });
    });
  });
}
