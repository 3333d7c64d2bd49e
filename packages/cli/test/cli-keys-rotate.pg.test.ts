import { randomBytes } from 'node:crypto';
import { createFieldCipher, definePersonalData, deriveKey, localKeyProvider } from '@privacy-kit/core';
import { createPostgresStore, type PostgresStore } from '@privacy-kit/postgres';
import { databaseUrl, dropSchema, freshSchema, sql } from '../../postgres/test/pg-test-env';
import { runCli } from './support/run-cli';

class Member {
  email!: string;
}
definePersonalData(Member, 'email', { category: 'user.contact.email', encrypt: true });

describe('privacy-kit keys rotate --database-url', () => {
  let schema: string;
  let OLD: string;
  let NEW: string;
  const open: PostgresStore[] = [];
  const storeUnder = (secret: string): PostgresStore => {
    const store = createPostgresStore({ connectionString: databaseUrl(), auditKey: deriveKey(secret, 'audit'), schema });
    open.push(store);
    return store;
  };
  beforeEach(() => {
    schema = freshSchema();
    OLD = randomBytes(32).toString('base64url');
    NEW = randomBytes(32).toString('base64url');
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
    await dropSchema(schema);
  });

  it('re-wraps every data key of a PostgreSQL store under the new secret, and the values open with it alone', async () => {
    const store = storeUnder(OLD);
    const seeding = createFieldCipher({ keys: store, keyProvider: localKeyProvider({ secret: OLD }) });
    const rows = await Promise.all([0, 1, 2].map((n) => seeding.seal(Member, `psn_member-${n}`, { email: `user-${n}@example.invalid` })));
    const run = runCli(['keys', 'rotate', '--database-url', databaseUrl(), '--schema', schema, '--previous-key-env', 'OLD_SECRET', '--json'], {
      env: { OLD_SECRET: OLD, PRIVACY_KIT_SECRET: NEW },
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ keys: 3, rewrapped: 3, skipped: 0 });
    const reader = createFieldCipher({ keys: storeUnder(OLD), keyProvider: localKeyProvider({ secret: NEW }) });
    await expect(Promise.all(rows.map((row, n) => reader.open(Member, `psn_member-${n}`, row)))).resolves.toEqual([0, 1, 2].map((n) => ({ email: `user-${n}@example.invalid` })));
    expect((await storeUnder(OLD).readAudit()).filter((r) => r.event === 'keys')).toHaveLength(1);
  });

  it('never creates a store in a schema that holds none (exit 2)', async () => {
    const run = runCli(['keys', 'rotate', '--database-url', databaseUrl(), '--schema', schema, '--previous-key-env', 'OLD_SECRET'], {
      env: { OLD_SECRET: OLD, PRIVACY_KIT_SECRET: NEW },
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/holds no privacy-kit store/);
    const tables = await sql('SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = $1', [schema]);
    expect(tables).toEqual([{ n: 0 }]);
  });
});
