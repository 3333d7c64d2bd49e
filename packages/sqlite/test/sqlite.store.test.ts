import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { describeStoreContract, sampleAuditEntry } from '@privacy-kit/core/testing';
import { SqliteStore, createSqliteStore } from '@privacy-kit/sqlite';
import { sqliteTamper } from './sqlite-tamper';

const folders = new WeakMap<object, string>();

describeStoreContract('SqliteStore', {
  async create() {
    const dir = mkdtempSync(join(tmpdir(), 'pk-sqlite-'));
    const store = createSqliteStore({ filename: join(dir, 'test.db'), auditKey: randomBytes(32) });
    folders.set(store, dir);
    return store;
  },
  tamper: (store) => sqliteTamper(store as SqliteStore),
  async destroy(store) {
    const dir = folders.get(store);
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  },
});

describe('SqliteStore specifics', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'pk-sqlite-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('uses WAL with synchronous=FULL so each commit is durable', async () => {
    const store = createSqliteStore({ filename: join(dir, 'a.db'), auditKey: randomBytes(32) });
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('synchronous', { simple: true })).toBe(2);
    await store.close();
  });

  it('keeps records and the chain across a reopen, and migrates only once', async () => {
    const key = randomBytes(32);
    const file = join(dir, 'b.db');
    const first = createSqliteStore({ filename: file, auditKey: key });
    await first.appendAudit(sampleAuditEntry());
    await first.close();
    const second = createSqliteStore({ filename: file, auditKey: key });
    await second.appendAudit(sampleAuditEntry());
    expect(await second.verifyAudit()).toEqual(expect.objectContaining({ ok: true, checked: 2 }));
    await second.close();
  });

  it('fails verification when opened with another audit key', async () => {
    const file = join(dir, 'c.db');
    const first = createSqliteStore({ filename: file, auditKey: randomBytes(32) });
    await first.appendAudit(sampleAuditEntry());
    await first.close();
    const other = createSqliteStore({ filename: file, auditKey: randomBytes(32) });
    expect(await other.verifyAudit()).toEqual(expect.objectContaining({ ok: false, firstBadSeq: 1 }));
    await other.close();
  });

  it('refuses to change or delete audit rows and consent events through SQL', async () => {
    const store = createSqliteStore({ filename: join(dir, 'd.db'), auditKey: randomBytes(32) });
    await store.appendAudit(sampleAuditEntry());
    await store.recordConsent({ subject: 'psn_a', purpose: 'personalize.content', action: 'granted', policyVersion: 'v1', method: 'api' });
    expect(() => store.db.prepare("UPDATE audit_log SET route = '/x'").run()).toThrow(/append-only/);
    expect(() => store.db.prepare('DELETE FROM consent_events').run()).toThrow(/append-only/);
    await store.close();
  });

  it('refuses a short audit key with a message that says how to make one', () => {
    expect(() => createSqliteStore({ filename: ':memory:', auditKey: 'short' })).toThrow(/at least 32 bytes[\s\S]*randomBytes/);
  });

  it('reports an unopenable file as a store error naming the file', () => {
    expect(() => createSqliteStore({ filename: join(dir, 'missing', 'x.db'), auditKey: randomBytes(32) })).toThrow(
      expect.objectContaining({ code: 'PK_STORE_UNAVAILABLE', message: expect.stringContaining('x.db') }),
    );
  });

  it('shares one chain between two connections to the same file', async () => {
    const key = randomBytes(32);
    const file = join(dir, 'e.db');
    const a = createSqliteStore({ filename: file, auditKey: key });
    const b = createSqliteStore({ filename: file, auditKey: key });
    for (let i = 0; i < 10; i++) {
      await a.appendAudit(sampleAuditEntry());
      await b.appendAudit(sampleAuditEntry());
    }
    expect(await a.verifyAudit()).toEqual(expect.objectContaining({ ok: true, checked: 20 }));
    await a.close();
    await b.close();
  });
});
