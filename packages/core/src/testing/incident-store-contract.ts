import { describe, expect, it } from '@jest/globals';
import { isoTime } from '../audit/iso-time';
import type { IncidentEvent, IncidentEventInput, IncidentStore } from '../incidents/incident-contracts';
import { contractStores } from './contract-stores';

/** An incident store the suite can close (every privacy-kit store is one). */
export type ClosableIncidentStore = IncidentStore & { close(): Promise<void> };

/** How the incident-store contract suite gets a store of the kind under test. */
export interface IncidentStoreContractHarness<S extends ClosableIncidentStore = ClosableIncidentStore> {
  /** A new, empty store. */
  create(): Promise<S>;
  /**
   * A second store on the same data as `store`, opened the way another instance or process of the app would open
   * it (the same file, the same schema); the suite closes it.
   */
  peer(store: S): Promise<S>;
  /**
   * Runs one SQL statement on the store's database directly, as someone with access to the database (not the
   * store) would; `incident_events` names the store's table (a PostgreSQL harness resolves it in the store's
   * schema). Rejects when the database refuses the statement. Proves that the register is append-only.
   */
  tamper(store: S, sql: string): Promise<void>;
  /** Removes what `create()` made (files, schemas); the store is already closed. */
  destroy?(store: S): Promise<void>;
}

/**
 * An incident event for tests: a note on `inc-test-1`, recorded now by a generated pseudonym.
 *
 * @param overrides - fields to change
 */
export function sampleIncidentEvent(overrides: Partial<IncidentEventInput> = {}): IncidentEventInput {
  return {
    incidentId: 'inc-test-1',
    kind: 'note',
    time: isoTime(),
    actor: 'psn_admin00000000000000000',
    data: { text: 'Checked the access log of the support account.' },
    ...overrides,
  };
}

const invalidOption = expect.objectContaining({ code: 'PK_INVALID_OPTION' });

/**
 * The contract every incident register ({@link IncidentStore}) must pass: appends come back with increasing
 * positions and read back as given (JSON facts included), filtered by incident and in order; the register is
 * append-only even for someone with direct access to the database; two instances append at once without losing an
 * event; bad input is refused and a closed store refuses everything. Call it from a jest test file of the store's
 * package.
 *
 * @param name - the store's name, for the suite title
 * @param harness - how to create a store, open a second one on its data, reach its database directly, and clean up
 * @example
 * describeIncidentStoreContract('SqliteStore', {
 *   create: async () => createSqliteStore({ filename, auditKey }),
 *   peer: async (store) => createSqliteStore({ filename: store.db.name, auditKey }),
 *   tamper: async (store, sql) => { store.db.exec(sql); },
 * });
 */
export function describeIncidentStoreContract<S extends ClosableIncidentStore>(name: string, harness: IncidentStoreContractHarness<S>): void {
  describe(`${name} satisfies the privacy-kit incident store contract`, () => {
    let store: S;
    const stores = contractStores(harness, (opened) => {
      store = opened;
    });
    const peer = (): Promise<S> => stores.peer();

    async function appendAll(events: readonly IncidentEventInput[]): Promise<IncidentEvent[]> {
      const stored: IncidentEvent[] = [];
      for (const event of events) stored.push(await store.appendIncidentEvent(event));
      return stored;
    }

    describe('appendIncidentEvent and readIncidentEvents', () => {
      it('resolves with the event as stored, with its seq, and reads it back the same', async () => {
        const event = sampleIncidentEvent({ kind: 'opened', data: { title: 'Support account read many profiles', knownAt: isoTime() } });
        const stored = await store.appendIncidentEvent(event);
        expect(stored).toEqual({ ...event, seq: expect.any(Number) });
        expect(stored.seq).toBeGreaterThanOrEqual(1);
        expect(await store.readIncidentEvents()).toEqual([stored]);
      });

      it('gives each append a higher seq than the one before', async () => {
        const stored = await appendAll(Array.from({ length: 5 }, (_, i) => sampleIncidentEvent({ data: { text: `note ${i}` } })));
        const seqs = stored.map((e) => e.seq);
        expect(seqs.every((seq, i) => i === 0 || seq > (seqs[i - 1] as number))).toBe(true);
      });

      it('reads every incident’s events in seq order, the order they were appended in', async () => {
        const stored = await appendAll([
          sampleIncidentEvent({ incidentId: 'inc-a', kind: 'opened', data: { title: 'a' } }),
          sampleIncidentEvent({ incidentId: 'inc-b', kind: 'opened', data: { title: 'b' } }),
          sampleIncidentEvent({ incidentId: 'inc-a', kind: 'status', data: { status: 'contained' } }),
          sampleIncidentEvent({ incidentId: 'inc-b', kind: 'note', data: { text: 'b2' } }),
        ]);
        expect(await store.readIncidentEvents()).toEqual(stored);
        expect(await store.readIncidentEvents({})).toEqual(stored);
      });

      it("with incidentId, reads only that incident's events, in seq order", async () => {
        const [a1, , a2] = await appendAll([
          sampleIncidentEvent({ incidentId: 'inc-a', kind: 'opened', data: { title: 'a' } }),
          sampleIncidentEvent({ incidentId: 'inc-b', kind: 'opened', data: { title: 'b' } }),
          sampleIncidentEvent({ incidentId: 'inc-a', kind: 'note', data: { text: 'a2' } }),
        ]);
        expect(await store.readIncidentEvents({ incidentId: 'inc-a' })).toEqual([a1, a2]);
        expect(await store.readIncidentEvents({ incidentId: 'inc-none' })).toEqual([]);
      });

      it('reads nothing from an empty register', async () => {
        expect(await store.readIncidentEvents()).toEqual([]);
      });

      it('round-trips nested JSON facts: objects, arrays, numbers, booleans, null, unicode, quotes and SQL', async () => {
        const data = {
          scope: {
            filter: { actor: 'psn_actor', from: '2026-12-05T09:00:00+01:00' },
            records: 1234,
            ratio: 0.125,
            special: false,
            categories: [{ category: 'user.contact.email', subjects: 3, records: 7, special: false }, { category: 'user.health', subjects: 1, records: 1, special: true }],
            subjectPseudonyms: ['psn_a', 'psn_b'],
            first: null,
          },
          text: `Zugriff über ‘support’ — 漢字 😀 "quoted" 'single' \\ back; DROP TABLE incident_events; --`,
          empty: {},
          control: 'tab\t nul\u0000 newline\n',
          list: [],
        };
        const stored = await store.appendIncidentEvent(sampleIncidentEvent({ kind: 'scope', data }));
        const [read] = await store.readIncidentEvents({ incidentId: stored.incidentId });
        expect(read?.data).toEqual(data);
        expect(read).toEqual(stored);
      });

      it('round-trips an event recorded by nobody (actor null) and ids and times as given', async () => {
        const event = sampleIncidentEvent({ incidentId: `inc-'"é漢😀`, actor: null, time: '2026-12-05T10:17:08.123+01:00', kind: 'authority-notified', data: { at: '2026-12-06T08:00:00+01:00' } });
        const stored = await store.appendIncidentEvent(event);
        expect(await store.readIncidentEvents({ incidentId: event.incidentId })).toEqual([{ ...event, seq: stored.seq }]);
      });

      it('accepts an incident id of exactly 100 characters', async () => {
        const incidentId = `inc-${'x'.repeat(96)}`;
        await store.appendIncidentEvent(sampleIncidentEvent({ incidentId }));
        expect(await store.readIncidentEvents({ incidentId })).toHaveLength(1);
      });

      it('is read by another instance on the same data at once', async () => {
        const other = await peer();
        const stored = await store.appendIncidentEvent(sampleIncidentEvent());
        expect(await other.readIncidentEvents()).toEqual([stored]);
      });
    });

    describe('append-only', () => {
      it('refuses an UPDATE made directly in the database and keeps the event as it was', async () => {
        const stored = await appendAll([sampleIncidentEvent(), sampleIncidentEvent({ kind: 'status', data: { status: 'open' } })]);
        await expect(harness.tamper(store, "UPDATE incident_events SET kind = 'status', actor = NULL")).rejects.toBeDefined();
        await expect(harness.tamper(store, `UPDATE incident_events SET data = '{}' WHERE seq = ${stored[0]?.seq ?? 1}`)).rejects.toBeDefined();
        expect(await store.readIncidentEvents()).toEqual(stored);
      });

      it('refuses a DELETE made directly in the database and keeps every event', async () => {
        const stored = await appendAll([sampleIncidentEvent(), sampleIncidentEvent({ incidentId: 'inc-test-2' })]);
        await expect(harness.tamper(store, `DELETE FROM incident_events WHERE seq = ${stored[1]?.seq ?? 2}`)).rejects.toBeDefined();
        await expect(harness.tamper(store, 'DELETE FROM incident_events')).rejects.toBeDefined();
        expect(await store.readIncidentEvents()).toEqual(stored);
      });
    });

    describe('two instances', () => {
      it('append at once without losing an event, each with a seq of its own', async () => {
        const other = await peer();
        const per = 25;
        const writes = await Promise.all([
          ...Array.from({ length: per }, (_, i) => store.appendIncidentEvent(sampleIncidentEvent({ incidentId: 'inc-race', data: { text: `one-${i}` } }))),
          ...Array.from({ length: per }, (_, i) => other.appendIncidentEvent(sampleIncidentEvent({ incidentId: 'inc-race', data: { text: `two-${i}` } }))),
        ]);
        const read = await store.readIncidentEvents({ incidentId: 'inc-race' });
        expect(read).toHaveLength(2 * per);
        expect(new Set(read.map((e) => e.seq)).size).toBe(2 * per);
        expect(read.map((e) => e.data['text']).sort()).toEqual(writes.map((e) => e.data['text']).sort());
        expect([...read].sort((a, b) => a.seq - b.seq)).toEqual(read);
        expect(await other.readIncidentEvents({ incidentId: 'inc-race' })).toEqual(read);
      });
    });

    describe('bad input is refused with PK_INVALID_OPTION and stores nothing', () => {
      const refused = async (event: unknown, field: string): Promise<void> => {
        await expect(store.appendIncidentEvent(event as IncidentEventInput)).rejects.toEqual(
          expect.objectContaining({ code: 'PK_INVALID_OPTION', message: expect.stringContaining(`'${field}'`) }),
        );
      };

      it('refuses an empty incident id, one longer than 100 characters, and one that is not text', async () => {
        await refused(sampleIncidentEvent({ incidentId: '' }), 'incidentId');
        await refused(sampleIncidentEvent({ incidentId: 'x'.repeat(101) }), 'incidentId');
        await refused({ ...sampleIncidentEvent(), incidentId: 7 }, 'incidentId');
        expect(await store.readIncidentEvents()).toEqual([]);
      });

      it('refuses a kind or a time that is not text', async () => {
        await refused({ ...sampleIncidentEvent(), kind: 1 }, 'kind');
        await refused({ ...sampleIncidentEvent(), time: new Date() }, 'time');
        await refused({ ...sampleIncidentEvent(), actor: 5 }, 'actor');
        expect(await store.readIncidentEvents()).toEqual([]);
      });

      it('refuses data that is not a plain object: null, an array, a text, a class instance', async () => {
        await refused({ ...sampleIncidentEvent(), data: null }, 'data');
        await refused({ ...sampleIncidentEvent(), data: ['a'] }, 'data');
        await refused({ ...sampleIncidentEvent(), data: '{"text":"x"}' }, 'data');
        await refused({ ...sampleIncidentEvent(), data: new Date() }, 'data');
        expect(await store.readIncidentEvents()).toEqual([]);
      });

      it('refuses data that cannot be JSON (a cycle, a BigInt)', async () => {
        const cyclic: Record<string, unknown> = { text: 'x' };
        cyclic['self'] = cyclic;
        await refused(sampleIncidentEvent({ data: cyclic }), 'data');
        await refused(sampleIncidentEvent({ data: { n: 10n } }), 'data');
        expect(await store.readIncidentEvents()).toEqual([]);
      });

      it('refuses data larger than 1 MB as JSON, without echoing it', async () => {
        const marker = 'secret-marker-';
        const error = await store.appendIncidentEvent(sampleIncidentEvent({ data: { text: marker + 'x'.repeat(1024 * 1024) } })).then(() => undefined, (e: unknown) => e as Error);
        expect(error).toEqual(expect.objectContaining({ code: 'PK_INVALID_OPTION', message: expect.stringMatching(/'data'[\s\S]*1048576 bytes/) }));
        expect(error?.message).not.toContain(marker);
        expect(await store.readIncidentEvents()).toEqual([]);
      });

      it('refuses a query whose incidentId is not a non-empty string', async () => {
        await expect(store.readIncidentEvents({ incidentId: '' })).rejects.toEqual(invalidOption);
        await expect(store.readIncidentEvents({ incidentId: 5 as unknown as string })).rejects.toEqual(invalidOption);
      });

      it("messages start with the store's package name", async () => {
        const error = await store.appendIncidentEvent(sampleIncidentEvent({ incidentId: '' })).then(() => undefined, (e: unknown) => e as Error);
        expect(error?.message).toMatch(/^@privacy-kit\/[a-z-]+: /);
      });
    });

    it('rejects both calls after close() with PK_STORE_CLOSED', async () => {
      await store.close();
      stores.closed();
      const closedError = expect.objectContaining({ code: 'PK_STORE_CLOSED' });
      await expect(store.appendIncidentEvent(sampleIncidentEvent())).rejects.toEqual(closedError);
      await expect(store.readIncidentEvents()).rejects.toEqual(closedError);
    });
  });
}
