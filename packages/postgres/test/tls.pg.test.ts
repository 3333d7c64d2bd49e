import { randomBytes } from 'node:crypto';
import { createPostgresStore, type PostgresStore } from '@privacy-kit/postgres';
import { databaseUrl, dropSchema, freshSchema } from './pg-test-env';

// The throwaway server of scripts/with-postgres.sh runs with TLS (a CA and a certificate made for the run), and the
// store reaches it verifying that certificate (DATABASE_URL carries sslmode=verify-full and the CA).

describe('PostgreSQL over TLS', () => {
  let schema: string;
  let store: PostgresStore | undefined;
  beforeEach(() => { schema = freshSchema(); });
  afterEach(async () => {
    await store?.close();
    await dropSchema(schema);
  });

  it('connects with TLS, verifying the server certificate against the CA of the run', async () => {
    expect(databaseUrl()).toMatch(/sslmode=verify-full/);
    store = createPostgresStore({ connectionString: databaseUrl(), auditKey: randomBytes(32), schema });
    await store.ready();
    const { rows } = await store.pool.query<{ ssl: boolean; version: string }>('SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()');
    expect(rows[0]).toEqual(expect.objectContaining({ ssl: true, version: expect.stringMatching(/^TLS/) }));
  });

  it('refuses a server whose certificate the given CA did not sign', async () => {
    const url = new URL(databaseUrl());
    url.searchParams.delete('sslrootcert');
    store = createPostgresStore({ connectionString: url.toString(), auditKey: randomBytes(32), schema, connectionTimeoutMs: 2000 });
    await expect(store.ready()).rejects.toMatchObject({ code: 'PK_STORE_UNAVAILABLE' });
  });
});
