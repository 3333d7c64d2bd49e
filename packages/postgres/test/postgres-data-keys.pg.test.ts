import { randomBytes } from 'node:crypto';
import { describeDataKeyStoreContract, sampleDataKey } from '@privacy-kit/core/testing';
import { POSTGRES_SCHEMA_VERSION, createPostgresStore, type PostgresStore } from '@privacy-kit/postgres';
import { MIGRATIONS } from '../src/schema';
import { databaseUrl, dropSchema, freshSchema, sql } from './pg-test-env';

const schemas = new WeakMap<object, string>();

function storeOn(schema: string): PostgresStore {
  const store = createPostgresStore({ connectionString: databaseUrl(), auditKey: randomBytes(32), schema });
  schemas.set(store, schema);
  return store;
}

describeDataKeyStoreContract<PostgresStore>('PostgresStore', {
  async create() {
    const store = storeOn(freshSchema());
    await store.ready();
    return store;
  },
  // Another instance of the app: its own pool on the same schema.
  async peer(store) {
    const other = storeOn(store.schema);
    await other.ready();
    return other;
  },
  async destroy(store) {
    await dropSchema(schemas.get(store));
  },
});

describe('PostgresStore data keys', () => {
  let schema: string;
  const open: PostgresStore[] = [];
  const store = (): PostgresStore => {
    const opened = storeOn(schema);
    open.push(opened);
    return opened;
  };

  beforeEach(() => { schema = freshSchema(); });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
    await dropSchema(schema);
  });

  it('deletes the rows of a destroyed subject from the data_keys table, leaving the other subjects rows', async () => {
    const keys = store();
    await keys.addDataKey(sampleDataKey({ subject: 'psn_gone' }));
    await keys.addDataKey(sampleDataKey({ subject: 'psn_gone' }));
    const kept = sampleDataKey({ subject: 'psn_kept' });
    await keys.addDataKey(kept);
    await keys.destroyDataKeys('psn_gone');
    const rows = await sql(`SELECT subject, key_id, wrapped FROM "${schema}".data_keys ORDER BY subject`);
    expect(rows).toEqual([{ subject: 'psn_kept', key_id: kept.keyId, wrapped: kept.wrapped }]);
  });

  it('refuses a second current key for a subject in the table itself (partial unique index), whoever writes', async () => {
    const keys = store();
    const key = sampleDataKey();
    await keys.addDataKey(key);
    await expect(sql(`INSERT INTO "${schema}".data_keys (subject, key_id, kek_id, wrapped, created_at, current) VALUES ($1, 'other-id', 'kek', 'w', $2, true)`, [key.subject, key.createdAt]))
      .rejects.toEqual(expect.objectContaining({ code: '23505', constraint: 'data_keys_one_current' }));
    expect(await keys.listDataKeys({ limit: 10 })).toEqual([{ ...key, current: true }]);
  });

  it('with ifNoCurrent from many instances at once, leaves one current key that every caller gets', async () => {
    const instances = Array.from({ length: 4 }, () => store());
    const results = await Promise.all(instances.map((keys) => keys.addDataKey(sampleDataKey({ subject: 'psn_crowd' }), { ifNoCurrent: true })));
    expect(new Set(results.map((k) => k.keyId)).size).toBe(1);
    expect(await sql(`SELECT key_id FROM "${schema}".data_keys WHERE subject = 'psn_crowd'`)).toEqual([{ key_id: results[0]?.keyId }]);
  });

  it('refuses bad input before connecting: a store whose server is unreachable still answers PK_INVALID_OPTION', async () => {
    const unreachable = createPostgresStore({ connectionString: 'postgresql://127.0.0.1:1/none', auditKey: randomBytes(32), schema, connectionTimeoutMs: 200 });
    open.push(unreachable);
    await expect(unreachable.listDataKeys({ limit: 0 })).rejects.toEqual(expect.objectContaining({ code: 'PK_INVALID_OPTION' }));
    await expect(unreachable.destroyDataKeys('')).rejects.toEqual(expect.objectContaining({ code: 'PK_INVALID_OPTION' }));
    await expect(unreachable.currentDataKey('psn_a')).rejects.toEqual(expect.objectContaining({ code: 'PK_STORE_UNAVAILABLE' }));
  });

  it('adds data_keys (migration 4) to a schema of version 3, keeping what it held', async () => {
    const s = `"${schema}"`;
    await sql(`CREATE SCHEMA ${s}`);
    await sql(`CREATE TABLE ${s}.privacy_kit_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    for (const migration of MIGRATIONS.filter((m) => m.version <= 3)) {
      await sql(migration.sql(s));
      await sql(`INSERT INTO ${s}.privacy_kit_migrations (version, name) VALUES ($1, $2)`, [migration.version, migration.name]);
    }
    await sql(`INSERT INTO ${s}.rights_requests (id, kind, subject, status, created_at, updated_at, due_at, steps) VALUES ('r1', 'export', 'psn_a', 'open', 't', 't', 't', '[]')`);
    const keys = store();
    const key = sampleDataKey();
    await keys.addDataKey(key);
    expect(await keys.currentDataKey(key.subject)).toEqual({ ...key, current: true });
    expect(await keys.getRightsRequest('r1')).toEqual(expect.objectContaining({ id: 'r1' }));
    const applied = await sql<{ version: number }>(`SELECT version FROM ${s}.privacy_kit_migrations ORDER BY version`);
    // Migration 4 and every later one (5: the incident register) ran once.
    expect(applied.map((r) => r.version)).toEqual([1, 2, 3, 4, 5]);
    expect(POSTGRES_SCHEMA_VERSION).toBe(5);
  });
});
