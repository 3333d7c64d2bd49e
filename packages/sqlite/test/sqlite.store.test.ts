import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { readAuditCheckpoints, type AuditCheckpoint, type PrivacyKitError } from '@privacy-kit/core';
import { auditHeadMac, auditMac } from '@privacy-kit/core/store';
import { V1_AUDIT_FIXTURE, describeStoreContract, sampleAuditEntry, testVectorKey } from '@privacy-kit/core/testing';
import { SqliteStore, createSqliteStore, readSqliteAudit, verifySqliteAudit, type SqliteStoreOptions } from '@privacy-kit/sqlite';
import { MIGRATIONS } from '../src/schema';
import { sqliteTamper } from './sqlite-tamper';

const folders = new WeakMap<object, string>();

/** A store on a new file in its own folder (removed by the contract's destroy). */
function fileStore(extra: Partial<SqliteStoreOptions> = {}): SqliteStore {
  const dir = mkdtempSync(join(tmpdir(), 'pk-sqlite-'));
  const store = createSqliteStore({ filename: join(dir, 'test.db'), auditKey: randomBytes(32), ...extra });
  folders.set(store, dir);
  return store;
}

const sqliteSpecifics = {
  tamper: (store: unknown) => sqliteTamper(store as SqliteStore),
  async failAuditWrites(store: unknown) {
    (store as SqliteStore).db.exec("CREATE TRIGGER test_audit_fails BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'audit writes fail (test)'); END;");
  },
  async destroy(store: object) {
    const dir = folders.get(store);
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  },
};

describeStoreContract('SqliteStore', {
  create: async () => fileStore(),
  createWithOptions: (extra) => createSqliteStore({ filename: ':memory:', auditKey: randomBytes(32), ...extra }),
  ...sqliteSpecifics,
});

describeStoreContract("SqliteStore with durability 'power-loss' (commits on the writer thread)", {
  create: async () => fileStore({ durability: 'power-loss' }),
  createWithOptions: async (extra) => fileStore({ durability: 'power-loss', ...extra }),
  ...sqliteSpecifics,
});

describe('SqliteStore specifics', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'pk-sqlite-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("commits audit records on its own connection in WAL mode with synchronous=NORMAL by default: a record survives the process (durability 'process-crash')", async () => {
    const store = createSqliteStore({ filename: join(dir, 'a.db'), auditKey: randomBytes(32) });
    expect(store.durability).toBe('process-crash');
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(await store.auditWriterSettings()).toEqual({ journalMode: 'wal', synchronous: 1 });
    await store.close();
  });

  it("fsyncs every commit before it resolves with durability 'power-loss' (synchronous=FULL on the writer thread and the store's connection)", async () => {
    const store = createSqliteStore({ filename: join(dir, 'a.db'), auditKey: randomBytes(32), durability: 'power-loss' });
    expect(store.durability).toBe('power-loss');
    expect(store.db.pragma('synchronous', { simple: true })).toBe(2);
    expect(await store.auditWriterSettings()).toEqual({ journalMode: 'wal', synchronous: 2 });
    await store.close();
  });

  it("commits what was appended before close() (durability 'power-loss': the writer thread is drained first)", async () => {
    const file = join(dir, 'drain.db');
    const key = randomBytes(32);
    const store = createSqliteStore({ filename: file, auditKey: key, durability: 'power-loss' });
    const appended = Array.from({ length: 50 }, (_, i) => store.appendAudit(sampleAuditEntry({ requestId: `r-${i}`, event: i % 2 === 0 ? 'access' : 'outcome' })));
    await store.close();
    expect((await Promise.all(appended)).map((r) => r.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    const reopened = createSqliteStore({ filename: file, auditKey: key });
    expect(await reopened.verifyAudit()).toEqual(expect.objectContaining({ ok: true, checked: 50 }));
    await reopened.close();
  });

  it('fails the appends a stopped writer thread did not confirm, and starts a new thread for the next append', async () => {
    const store = createSqliteStore({ filename: join(dir, 'restart.db'), auditKey: randomBytes(32), durability: 'power-loss' });
    await store.appendAudit(sampleAuditEntry({ requestId: 'before' }));
    // The thread's Worker is private: reached here only to stop it as a crash of the thread would.
    const worker = (store as unknown as { thread: { worker: { terminate(): Promise<number> } } }).thread.worker;
    const lost = store.appendAudit(sampleAuditEntry({ requestId: 'lost' }));
    const failed = expect(lost).rejects.toMatchObject({ code: 'PK_STORE_UNAVAILABLE', message: expect.stringContaining('the audit writer thread stopped') });
    await worker.terminate();
    await failed;
    const after = await store.appendAudit(sampleAuditEntry({ requestId: 'after' }));
    expect(after.requestId).toBe('after');
    expect(await store.verifyAudit()).toEqual(expect.objectContaining({ ok: true }));
    await store.close();
  });

  describe('the subject index (a file of its own, kept by the writer thread off the request path)', () => {
    const scan = (store: SqliteStore, subject: string): number[] =>
      store.db.prepare('SELECT seq FROM audit_log WHERE subject = ? ORDER BY seq').pluck().all(subject) as number[];
    const appendFor = async (store: SqliteStore, subjects: readonly string[]): Promise<void> => {
      await Promise.all(subjects.map((subject, i) => store.appendAudit(sampleAuditEntry({ subject, requestId: `r-${subject}-${i}` }))));
    };

    it("reads a subject's records through the index up to where it has reached and by seq after it: the same records as a full scan", async () => {
      const store = createSqliteStore({ filename: join(dir, 'subjects.db'), auditKey: randomBytes(32) });
      await appendFor(store, ['psn_a', 'psn_b', 'psn_a', 'psn_c', 'psn_a']);
      // Nothing indexed yet: the whole log is read by subject.
      expect((await store.readAudit({ subject: 'psn_a' })).map((r) => r.seq)).toEqual(scan(store, 'psn_a'));
      expect(await store.indexSubjects()).toBe(5);
      expect(existsSync(join(dir, 'subjects.db-subject-index'))).toBe(true);
      await appendFor(store, ['psn_b', 'psn_a', 'psn_a']);
      // Three records from the index, two after where it reached.
      expect((await store.readAudit({ subject: 'psn_a' })).map((r) => r.seq)).toEqual([1, 3, 5, 7, 8]);
      expect((await store.readAudit({ subject: 'psn_a', event: 'access', limit: 2 })).map((r) => r.seq)).toEqual([1, 3]);
      expect((await store.readAudit({ subject: 'psn_b', afterSeq: 2 })).map((r) => r.seq)).toEqual([6]);
      expect(await store.readAudit({ subject: 'psn_nobody' })).toEqual([]);
      await store.close();
    });

    it('builds the index again when its file is missing, and ignores (then rebuilds) an index of another log', async () => {
      const store = createSqliteStore({ filename: join(dir, 'one.db'), auditKey: randomBytes(32) });
      await appendFor(store, ['psn_a', 'psn_b', 'psn_a']);
      await store.indexSubjects();
      for (const suffix of ['', '-wal', '-shm']) rmSync(join(dir, `one.db-subject-index${suffix}`), { force: true });
      expect((await store.readAudit({ subject: 'psn_a' })).map((r) => r.seq)).toEqual([1, 3]);
      expect(await store.indexSubjects()).toBe(3);
      // Another log's index put in its place (e.g. a restored database next to a newer index): not used, rebuilt.
      const other = createSqliteStore({ filename: join(dir, 'two.db'), auditKey: randomBytes(32) });
      await appendFor(other, ['psn_a', 'psn_a', 'psn_a', 'psn_a']);
      await other.indexSubjects();
      await other.close();
      await store.close();
      for (const suffix of ['', '-wal', '-shm']) rmSync(join(dir, `one.db-subject-index${suffix}`), { force: true });
      copyFileSync(join(dir, 'two.db-subject-index'), join(dir, 'one.db-subject-index'));
      const reopened = createSqliteStore({ filename: join(dir, 'one.db'), auditKey: randomBytes(32) });
      expect((await reopened.readAudit({ subject: 'psn_a' })).map((r) => r.seq)).toEqual([1, 3]);
      expect(await reopened.indexSubjects()).toBe(3);
      expect((await reopened.readAudit({ subject: 'psn_a' })).map((r) => r.seq)).toEqual([1, 3]);
      await reopened.close();
    });
  });

  it("keeps SQLite's own 2 MiB page cache on its connection, not better-sqlite3's 16 MiB, unless cacheSizeKiB says otherwise", async () => {
    const store = createSqliteStore({ filename: join(dir, 'a.db'), auditKey: randomBytes(32) });
    const larger = createSqliteStore({ filename: join(dir, 'b.db'), auditKey: randomBytes(32), cacheSizeKiB: 32768 });
    expect([store.db.pragma('cache_size', { simple: true }), larger.db.pragma('cache_size', { simple: true })]).toEqual([-2048, -32768]);
    await store.close();
    await larger.close();
  });

  it('refuses a cacheSizeKiB that is not a whole number of KiB of at least 64', () => {
    for (const bad of [0, 63, 1.5, '2048']) {
      expect(() => createSqliteStore({ filename: join(dir, 'a.db'), auditKey: randomBytes(32), cacheSizeKiB: bad as never })).toThrow(
        expect.objectContaining({ code: 'PK_INVALID_OPTION', message: expect.stringContaining("'cacheSizeKiB' must be a whole number of KiB ≥ 64 (default 2048)") }),
      );
    }
  });

  it('refuses a durability it does not know, naming the modes', () => {
    expect(() => createSqliteStore({ filename: join(dir, 'a.db'), auditKey: randomBytes(32), durability: 'fsync' as never })).toThrow(
      expect.objectContaining({ code: 'PK_INVALID_OPTION', message: expect.stringContaining("'durability' must be 'process-crash' or 'power-loss'") }),
    );
  });

  it("says it is ephemeral in memory (':memory:') and durable on a file, so tools can refuse a store that vanishes", async () => {
    const memory = createSqliteStore({ filename: ':memory:', auditKey: randomBytes(32) });
    const file = createSqliteStore({ filename: join(dir, 'durable.db'), auditKey: randomBytes(32) });
    expect([memory.ephemeral, file.ephemeral]).toEqual([true, false]);
    await memory.close();
    await file.close();
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

  it('fails verification when opened with another audit key, reporting the key rather than a changed record', async () => {
    const file = join(dir, 'c.db');
    const first = createSqliteStore({ filename: file, auditKey: randomBytes(32) });
    await first.appendAudit(sampleAuditEntry());
    await first.close();
    const other = createSqliteStore({ filename: file, auditKey: randomBytes(32) });
    expect(await other.verifyAudit()).toEqual(expect.objectContaining({ ok: false, problem: 'key' }));
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

  it("refuses an unknown option instead of writing to the default file, naming the option meant ('file' for 'filename')", () => {
    expect(() => createSqliteStore({ file: join(dir, 'x.db'), auditKey: randomBytes(32) } as never)).toThrow(
      expect.objectContaining({ code: 'PK_INVALID_OPTION', message: expect.stringContaining("unknown option 'file'. Did you mean 'filename'?") }),
    );
    expect(readdirSync(dir)).toEqual([]);
  });

  it("reports a write the database refuses without SQLite's text, which can quote stored values; the driver error stays the cause", async () => {
    const store = createSqliteStore({ filename: join(dir, 'refused.db'), auditKey: randomBytes(32) });
    store.db.exec("CREATE TRIGGER refuse_all BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'psn_value_that_is_personal'); END;");
    const error = await store.appendAudit(sampleAuditEntry()).catch((e: PrivacyKitError) => e);
    expect(error).toMatchObject({ code: 'PK_STORE_UNAVAILABLE', message: expect.stringMatching(/^@privacy-kit\/sqlite: appendAudit failed: SQLite refused the data \(SQLITE_CONSTRAINT_TRIGGER\)/) });
    expect((error as PrivacyKitError).message).not.toContain('psn_value');
    expect(JSON.stringify(error)).not.toContain('psn_value');
    expect(String(((error as PrivacyKitError).cause as Error).message)).toContain('psn_value_that_is_personal');
    await store.close();
  });

  it('refuses a file that is not a database with a store error that says what to do', () => {
    const file = join(dir, 'text.db');
    writeFileSync(file, 'this is not a database, only text long enough to have a header of sorts.');
    expect(() => createSqliteStore({ filename: file, auditKey: randomBytes(32) })).toThrow(
      expect.objectContaining({ code: 'PK_STORE_UNAVAILABLE', message: expect.stringMatching(/^@privacy-kit\/sqlite: opening the database file '.*text\.db' failed: the database file is damaged or not a SQLite database \(SQLITE_NOTADB\); restore it from a backup/) }),
    );
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

  it('writes the format 2 head into the head row', async () => {
    const key = randomBytes(32);
    const store = createSqliteStore({ filename: join(dir, 'h.db'), auditKey: key });
    await store.appendAudit(sampleAuditEntry());
    await store.appendAudit(sampleAuditEntry());
    expect(store.db.prepare('SELECT seq, version, count, key_id FROM audit_head').get()).toEqual({ seq: 2, version: 2, count: 2, key_id: (await store.verifyAudit()).keyId });
    await store.close();
  });
});

/** A database file exactly as the first release left it: schema version 1, the fixture's records and format 1 head. */
function writeV1Database(file: string): void {
  const raw = new Database(file);
  raw.pragma('journal_mode = WAL');
  raw.exec(MIGRATIONS[0] as string);
  raw.pragma('user_version = 1');
  const insert = raw.prepare(
    `INSERT INTO audit_log (seq, event, time, request_id, app_id, actor, subject, method, route, purposes, basis, categories, decision, reason, status, duration_ms, details, prev_mac, mac)
     VALUES (@seq, @event, @time, @request_id, @app_id, @actor, @subject, @method, @route, @purposes, @basis, @categories, @decision, @reason, @status, @duration_ms, @details, @prev_mac, @mac)`,
  );
  for (const row of V1_AUDIT_FIXTURE.rows) insert.run(row);
  raw.prepare('INSERT INTO audit_head (id, seq, mac, head_mac) VALUES (1, @seq, @mac, @head_mac)').run(V1_AUDIT_FIXTURE.head);
  raw.close();
}

describe('SqliteStore with a log written by the first release (format 1 head)', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'pk-sqlite-v1-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('migrates the head table and verifies the old log', async () => {
    const file = join(dir, 'v1.db');
    writeV1Database(file);
    const store = createSqliteStore({ filename: file, auditKey: testVectorKey() });
    expect(store.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    // Migration 3: records are no longer indexed by subject as they are written (see the subject index tests).
    expect(store.db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'audit_log_subject'").all()).toEqual([]);
    expect(await store.verifyAudit()).toEqual(expect.objectContaining({ ok: true, checked: 5, head: { version: 1, seq: 5 } }));
    await store.close();
  });

  it('goes on from the old log with a format 2 head that verifies', async () => {
    const file = join(dir, 'v1.db');
    writeV1Database(file);
    const store = createSqliteStore({ filename: file, auditKey: testVectorKey() });
    const record = await store.appendAudit(sampleAuditEntry());
    expect(record).toEqual(expect.objectContaining({ seq: 6, prevMac: V1_AUDIT_FIXTURE.head.mac }));
    expect(await store.verifyAudit()).toEqual(expect.objectContaining({ ok: true, checked: 6, head: expect.objectContaining({ version: 2, count: 6 }) }));
    await store.close();
  });

  it('keeps verifying while a process of the first release appends to the upgraded file (rolling upgrade)', async () => {
    const key = randomBytes(32);
    const file = join(dir, 'mixed.db');
    const store = createSqliteStore({ filename: file, auditKey: key });
    await store.appendAudit(sampleAuditEntry());
    const head = store.db.prepare('SELECT seq, mac FROM audit_head').get() as { seq: number; mac: string };
    // What the first release's append transaction did: insert the record, move seq, mac and head_mac only.
    const old = new Database(file);
    const entry = sampleAuditEntry({ requestId: 'old-writer' });
    const mac = auditMac(key, entry, head.mac);
    old.prepare(
      `INSERT INTO audit_log (seq, event, time, request_id, app_id, actor, subject, method, route, purposes, basis, categories, decision, reason, status, duration_ms, details, prev_mac, mac)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(head.seq + 1, entry.event, entry.time, entry.requestId, entry.appId, entry.actor, entry.subject, entry.method, entry.route,
      JSON.stringify(entry.purposes), entry.basis, JSON.stringify(entry.categories), entry.decision, entry.reason, entry.status, entry.durationMs, null, head.mac, mac);
    old.prepare('INSERT INTO audit_head (id, seq, mac, head_mac) VALUES (1, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, mac = excluded.mac, head_mac = excluded.head_mac')
      .run(head.seq + 1, mac, auditHeadMac(key, head.seq + 1, mac));
    old.close();
    expect(await store.verifyAudit()).toEqual(expect.objectContaining({ ok: true, checked: 2, head: { version: 1, seq: 2 } }));
    await store.appendAudit(sampleAuditEntry());
    expect(await store.verifyAudit()).toEqual(expect.objectContaining({ ok: true, checked: 3, head: expect.objectContaining({ version: 2, count: 3 }) }));
    await store.close();
  });

  it('is verified read-only as it is, without migrating it', async () => {
    const file = join(dir, 'v1.db');
    writeV1Database(file);
    const before = sha256(file);
    expect(await verifySqliteAudit({ filename: file, auditKey: testVectorKey() })).toEqual(expect.objectContaining({ ok: true, checked: 5 }));
    expect(sha256(file)).toBe(before);
  });
});

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

describe('verifySqliteAudit (read-only)', () => {
  let dir: string;
  const key = randomBytes(32);
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'pk-sqlite-verify-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function storeFile(records: number): Promise<string> {
    const file = join(dir, 'app.db');
    const store = createSqliteStore({ filename: file, auditKey: key });
    for (let i = 0; i < records; i++) await store.appendAudit(sampleAuditEntry());
    await store.close();
    return file;
  }

  it('verifies a file at rest without writing to it or creating anything next to it', async () => {
    const file = await storeFile(3);
    const before = sha256(file);
    const listing = readdirSync(dir);
    expect(await verifySqliteAudit({ filename: file, auditKey: key })).toEqual(expect.objectContaining({ ok: true, checked: 3 }));
    expect(sha256(file)).toBe(before);
    expect(readdirSync(dir)).toEqual(listing);
  });

  it('reads the records still in the WAL of a running app, and leaves the database file as it was', async () => {
    const file = join(dir, 'live.db');
    const live = createSqliteStore({ filename: file, auditKey: key });
    for (let i = 0; i < 4; i++) await live.appendAudit(sampleAuditEntry());
    const before = sha256(file);
    expect(await verifySqliteAudit({ filename: file, auditKey: key })).toEqual(expect.objectContaining({ ok: true, checked: 4 }));
    expect(sha256(file)).toBe(before);
    await live.close();
  });

  it('reports an empty log as empty unless allowed', async () => {
    const file = await storeFile(0);
    expect(await verifySqliteAudit({ filename: file, auditKey: key })).toEqual(expect.objectContaining({ ok: false, problem: 'empty' }));
    expect(await verifySqliteAudit({ filename: file, auditKey: key, allowEmpty: true })).toEqual(expect.objectContaining({ ok: true, checked: 0 }));
  });

  it('reports a file without the audit tables as missing, even when empty logs are allowed', async () => {
    const file = join(dir, 'other.db');
    const raw = new Database(file);
    raw.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY)');
    raw.close();
    const report = await verifySqliteAudit({ filename: file, auditKey: key, allowEmpty: true });
    expect(report).toEqual(expect.objectContaining({ ok: false, problem: 'missing' }));
    expect(report.message).toMatch(/holds no privacy-kit audit log: it has no audit_log and no audit_head table/);
  });

  it('reports a file that is not a database as missing', async () => {
    const file = join(dir, 'text.db');
    writeFileSync(file, 'this is not a database, only text long enough to have a header of sorts.');
    expect(await verifySqliteAudit({ filename: file, auditKey: key })).toEqual(expect.objectContaining({ ok: false, problem: 'missing', message: expect.stringContaining('not a SQLite database') }));
  });

  it('refuses a file that does not exist, and does not create it', async () => {
    const file = join(dir, 'absent.db');
    await expect(verifySqliteAudit({ filename: file, auditKey: key })).rejects.toMatchObject({ code: 'PK_STORE_UNAVAILABLE' });
    expect(existsSync(file)).toBe(false);
  });

  it('reports a wrong key as a wrong key', async () => {
    const file = await storeFile(2);
    expect(await verifySqliteAudit({ filename: file, auditKey: randomBytes(32) })).toEqual(expect.objectContaining({ ok: false, problem: 'key' }));
  });
});

describe('readSqliteAudit (read-only, no key)', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'pk-sqlite-read-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the records of a store file, filtered by a query, without writing to it or next to it', async () => {
    const file = join(dir, 'app.db');
    const store = createSqliteStore({ filename: file, auditKey: randomBytes(32) });
    const written = [
      await store.appendAudit(sampleAuditEntry({ requestId: 'r1' })),
      await store.appendAudit(sampleAuditEntry({ requestId: 'r2', event: 'denied', decision: 'denied', reason: 'forbidden' })),
    ];
    await store.close();
    const before = sha256(file);
    const listing = readdirSync(dir);
    expect(await readSqliteAudit({ filename: file })).toEqual(written);
    expect((await readSqliteAudit({ filename: file, query: { event: 'denied' } })).map((r) => r.requestId)).toEqual(['r2']);
    expect(sha256(file)).toBe(before);
    expect(readdirSync(dir)).toEqual(listing);
  });

  it('refuses a file that holds no privacy-kit audit log, saying so', async () => {
    const file = join(dir, 'other.db');
    const raw = new Database(file);
    raw.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY)');
    raw.close();
    await expect(readSqliteAudit({ filename: file })).rejects.toMatchObject({
      code: 'PK_STORE_UNAVAILABLE',
      message: expect.stringContaining('holds no privacy-kit audit log: it has no audit_log and no audit_head table'),
    });
  });

  it('refuses a file that does not exist, and does not create it', async () => {
    const file = join(dir, 'absent.db');
    await expect(readSqliteAudit({ filename: file })).rejects.toMatchObject({ code: 'PK_STORE_UNAVAILABLE', message: expect.stringContaining('there is no such file') });
    expect(existsSync(file)).toBe(false);
  });
});

describe('SqliteStore checkpoints', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'pk-sqlite-cp-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('appends a signed checkpoint every `every` records to the file, and a last one on close', async () => {
    const key = randomBytes(32);
    const file = join(dir, 'checkpoints.jsonl');
    const store = createSqliteStore({ filename: join(dir, 'a.db'), auditKey: key, checkpoints: { file, every: 4, intervalMs: 0 } });
    for (let i = 0; i < 10; i++) await store.appendAudit(sampleAuditEntry());
    await store.close();
    const text = readFileSync(file, 'utf8');
    expect(text.trim().split('\n').map((l) => (JSON.parse(l) as AuditCheckpoint).seq)).toEqual([4, 8, 10]);
    expect(readAuditCheckpoints(text, key)).toEqual(expect.objectContaining({ valid: 3, problems: [] }));
  });

  it('hands each checkpoint to the hook', async () => {
    const seen: number[] = [];
    const store = createSqliteStore({ filename: join(dir, 'b.db'), auditKey: randomBytes(32), checkpoints: { onCheckpoint: (c) => { seen.push(c.seq); }, every: 2, intervalMs: 0 } });
    await Promise.all(Array.from({ length: 5 }, () => store.appendAudit(sampleAuditEntry())));
    await store.close();
    expect(seen).toEqual([5]);
  });

  it('refuses the database file itself as the checkpoint file', () => {
    const db = join(dir, 'c.db');
    expect(() => createSqliteStore({ filename: db, auditKey: randomBytes(32), checkpoints: { file: `${db}-wal` } })).toThrow(
      expect.objectContaining({ code: 'PK_INVALID_OPTION', message: expect.stringContaining("the database's own file") }),
    );
  });
});

describe('SqliteStore when its file is deleted or replaced under it', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'pk-sqlite-gone-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses appends once the database file and its WAL were deleted, saying so', async () => {
    const file = join(dir, 'app.db');
    const store = createSqliteStore({ filename: file, auditKey: randomBytes(32) });
    await store.appendAudit(sampleAuditEntry());
    for (const suffix of ['', '-wal', '-shm']) if (existsSync(file + suffix)) unlinkSync(file + suffix);
    const error = await store.appendAudit(sampleAuditEntry()).catch((e: PrivacyKitError) => e);
    expect(error).toMatchObject({ code: 'PK_STORE_UNAVAILABLE' });
    expect((error as PrivacyKitError).message).toMatch(/^@privacy-kit\/sqlite: appendAudit: the database file .*app\.db was deleted or replaced while the store had it open; .*Restart the app/);
    await store.close();
  });

  it('refuses appends once another file was moved into its place', async () => {
    const file = join(dir, 'app.db');
    const store = createSqliteStore({ filename: file, auditKey: randomBytes(32) });
    await store.appendAudit(sampleAuditEntry());
    copyFileSync(file, join(dir, 'copy.db'));
    renameSync(join(dir, 'copy.db'), file);
    await expect(store.appendAudit(sampleAuditEntry())).rejects.toMatchObject({ code: 'PK_STORE_UNAVAILABLE', message: expect.stringContaining('deleted or replaced') });
    await expect(store.ping()).rejects.toMatchObject({ code: 'PK_STORE_UNAVAILABLE' });
    await store.close();
  });
});

describe('SqliteStore consent changes', () => {
  let dir: string;
  let store: SqliteStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pk-sqlite-'));
    store = createSqliteStore({ filename: join(dir, 'consents.db'), auditKey: randomBytes(32) });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const grant = { subject: 'psn_a', purpose: 'personalize.content', action: 'granted', policyVersion: 'v1', method: 'api' } as const;

  it('commits the audit entries appended before a consent change first, so its record follows them', async () => {
    const before = store.appendAudit(sampleAuditEntry({ requestId: 'before' }));
    const change = store.recordConsentChange([grant], sampleAuditEntry({ event: 'consent', requestId: 'change' }));
    const after = store.appendAudit(sampleAuditEntry({ requestId: 'after' }));
    await Promise.all([before, change, after]);
    expect((await store.readAudit()).map((r) => [r.seq, r.requestId])).toEqual([[1, 'before'], [2, 'change'], [3, 'after']]);
  });

  it('rolls the consent event back when a trigger refuses its audit record', async () => {
    store.db.exec("CREATE TRIGGER refuse_consent_records BEFORE INSERT ON audit_log WHEN NEW.event = 'consent' BEGIN SELECT RAISE(ABORT, 'refused'); END;");
    await expect(store.recordConsentChange([grant], sampleAuditEntry({ event: 'consent' }))).rejects.toMatchObject({ code: 'PK_STORE_UNAVAILABLE' });
    expect(store.db.prepare('SELECT count(*) AS n FROM consent_events').get()).toEqual({ n: 0 });
    await store.appendAudit(sampleAuditEntry());
    expect(await store.verifyAudit()).toEqual(expect.objectContaining({ ok: true, checked: 1 }));
  });
});

describe('SqliteStore watching consents', () => {
  let dir: string;
  const open: SqliteStore[] = [];
  const storeOn = (file: string, key: Buffer): SqliteStore => {
    const store = createSqliteStore({ filename: join(dir, file), auditKey: key });
    open.push(store);
    return store;
  };
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'pk-sqlite-')); });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  const withdrawal = { purpose: 'personalize.content', action: 'withdrawn', policyVersion: 'v1', method: 'api' } as const;

  async function eventually(predicate: () => boolean, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  it("calls this store's listeners on its own write, at once", async () => {
    const store = storeOn('w.db', randomBytes(32));
    const heard: string[] = [];
    store.watchConsents((subject) => heard.push(subject));
    await store.recordConsent({ subject: 'psn_a', ...withdrawal });
    await store.recordConsentChange([{ subject: 'psn_b', ...withdrawal }, { subject: 'psn_c', ...withdrawal }], sampleAuditEntry({ event: 'consent' }));
    expect(heard).toEqual(['psn_a', 'psn_b', 'psn_c']);
  });

  it('hears a change another connection committed to the same file', async () => {
    const key = randomBytes(32);
    const watcher = storeOn('shared.db', key);
    const writer = storeOn('shared.db', key);
    const heard: string[] = [];
    watcher.watchConsents((subject) => heard.push(subject));
    await writer.appendAudit(sampleAuditEntry());
    await writer.recordConsentChange([{ subject: 'psn_remote', ...withdrawal }], sampleAuditEntry({ event: 'consent' }));
    await writer.recordConsent({ subject: 'psn_other', ...withdrawal });
    await eventually(() => heard.length >= 2, 2000);
    expect(heard).toEqual(['psn_remote', 'psn_other']);
  });

  it('stops looking once the last listener unsubscribed', async () => {
    const key = randomBytes(32);
    const watcher = storeOn('quiet.db', key);
    const writer = storeOn('quiet.db', key);
    const heard: string[] = [];
    const stop = watcher.watchConsents((subject) => heard.push(subject));
    stop();
    await writer.recordConsent({ subject: 'psn_late', ...withdrawal });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(heard).toEqual([]);
  });
});

// The default commits on the store's connection; 'power-loss' commits on the writer thread, which waits on its own thread.
describe.each(['process-crash', 'power-loss'] as const)('SqliteStore under another connection\'s lock (durability %s)', (durability) => {
  let dir: string;
  let file: string;
  let locker: Database.Database;
  const open: SqliteStore[] = [];
  const storeWith = (busyTimeoutMs?: number): SqliteStore => {
    const store = createSqliteStore({ filename: file, auditKey: randomBytes(32), durability, ...(busyTimeoutMs === undefined ? {} : { busyTimeoutMs }) });
    open.push(store);
    return store;
  };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pk-sqlite-'));
    file = join(dir, 'locked.db');
    storeWith();
    locker = new Database(file);
  });
  afterEach(async () => {
    if (locker.inTransaction) locker.exec('ROLLBACK');
    locker.close();
    await Promise.all(open.splice(0).map((s) => s.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('waits for the lock on a timer, so the event loop keeps running, and then commits', async () => {
    const store = open[0] as SqliteStore;
    locker.exec('BEGIN IMMEDIATE');
    let ticks = 0;
    const ticker = setInterval(() => { ticks++; }, 5);
    const appended = Promise.all([store.appendAudit(sampleAuditEntry({ requestId: 'a' })), store.appendAudit(sampleAuditEntry({ requestId: 'b' }))]);
    const consent = store.recordConsentChange([{ subject: 'psn_a', purpose: 'personalize.content', action: 'granted', policyVersion: 'v1', method: 'api' }], sampleAuditEntry({ event: 'consent', requestId: 'c' }));
    await new Promise((resolve) => setTimeout(resolve, 150));
    const ticksWhileLocked = ticks;
    locker.exec('COMMIT');
    const [records, change] = await Promise.all([appended, consent]);
    clearInterval(ticker);
    expect(ticksWhileLocked).toBeGreaterThan(5);
    expect(records.map((r) => r.seq)).toEqual([1, 2]);
    expect(change.record.seq).toBe(3);
    expect(await store.verifyAudit()).toEqual(expect.objectContaining({ ok: true, checked: 3 }));
  });

  it('takes the entries appended while it waits into the same commit', async () => {
    const store = open[0] as SqliteStore;
    locker.exec('BEGIN IMMEDIATE');
    const first = store.appendAudit(sampleAuditEntry({ requestId: 'first' }));
    await new Promise((resolve) => setTimeout(resolve, 30));
    const later = store.appendAudit(sampleAuditEntry({ requestId: 'later' }));
    await new Promise((resolve) => setTimeout(resolve, 30));
    locker.exec('COMMIT');
    expect((await Promise.all([first, later])).map((r) => [r.seq, r.requestId])).toEqual([[1, 'first'], [2, 'later']]);
  });

  it('gives up after busyTimeoutMs with PK_STORE_UNAVAILABLE and writes nothing', async () => {
    const store = storeWith(100);
    locker.exec('BEGIN IMMEDIATE');
    const append = store.appendAudit(sampleAuditEntry());
    const consent = store.recordConsent({ subject: 'psn_a', purpose: 'personalize.content', action: 'granted', policyVersion: 'v1', method: 'api' });
    await expect(append).rejects.toMatchObject({ code: 'PK_STORE_UNAVAILABLE', message: expect.stringMatching(/locked for more than 100 ms \(busyTimeoutMs\)/) });
    await expect(consent).rejects.toMatchObject({ code: 'PK_STORE_UNAVAILABLE' });
    locker.exec('COMMIT');
    expect(await store.readAudit()).toEqual([]);
    expect(await store.consentHistory('psn_a')).toEqual([]);
    expect((await store.appendAudit(sampleAuditEntry())).seq).toBe(1);
  });

  it('rejects what still waits for the lock when it is closed', async () => {
    const store = storeWith();
    locker.exec('BEGIN IMMEDIATE');
    const append = store.appendAudit(sampleAuditEntry());
    await new Promise((resolve) => setTimeout(resolve, 20));
    // Handled before close() is awaited: the writer thread rejects it while close() waits for the thread to end.
    const rejected = expect(append).rejects.toMatchObject({ code: 'PK_STORE_CLOSED' });
    await store.close();
    await rejected;
  });

  it('refuses a busyTimeoutMs that is not a whole number of ms', () => {
    expect(() => createSqliteStore({ filename: ':memory:', auditKey: randomBytes(32), busyTimeoutMs: -1 })).toThrow(/'busyTimeoutMs' must be a whole number of ms ≥ 0/);
  });
});
