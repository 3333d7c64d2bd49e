import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { V1_AUDIT_FIXTURE, describeIncidentStoreContract, sampleIncidentEvent, testVectorKey } from '@privacy-kit/core/testing';
import { createSqliteStore, type SqliteStore, type SqliteStoreOptions } from '@privacy-kit/sqlite';
import { MIGRATIONS } from '../src/schema';

const folders = new WeakMap<object, string>();

/** A store on a new file in its own folder (removed by destroy). */
function fileStore(extra: Partial<SqliteStoreOptions> = {}): SqliteStore {
  const dir = mkdtempSync(join(tmpdir(), 'pk-sqlite-incidents-'));
  const store = createSqliteStore({ filename: join(dir, 'test.db'), auditKey: randomBytes(32), ...extra });
  folders.set(store, dir);
  return store;
}

const specifics = {
  // Someone with the file: a connection of their own, not the store's.
  async tamper(store: SqliteStore, sql: string) {
    const raw = new Database(store.db.name, { timeout: 2000 });
    try {
      raw.exec(sql);
    } finally {
      raw.close();
    }
  },
  async destroy(store: object) {
    const dir = folders.get(store);
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  },
};

describeIncidentStoreContract<SqliteStore>('SqliteStore', {
  create: async () => fileStore(),
  // Another process of the app opens the same file (its own connection and writer thread).
  peer: async (store) => createSqliteStore({ filename: store.db.name, auditKey: randomBytes(32) }),
  ...specifics,
});

describeIncidentStoreContract<SqliteStore>("SqliteStore with durability 'power-loss'", {
  create: async () => fileStore({ durability: 'power-loss' }),
  peer: async (store) => createSqliteStore({ filename: store.db.name, auditKey: randomBytes(32), durability: 'power-loss' }),
  ...specifics,
});

describe('SqliteStore incident register', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'pk-sqlite-incidents-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('adds the register (migration 5) to a file the first release wrote, keeping and verifying its audit log', async () => {
    const file = join(dir, 'v1.db');
    const raw = new Database(file);
    raw.exec(MIGRATIONS[0] as string);
    raw.pragma('user_version = 1');
    const insert = raw.prepare(
      `INSERT INTO audit_log (seq, event, time, request_id, app_id, actor, subject, method, route, purposes, basis, categories, decision, reason, status, duration_ms, details, prev_mac, mac)
       VALUES (@seq, @event, @time, @request_id, @app_id, @actor, @subject, @method, @route, @purposes, @basis, @categories, @decision, @reason, @status, @duration_ms, @details, @prev_mac, @mac)`,
    );
    for (const row of V1_AUDIT_FIXTURE.rows) insert.run(row);
    raw.prepare('INSERT INTO audit_head (id, seq, mac, head_mac) VALUES (1, @seq, @mac, @head_mac)').run(V1_AUDIT_FIXTURE.head);
    raw.close();

    const store = createSqliteStore({ filename: file, auditKey: testVectorKey() });
    try {
      expect(store.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
      const stored = await store.appendIncidentEvent(sampleIncidentEvent({ kind: 'opened', data: { title: 't', knownAt: '2026-12-05T09:00:00+00:00' } }));
      expect(stored.seq).toBe(1);
      expect(await store.readIncidentEvents()).toEqual([stored]);
      expect(await store.verifyAudit()).toEqual(expect.objectContaining({ ok: true, checked: V1_AUDIT_FIXTURE.rows.length }));
    } finally {
      await store.close();
    }
  });

  it('adds the register to a file at schema version 4, keeping its data keys', async () => {
    const file = join(dir, 'v4.db');
    const raw = new Database(file);
    MIGRATIONS.slice(0, 4).forEach((sql) => raw.exec(sql));
    raw.pragma('user_version = 4');
    raw.prepare("INSERT INTO data_keys VALUES ('psn_a', 'k1', 'kek', 'w', '2026-01-01T00:00:00+00:00', 1)").run();
    raw.close();
    const store = createSqliteStore({ filename: file, auditKey: randomBytes(32) });
    try {
      expect(await store.currentDataKey('psn_a')).toEqual(expect.objectContaining({ keyId: 'k1' }));
      expect(store.db.prepare("SELECT name FROM sqlite_master WHERE name IN ('incident_events', 'incident_events_incident', 'incident_events_no_update', 'incident_events_no_delete') ORDER BY name").pluck().all())
        .toEqual(['incident_events', 'incident_events_incident', 'incident_events_no_delete', 'incident_events_no_update']);
    } finally {
      await store.close();
    }
  });

  it('keeps the facts as JSON text in the data column', async () => {
    const store = createSqliteStore({ filename: join(dir, 'a.db'), auditKey: randomBytes(32) });
    try {
      await store.appendIncidentEvent(sampleIncidentEvent({ data: { text: 'é', n: 1 } }));
      expect(store.db.prepare('SELECT data FROM incident_events').pluck().get()).toBe('{"text":"é","n":1}');
    } finally {
      await store.close();
    }
  });

  it('appends to an in-memory store too', async () => {
    const store = createSqliteStore({ filename: ':memory:', auditKey: randomBytes(32) });
    try {
      const stored = await store.appendIncidentEvent(sampleIncidentEvent());
      expect(await store.readIncidentEvents({ incidentId: stored.incidentId })).toEqual([stored]);
    } finally {
      await store.close();
    }
  });
});
