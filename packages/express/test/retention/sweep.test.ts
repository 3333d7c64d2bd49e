import { jest } from '@jest/globals';
import type { PurgeScope, SweepProgress } from '@privacy-kit/express';
import { appWith, tempStore, type TempStore } from '../support/test-app';
import { ArchiveRecord, FakeDb } from '../rights/rights-fixtures';

describe('kit.sweep()', () => {
  let t: TempStore;
  let db: FakeDb;
  let setup: ReturnType<typeof appWith>;
  const now = new Date('2026-06-15T00:00:00.000Z');

  beforeEach(() => {
    t = tempStore();
    db = new FakeDb();
    setup = appWith(t.store, { sources: { users: db.usersSource, orders: db.ordersSource } });
  });
  afterEach(async () => {
    setup.kit.dispose();
    await t.cleanup();
  });

  it('asks each source to purge what is past its period and reports what was removed', async () => {
    const report = await setup.kit.sweep({ now });
    expect(db.calls).toEqual(['orders.purge:2016-06-15T00:00:00.000Z']);
    expect(db.orders.map((o) => o.item)).toEqual(['MUG-2', 'PEN-3']);
    expect(report).toEqual({
      sweepId: expect.stringMatching(/^sweep-/),
      startedAt: expect.any(String),
      finishedAt: expect.any(String),
      ok: true,
      results: [{ source: 'orders', retention: '10y', cutoff: '2016-06-15T00:00:00.000+00:00', fields: ['item', 'shipTo'], status: 'done', removed: 1, durationMs: expect.any(Number) }],
      skipped: [{ source: 'users', reason: 'periods are declared (2y) but the source has no purge()' }],
    });
  });

  it('records each purge in the audit, with no personal data', async () => {
    const report = await setup.kit.sweep({ now });
    const records = await t.store.readAudit({ event: 'retention' });
    expect(records).toEqual([expect.objectContaining({
      requestId: report.sweepId,
      actor: null,
      subject: null,
      categories: ['user.behavior.purchase_history', 'user.contact.address.street'],
      details: { source: 'orders', retention: '10y', cutoff: '2016-06-15T00:00:00.000+00:00', fields: 'item,shipTo', removed: 1, status: 'done' },
    })]);
    expect((await t.store.verifyAudit()).ok).toBe(true);
  });

  it('passes the scope: the period, the fields it covers, and whether they are the whole record', async () => {
    const scopes: PurgeScope[] = [];
    setup.kit.dispose();
    setup = appWith(t.store, { sources: { users: { ...db.usersSource, purge: (_olderThan, scope) => { scopes.push(scope); } } } });
    const report = await setup.kit.sweep({ now });
    expect(scopes).toEqual([{ retention: expect.objectContaining({ text: '2y' }), fields: ['birthday'], categories: ['user.demographic.date_of_birth'], allFields: false }]);
    expect(report.results[0]?.removed).toBeNull();
  });

  it('records a failing purge, reports it, and goes on with the other sources', async () => {
    const reported: string[] = [];
    setup.kit.dispose();
    setup = appWith(t.store, {
      onError: (e) => { reported.push(e.code); },
      sources: {
        users: { ...db.usersSource, purge: () => { throw new Error('timeout purging alex@example.com'); } },
        orders: db.ordersSource,
      },
    });
    const report = await setup.kit.sweep({ now });
    expect(report.ok).toBe(false);
    expect(report.results.map((r) => [r.source, r.status])).toEqual([['users', 'failed'], ['orders', 'done']]);
    expect(report.results[0]?.error).toBe("purge() of source 'users' failed (Error); the error was passed to onError.");
    expect(reported).toEqual(['PK_SOURCE_FAILED']);
    const records = await t.store.readAudit({ event: 'retention' });
    expect(records.map((r) => [r.details?.source, r.details?.status, r.reason])).toEqual([['users', 'failed', 'purge_failed'], ['orders', 'done', null]]);
    expect(JSON.stringify(records)).not.toContain('alex@example.com');
  });

  it('stops, and purges nothing more, when the audit cannot be written', async () => {
    setup.kit.dispose();
    setup = appWith(t.store, { sources: { users: { ...db.usersSource, purge: () => { db.calls.push('users.purge'); return 0; } }, orders: db.ordersSource } });
    await t.store.close();
    await expect(setup.kit.sweep({ now })).rejects.toMatchObject({ code: 'PK_STORE_CLOSED' });
    expect(db.calls).toEqual(['users.purge']);
  });

  it('tells onProgress before the first purge and after each one', async () => {
    const seen: SweepProgress[] = [];
    setup.kit.dispose();
    setup = appWith(t.store, { sources: { users: { ...db.usersSource, purge: () => 0 }, orders: db.ordersSource } });
    await setup.kit.sweep({ now, onProgress: (p) => { seen.push(p); } });
    expect(seen).toEqual([
      { done: 0, total: 2 },
      { done: 1, total: 2, source: 'users', retention: '2y' },
      { done: 2, total: 2, source: 'orders', retention: '10y' },
    ]);
  });

  it('skips a purge() with no period to apply, and says why', async () => {
    setup.kit.dispose();
    setup = appWith(t.store, { sources: { archive: { model: ArchiveRecord, manual: true, purge: () => { db.calls.push('archive.purge'); return 0; } } } });
    const report = await setup.kit.sweep({ now });
    expect(report.results).toEqual([]);
    expect(report.skipped).toEqual([{ source: 'archive', reason: 'purge() is given but no retention period is declared for its fields, their categories or the source' }]);
    expect(db.calls).toEqual([]);
  });
});

/** Captured before the fake timers replace it. */
const realSetTimeout = setTimeout;

describe('scheduled sweeps (retention: { schedule })', () => {
  let t: TempStore;

  beforeEach(() => {
    t = tempStore();
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
  });
  afterEach(async () => {
    jest.useRealTimers();
    await t.cleanup();
  });

  it('sweeps every period until disposed', async () => {
    const db = new FakeDb();
    const { kit } = appWith(t.store, { sources: { orders: db.ordersSource }, retention: { schedule: 3_600_000 } });
    expect(db.calls).toEqual([]);
    // Each sweep ends with an audit commit (the store may commit on a writer thread): wait, in real time, for it
    // and for the sweep's promise to settle before the next tick.
    const recorded = async (count: number): Promise<void> => {
      for (let i = 0; i < 200 && (await t.store.readAudit({ event: 'retention' })).length < count; i++) await new Promise((r) => realSetTimeout(r, 10));
      await new Promise((r) => realSetTimeout(r, 10));
    };
    await jest.advanceTimersByTimeAsync(3_600_000);
    await recorded(1);
    await jest.advanceTimersByTimeAsync(3_600_000);
    await recorded(2);
    expect(db.calls.filter((c) => c.startsWith('orders.purge'))).toHaveLength(2);
    kit.dispose();
    await jest.advanceTimersByTimeAsync(3_600_000);
    await new Promise((r) => realSetTimeout(r, 50));
    expect(db.calls.filter((c) => c.startsWith('orders.purge'))).toHaveLength(2);
    expect(await t.store.readAudit({ event: 'retention' })).toHaveLength(2);
  });
});
