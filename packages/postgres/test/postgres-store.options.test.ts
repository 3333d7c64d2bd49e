import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { Pool } from 'pg';
import { DEFAULT_POSTGRES_SCHEMA, createPostgresStore, resolvePostgresStoreOptions } from '@privacy-kit/postgres';

// These run without a server (they are part of `npm test`): options are checked before anything connects.

const auditKey = randomBytes(32);

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('createPostgresStore options', () => {
  it('applies the defaults', () => {
    expect(resolvePostgresStoreOptions({ connectionString: 'postgres://u@127.0.0.1/db', auditKey })).toEqual(
      expect.objectContaining({ schema: DEFAULT_POSTGRES_SCHEMA, max: 10, connectionTimeoutMs: 5000, auditChains: 1, pool: undefined }),
    );
  });

  it('needs exactly one of connectionString and pool, and says which to pass', () => {
    expect(() => createPostgresStore({ auditKey })).toThrow(
      expect.objectContaining({ code: 'PK_INVALID_OPTION', message: expect.stringMatching(/^@privacy-kit\/postgres: pass exactly one of 'connectionString' \(e\.g\. process\.env\.DATABASE_URL\) and 'pool'/) }),
    );
    const pool = new Pool();
    expect(() => createPostgresStore({ auditKey, pool, connectionString: 'postgres://u@127.0.0.1/db' })).toThrow(/exactly one/);
    void pool.end();
  });

  it('refuses an empty connection string, hinting at DATABASE_URL', () => {
    expect(() => createPostgresStore({ auditKey, connectionString: '' })).toThrow(/'connectionString' must be a non-empty string[\s\S]*DATABASE_URL/);
  });

  it('refuses something that is not a pg.Pool', () => {
    expect(() => createPostgresStore({ auditKey, pool: {} as never })).toThrow(/'pool' must be a pg\.Pool/);
  });

  it('suggests a valid schema name for an invalid one', () => {
    expect(() => createPostgresStore({ auditKey, connectionString: 'postgres://u@127.0.0.1/db', schema: 'privacy-kit' })).toThrow(
      expect.objectContaining({ code: 'PK_INVALID_OPTION', message: expect.stringContaining("got 'privacy-kit'. Did you mean 'privacy_kit'?") }),
    );
  });

  it('names the option meant by a misspelt one', () => {
    expect(() => createPostgresStore({ auditKey, url: 'postgres://u@127.0.0.1/db' } as never)).toThrow("createPostgresStore(): unknown option 'url'. Did you mean 'connectionString'?");
  });

  it('refuses a pool size that is not a positive whole number', () => {
    expect(() => createPostgresStore({ auditKey, connectionString: 'postgres://u@127.0.0.1/db', max: 0 })).toThrow(/'max' must be a positive whole number; got 0/);
  });

  describe('TLS in production', () => {
    const before = process.env.NODE_ENV;
    beforeEach(() => { process.env.NODE_ENV = 'production'; });
    afterEach(() => { process.env.NODE_ENV = before; });

    it('refuses a connection string without TLS, saying how to add it or how to opt out', () => {
      expect(() => resolvePostgresStoreOptions({ connectionString: 'postgres://u@db.internal/app', auditKey })).toThrow(
        expect.objectContaining({ code: 'PK_INVALID_OPTION', message: expect.stringMatching(/not encrypted, and NODE_ENV=production: add \?sslmode=verify-full&sslrootcert=[\s\S]*ssl: false explicitly/) }),
      );
    });

    it('takes a connection string that asks for TLS, TLS options, or an explicit ssl: false', () => {
      expect(resolvePostgresStoreOptions({ connectionString: 'postgres://u@db.internal/app?sslmode=verify-full', auditKey }).ssl).toBeUndefined();
      expect(resolvePostgresStoreOptions({ connectionString: 'postgres://u@db.internal/app', auditKey, ssl: { rejectUnauthorized: true } }).ssl).toEqual({ rejectUnauthorized: true });
      expect(resolvePostgresStoreOptions({ connectionString: 'postgres://u@127.0.0.1/app', auditKey, ssl: false }).ssl).toBe(false);
    });

    it('refuses a borrowed pool without ssl', async () => {
      const pool = new Pool({ connectionString: 'postgres://u@db.internal/app' });
      expect(() => resolvePostgresStoreOptions({ pool, auditKey })).toThrow(/not encrypted/);
      await pool.end();
    });
  });

  it('refuses more audit chains than the pool leaves connections for, saying what to change', () => {
    expect(() => createPostgresStore({ auditKey, connectionString: 'postgres://u@127.0.0.1/db', max: 4, auditChains: 4 })).toThrow(
      expect.objectContaining({ code: 'PK_INVALID_OPTION', message: expect.stringMatching(/'auditChains' \(4\) must be smaller than 'max' \(4\)[\s\S]*Lower auditChains or raise max/) }),
    );
    expect(() => createPostgresStore({ auditKey, connectionString: 'postgres://u@127.0.0.1/db', auditChains: 0 })).toThrow(/'auditChains' must be a positive whole number; got 0/);
  });

  it('refuses a short audit key with a message that says how to make one', () => {
    expect(() => createPostgresStore({ connectionString: 'postgres://u@127.0.0.1/db', auditKey: 'short' })).toThrow(
      expect.objectContaining({ code: 'PK_AUDIT_KEY', message: expect.stringMatching(/at least 32 bytes[\s\S]*randomBytes/) }),
    );
  });
});

describe('PostgresStore without a reachable server', () => {
  it('fails operations with PK_STORE_UNAVAILABLE and never shows the password', async () => {
    const port = await closedPort();
    const store = createPostgresStore({ connectionString: `postgres://app:hunter2-secret@127.0.0.1:${port}/db`, auditKey, connectionTimeoutMs: 2000 });
    const failure = store.ping();
    await expect(failure).rejects.toMatchObject({
      code: 'PK_STORE_UNAVAILABLE',
      message: expect.stringMatching(/^@privacy-kit\/postgres: ping failed: connect ECONNREFUSED 127\.0\.0\.1:\d+\. Check that PostgreSQL is running/),
    });
    const error = await failure.catch((err: Error) => err);
    expect(JSON.stringify(error)).not.toContain('hunter2');
    expect(String((error as Error).message)).not.toContain('hunter2');
    await expect(store.appendAudit({
      event: 'access', time: new Date().toISOString(), requestId: 'r', appId: 'a', actor: null, subject: null, method: 'GET', route: '/',
      purposes: [], basis: null, categories: [], decision: 'allowed', reason: null, status: null, durationMs: null,
    })).rejects.toMatchObject({ code: 'PK_STORE_UNAVAILABLE' });
    await store.close();
  });

  it('refuses an invalid consent event, or a subject too long to be a pseudonym, before touching the database', async () => {
    const store = createPostgresStore({ connectionString: `postgres://app@127.0.0.1:${await closedPort()}/db`, auditKey });
    const event = { subject: 'psn_a', purpose: 'personalize.content', action: 'granted', policyVersion: 'v1', method: 'api' } as const;
    await expect(store.recordConsent({ ...event, action: 'maybe' as never })).rejects.toMatchObject({ code: 'PK_INVALID_OPTION', message: expect.stringContaining("'action' must be one of") });
    await expect(store.recordConsent({ ...event, subject: 'x'.repeat(5000) })).rejects.toMatchObject({
      code: 'PK_INVALID_OPTION',
      message: "@privacy-kit/postgres: refused consent event: 'subject' is longer than 4096 bytes; pass the subject's pseudonym, not raw data. Nothing was stored.",
    });
    await store.close();
  });

  it('rejects every operation after close with PK_STORE_CLOSED', async () => {
    const store = createPostgresStore({ connectionString: `postgres://app@127.0.0.1:${await closedPort()}/db`, auditKey });
    await store.close();
    await expect(store.ping()).rejects.toMatchObject({ code: 'PK_STORE_CLOSED', message: expect.stringContaining('Create a new store') });
    await expect(store.currentConsents('psn_a')).rejects.toMatchObject({ code: 'PK_STORE_CLOSED' });
    expect(() => store.watchConsents(() => undefined)).toThrow(expect.objectContaining({ code: 'PK_STORE_CLOSED' }));
  });
});
