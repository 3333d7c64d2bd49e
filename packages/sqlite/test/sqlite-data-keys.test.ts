import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describeDataKeyStoreContract, sampleDataKey } from '@privacy-kit/core/testing';
import { createSqliteStore, type SqliteStore, type SqliteStoreOptions } from '@privacy-kit/sqlite';
import { MIGRATIONS } from '../src/schema';

const folders = new WeakMap<object, string>();

/** A store on a new file in its own folder (removed by destroy). */
function fileStore(extra: Partial<SqliteStoreOptions> = {}): SqliteStore {
  const dir = mkdtempSync(join(tmpdir(), 'pk-sqlite-keys-'));
  const store = createSqliteStore({ filename: join(dir, 'test.db'), auditKey: randomBytes(32), ...extra });
  folders.set(store, dir);
  return store;
}

async function removeFolder(store: object): Promise<void> {
  const dir = folders.get(store);
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
}

describeDataKeyStoreContract<SqliteStore>('SqliteStore', {
  create: async () => fileStore(),
  // Another process of the app opens the same file (its own connection and writer thread).
  peer: async (store) => createSqliteStore({ filename: store.db.name, auditKey: randomBytes(32) }),
  destroy: removeFolder,
});

describeDataKeyStoreContract<SqliteStore>("SqliteStore with durability 'power-loss'", {
  create: async () => fileStore({ durability: 'power-loss' }),
  peer: async (store) => createSqliteStore({ filename: store.db.name, auditKey: randomBytes(32), durability: 'power-loss' }),
  destroy: removeFolder,
});

/** The bytes of the database file and of its WAL (what a copy of the folder would hold). */
function bytesOnDisk(file: string): Buffer {
  return Buffer.concat([readFileSync(file), existsSync(`${file}-wal`) ? readFileSync(`${file}-wal`) : Buffer.alloc(0)]);
}

describe('SqliteStore data keys', () => {
  let dir: string;
  const open: SqliteStore[] = [];
  const storeAt = (name: string, extra: Partial<SqliteStoreOptions> = {}): SqliteStore => {
    const store = createSqliteStore({ filename: join(dir, name), auditKey: randomBytes(32), ...extra });
    open.push(store);
    return store;
  };
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'pk-sqlite-keys-')); });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  it("leaves a destroyed key's wrapped value nowhere in the database file or its WAL, while other subjects' keys stay", async () => {
    const store = storeAt('keys.db');
    const doomed = [sampleDataKey({ subject: 'psn_gone' }), sampleDataKey({ subject: 'psn_gone' })];
    const kept = sampleDataKey({ subject: 'psn_kept' });
    for (const key of doomed) await store.addDataKey(key);
    await store.addDataKey(kept);
    for (let i = 0; i < 50; i++) await store.addDataKey(sampleDataKey({ subject: `psn_other_${i}` }));
    const file = join(dir, 'keys.db');
    for (const key of doomed) expect(bytesOnDisk(file).includes(key.wrapped)).toBe(true);

    expect(await store.destroyDataKeys('psn_gone')).toBe(2);

    const bytes = bytesOnDisk(file);
    for (const key of doomed) {
      expect(bytes.includes(key.wrapped)).toBe(false);
      expect(bytes.includes(key.keyId)).toBe(false);
    }
    expect(bytes.includes(kept.wrapped)).toBe(true);
  });

  it("leaves a destroyed key's wrapped value nowhere on disk while another process has the file open", async () => {
    const store = storeAt('shared.db');
    const other = storeAt('shared.db');
    const doomed = sampleDataKey({ subject: 'psn_gone' });
    await store.addDataKey(doomed);
    expect(await other.currentDataKey('psn_gone')).toEqual({ ...doomed, current: true });
    await other.destroyDataKeys('psn_gone');
    expect(bytesOnDisk(join(dir, 'shared.db')).includes(doomed.wrapped)).toBe(false);
  });

  it('runs its connection with secure_delete on, so deleted content is zeroed in the pages', () => {
    const store = storeAt('pragma.db');
    expect(store.db.pragma('secure_delete', { simple: true })).toBe(1);
  });

  it('refuses a second current key for a subject in the table itself (partial unique index), whoever writes', async () => {
    const store = storeAt('index.db');
    const key = sampleDataKey();
    await store.addDataKey(key);
    const raw = new Database(join(dir, 'index.db'));
    try {
      expect(() => raw.prepare("INSERT INTO data_keys (subject, key_id, kek_id, wrapped, created_at, current) VALUES (?, 'other-id', 'kek', 'w', ?, 1)").run(key.subject, key.createdAt))
        .toThrow(expect.objectContaining({ code: 'SQLITE_CONSTRAINT_UNIQUE' }));
    } finally {
      raw.close();
    }
    expect(await store.listDataKeys({ limit: 10 })).toEqual([{ ...key, current: true }]);
  });

  it("commits key writes with synchronous=FULL in the default durability, and puts the connection back to NORMAL", async () => {
    const store = storeAt('sync.db');
    const levels: string[] = [];
    const pragma = store.db.pragma.bind(store.db);
    jest.spyOn(store.db, 'pragma').mockImplementation((source: string, options?: Database.PragmaOptions) => {
      if (source.startsWith('synchronous =')) levels.push(source);
      return pragma(source, options);
    });
    await store.addDataKey(sampleDataKey());
    expect(levels).toEqual(['synchronous = FULL', 'synchronous = NORMAL']);
    expect(store.db.pragma('synchronous', { simple: true })).toBe(1);
  });

  it('keeps data keys in an in-memory store too', async () => {
    const store = createSqliteStore({ filename: ':memory:', auditKey: randomBytes(32) });
    open.push(store);
    const key = sampleDataKey();
    await store.addDataKey(key);
    expect(await store.currentDataKey(key.subject)).toEqual({ ...key, current: true });
    expect(await store.destroyDataKeys(key.subject)).toBe(1);
    expect(await store.currentDataKey(key.subject)).toBeUndefined();
  });

  it('adds the data_keys table to a file of the previous schema version, keeping what it held', async () => {
    const file = join(dir, 'v3.db');
    const raw = new Database(file);
    raw.pragma('journal_mode = WAL');
    MIGRATIONS.slice(0, 3).forEach((sql) => raw.exec(sql));
    raw.pragma('user_version = 3');
    raw.prepare("INSERT INTO rights_requests (id, kind, subject, status, created_at, updated_at, due_at, steps) VALUES ('r1', 'export', 'psn_a', 'open', 't', 't', 't', '[]')").run();
    raw.close();
    const store = storeAt('v3.db');
    expect(store.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(await store.getRightsRequest('r1')).toEqual(expect.objectContaining({ id: 'r1', subject: 'psn_a' }));
    const key = sampleDataKey();
    await store.addDataKey(key);
    expect(await store.currentDataKey(key.subject)).toEqual({ ...key, current: true });
  });
});
