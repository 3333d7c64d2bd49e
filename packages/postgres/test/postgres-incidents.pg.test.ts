import { randomBytes } from 'node:crypto';
import { describeIncidentStoreContract, sampleIncidentEvent } from '@privacy-kit/core/testing';
import { createPostgresStore, type PostgresStore } from '@privacy-kit/postgres';
import { MIGRATIONS } from '../src/schema';
import { databaseUrl, dropSchema, freshSchema, sql } from './pg-test-env';

const schemas = new WeakMap<object, string>();

function storeOn(schema: string): PostgresStore {
  const store = createPostgresStore({ connectionString: databaseUrl(), auditKey: randomBytes(32), schema });
  schemas.set(store, schema);
  return store;
}

describeIncidentStoreContract<PostgresStore>('PostgresStore', {
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
  // Someone with database access: a connection of their own, the table resolved in the store's schema.
  async tamper(store, statement) {
    await sql(`SET search_path TO "${store.schema}"; ${statement}`);
  },
  async destroy(store) {
    await dropSchema(schemas.get(store));
  },
});

describe('PostgresStore incident register', () => {
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

  it('refuses a TRUNCATE of incident_events and keeps every event', async () => {
    const register = store();
    const stored = await register.appendIncidentEvent(sampleIncidentEvent());
    await expect(sql(`TRUNCATE "${schema}".incident_events`)).rejects.toThrow(/incident_events is append-only/);
    expect(await register.readIncidentEvents()).toEqual([stored]);
  });

  it('adds incident_events (migration 5) to a schema of version 4, keeping what it held', async () => {
    const s = `"${schema}"`;
    await sql(`CREATE SCHEMA ${s}`);
    await sql(`CREATE TABLE ${s}.privacy_kit_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    for (const migration of MIGRATIONS.filter((m) => m.version <= 4)) {
      await sql(migration.sql(s));
      await sql(`INSERT INTO ${s}.privacy_kit_migrations (version, name) VALUES ($1, $2)`, [migration.version, migration.name]);
    }
    await sql(`INSERT INTO ${s}.data_keys VALUES ('psn_a', 'k1', 'kek', 'w', '2026-01-01T00:00:00+00:00', true)`);
    const register = store();
    const stored = await register.appendIncidentEvent(sampleIncidentEvent());
    expect(stored.seq).toBe(1);
    expect(await register.currentDataKey('psn_a')).toEqual(expect.objectContaining({ keyId: 'k1' }));
    const applied = await sql<{ version: number }>(`SELECT version FROM ${s}.privacy_kit_migrations ORDER BY version`);
    expect(applied.map((r) => r.version)).toEqual([1, 2, 3, 4, 5]);
  });

  it('keeps the facts as the JSON text given in the data column', async () => {
    await store().appendIncidentEvent(sampleIncidentEvent({ data: { z: 1, a: 'é' } }));
    expect(await sql(`SELECT data FROM "${schema}".incident_events`)).toEqual([{ data: '{"z":1,"a":"é"}' }]);
  });

  it('refuses bad input before it connects: a store whose server is away still says what is wrong', async () => {
    const away = createPostgresStore({ connectionString: 'postgres://nobody@127.0.0.1:1/none', auditKey: randomBytes(32), schema: freshSchema(), connectionTimeoutMs: 200 });
    try {
      await expect(away.appendIncidentEvent(sampleIncidentEvent({ incidentId: '' }))).rejects.toMatchObject({ code: 'PK_INVALID_OPTION' });
    } finally {
      await away.close();
    }
  });
});
