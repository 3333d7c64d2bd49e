import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { describeStoreContract, sampleAuditEntry } from '@privacy-kit/core/testing';
import { POSTGRES_SCHEMA_VERSION, PostgresStore, createPostgresStore } from '@privacy-kit/postgres';
import { databaseUrl, dropSchema, freshSchema, sql } from './pg-test-env';
import { postgresTamper } from './postgres-tamper';

const schemas = new WeakMap<object, string>();

describeStoreContract('PostgresStore', {
  async create() {
    const schema = freshSchema();
    const store = createPostgresStore({ connectionString: databaseUrl(), auditKey: randomBytes(32), schema });
    schemas.set(store, schema);
    await store.ready();
    return store;
  },
  // Refused before anything connects, so no schema is made.
  createWithOptions: (extra) => createPostgresStore({ connectionString: databaseUrl(), auditKey: randomBytes(32), schema: freshSchema(), ...extra }),
  tamper: (store) => postgresTamper(store as PostgresStore),
  gapFreeSeq: false,
  storesCheckpoints: true,
  async failAuditWrites(store) {
    const s = `"${(store as PostgresStore).schema}"`;
    await sql(`CREATE FUNCTION ${s}.test_audit_fails() RETURNS trigger LANGUAGE plpgsql AS $fn$ BEGIN RAISE EXCEPTION 'audit writes fail (test)'; END $fn$;
      CREATE TRIGGER test_audit_fails BEFORE INSERT ON ${s}.audit_log FOR EACH ROW EXECUTE FUNCTION ${s}.test_audit_fails()`);
  },
  async destroy(store) {
    await dropSchema(schemas.get(store));
  },
});

/** Resolves when `predicate` holds, polling every few ms; rejects after `timeoutMs`. */
async function eventually(predicate: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('PostgresStore specifics', () => {
  let schema: string;
  const open: PostgresStore[] = [];
  const storeOn = (options: { auditKey?: Buffer; schema?: string } = {}): PostgresStore => {
    const store = createPostgresStore({ connectionString: databaseUrl(), auditKey: options.auditKey ?? randomBytes(32), schema: options.schema ?? schema });
    open.push(store);
    return store;
  };

  beforeEach(() => { schema = freshSchema(); });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
    await dropSchema(schema);
  });

  describe('migrations', () => {
    it('creates the schema on start and records each migration once', async () => {
      await storeOn().ready();
      const tables = await sql<{ table_name: string }>('SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name', [schema]);
      expect(tables.map((t) => t.table_name)).toEqual(['audit_chains', 'audit_checkpoints', 'audit_log', 'consent_events', 'data_keys', 'incident_events', 'privacy_kit_migrations', 'rights_requests']);
      const applied = await sql<{ version: number }>(`SELECT version FROM "${schema}".privacy_kit_migrations ORDER BY version`);
      expect(applied.map((r) => r.version)).toEqual(Array.from({ length: POSTGRES_SCHEMA_VERSION }, (_, i) => i + 1));
    });

    it('runs safely again on restart and keeps the records and the chain', async () => {
      const key = randomBytes(32);
      const first = storeOn({ auditKey: key });
      await first.appendAudit(sampleAuditEntry());
      await first.close();
      const second = storeOn({ auditKey: key });
      const record = await second.appendAudit(sampleAuditEntry());
      expect(record.seq).toBe(2);
      expect(await second.verifyAudit()).toEqual(expect.objectContaining({ ok: true, checked: 2 }));
      expect(await sql(`SELECT version FROM "${schema}".privacy_kit_migrations`)).toHaveLength(POSTGRES_SCHEMA_VERSION);
    });

    it('lets many stores start on an empty database at once (advisory lock) and applies the schema once', async () => {
      const key = randomBytes(32);
      const stores = Array.from({ length: 6 }, () => storeOn({ auditKey: key }));
      await Promise.all(stores.map((s) => s.ready()));
      expect(await sql(`SELECT version FROM "${schema}".privacy_kit_migrations`)).toHaveLength(POSTGRES_SCHEMA_VERSION);
      await Promise.all(stores.map((s, i) => s.appendAudit(sampleAuditEntry({ requestId: `start-${i}` }))));
      expect(await stores[0]?.verifyAudit()).toEqual(expect.objectContaining({ ok: true, checked: 6 }));
    });

    it('refuses a schema written by a newer version, saying to upgrade', async () => {
      await storeOn().ready();
      await sql(`INSERT INTO "${schema}".privacy_kit_migrations (version, name) VALUES ($1, 'from the future')`, [POSTGRES_SCHEMA_VERSION + 1]);
      const newer = storeOn();
      await expect(newer.ready()).rejects.toMatchObject({ code: 'PK_STORE_UNAVAILABLE', message: expect.stringMatching(/newer than this package knows[\s\S]*Upgrade @privacy-kit\/postgres/) });
      await expect(newer.ping()).rejects.toMatchObject({ code: 'PK_STORE_UNAVAILABLE' });
    });

    it('uses an existing schema without needing the right to create schemas', async () => {
      await sql(`CREATE SCHEMA "${schema}"`);
      await sql(`DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'pk_limited') THEN CREATE ROLE pk_limited LOGIN; END IF; END $$`);
      await sql(`GRANT USAGE, CREATE ON SCHEMA "${schema}" TO pk_limited`);
      const url = new URL(databaseUrl());
      url.username = 'pk_limited';
      const limited = createPostgresStore({ connectionString: url.toString(), auditKey: randomBytes(32), schema });
      open.push(limited);
      await limited.appendAudit(sampleAuditEntry());
      expect(await limited.verifyAudit()).toEqual(expect.objectContaining({ ok: true, checked: 1 }));
      await limited.close();
      await sql(`DROP OWNED BY pk_limited CASCADE`);
    });
  });

  describe('audit chain across instances', () => {
    it('gives each of two stores (two pools) appending at the same time a gap-free chain of its own, and verifies both', async () => {
      const key = randomBytes(32);
      const a = storeOn({ auditKey: key });
      const b = storeOn({ auditKey: key });
      await Promise.all([a.ready(), b.ready()]);
      await Promise.all(Array.from({ length: 60 }, (_, i) => (i % 2 === 0 ? a : b).appendAudit(sampleAuditEntry({ requestId: `ab-${i}` }))));
      const records = await a.readAudit();
      expect(records.map((r) => r.seq)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
      expect(new Set(records.map((r) => r.requestId)).size).toBe(60);
      const chains = await sql<{ chain: string; n: string; first: string; last: string }>(
        `SELECT chain, count(*)::text AS n, min(chain_seq)::text AS first, max(chain_seq)::text AS last FROM "${schema}".audit_log GROUP BY chain`);
      expect(chains.length).toBeGreaterThanOrEqual(2);
      for (const c of chains) expect([c.first, c.last]).toEqual(['1', c.n]);
      expect(await b.verifyAudit()).toEqual(expect.objectContaining({ ok: true, checked: 60, chains: chains.length }));
    });

    it('commits concurrent appends together, and one refused entry does not fail the others', async () => {
      const store = storeOn();
      const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) =>
        store.appendAudit(sampleAuditEntry({ requestId: `g-${i}`, ...(i === 6 ? { status: 'not-a-number' as never } : {}) }))));
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled']);
      expect((await store.readAudit()).map((r) => r.requestId)).toEqual(['g-0', 'g-1', 'g-2', 'g-3', 'g-4', 'g-5', 'g-7', 'g-8', 'g-9']);
      expect(await store.verifyAudit()).toEqual(expect.objectContaining({ ok: true, checked: 9 }));
    });

    it('links each instance\'s record to that instance\'s previous one, whatever other instances appended in between', async () => {
      const key = randomBytes(32);
      const a = storeOn({ auditKey: key });
      const b = storeOn({ auditKey: key });
      expect((await a.appendAudit(sampleAuditEntry())).seq).toBe(1);
      const second = await a.appendAudit(sampleAuditEntry());
      expect(second.seq).toBe(2);
      const third = await b.appendAudit(sampleAuditEntry());
      expect(third).toEqual(expect.objectContaining({ seq: 3, prevMac: '' }));
      const fourth = await a.appendAudit(sampleAuditEntry());
      expect(fourth).toEqual(expect.objectContaining({ seq: 4, prevMac: second.mac }));
      expect(await a.verifyAudit()).toEqual(expect.objectContaining({ ok: true, checked: 4, chains: 2 }));
    });

    it('shares a chain safely when two instances end up on the same one (a lost lease): they take turns', async () => {
      const key = randomBytes(32);
      const a = createPostgresStore({ connectionString: databaseUrl(), auditKey: key, schema, auditChains: 1 });
      open.push(a);
      await a.appendAudit(sampleAuditEntry({ requestId: 'a-0' }));
      // Every lease expired: the next store claims the chain a still appends to.
      await sql(`UPDATE "${schema}".audit_chains SET lease_until = now() - interval '1 second'`);
      const b = createPostgresStore({ connectionString: databaseUrl(), auditKey: key, schema, auditChains: 1 });
      open.push(b);
      await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? a : b).appendAudit(sampleAuditEntry({ requestId: `ab-${i}` }))));
      const [shared] = await sql<{ chains: string }>(`SELECT count(DISTINCT chain)::text AS chains FROM "${schema}".audit_log`);
      expect(shared?.chains).toBe('1');
      expect(await a.verifyAudit()).toEqual(expect.objectContaining({ ok: true, checked: 31 }));
    });

    it('stores quotes, backslashes and SQL-looking text verbatim', async () => {
      const store = storeOn();
      const nasty = "it's \\ a '); DROP TABLE audit_log; -- $$ \u00e9\u4e2d\ud83d\ude00 E'\\x'";
      const entry = sampleAuditEntry({ route: nasty, reason: nasty, details: { [nasty]: nasty, n: -1.5e-7, yes: true, none: null } });
      const record = await store.appendAudit(entry);
      expect((await store.readAudit({ requestId: entry.requestId }))[0]).toEqual(record);
      expect(record).toEqual(expect.objectContaining(entry));
      expect(await store.verifyAudit()).toEqual(expect.objectContaining({ ok: true, checked: 1 }));
    });

    it('fails verification when opened with another audit key', async () => {
      await storeOn().appendAudit(sampleAuditEntry());
      expect(await storeOn().verifyAudit()).toEqual(expect.objectContaining({ ok: false, problem: 'key' }));
    });

    it('refuses to change, delete or truncate audit rows and consent events through SQL', async () => {
      const store = storeOn();
      await store.appendAudit(sampleAuditEntry());
      await store.recordConsent({ subject: 'psn_a', purpose: 'personalize.content', action: 'granted', policyVersion: 'v1', method: 'api' });
      await expect(sql(`UPDATE "${schema}".audit_log SET route = '/x'`)).rejects.toThrow(/audit_log is append-only/);
      await expect(sql(`DELETE FROM "${schema}".audit_log`)).rejects.toThrow(/audit_log is append-only/);
      await expect(sql(`TRUNCATE "${schema}".audit_log`)).rejects.toThrow(/audit_log is append-only/);
      await expect(sql(`DELETE FROM "${schema}".consent_events`)).rejects.toThrow(/consent_events is append-only/);
      await expect(sql(`UPDATE "${schema}".consent_events SET action = 'granted'`)).rejects.toThrow(/consent_events is append-only/);
      expect(await store.verifyAudit()).toEqual(expect.objectContaining({ ok: true, checked: 1 }));
    });
  });

  describe('consent watch (LISTEN/NOTIFY)', () => {
    const withdrawal = { purpose: 'personalize.content', action: 'withdrawn', policyVersion: 'v1', method: 'api' } as const;

    it("calls this instance's listeners on its own write, once", async () => {
      const store = storeOn();
      const heard: string[] = [];
      store.watchConsents((subject) => heard.push(subject));
      await store.consentWatchReady();
      await store.recordConsent({ subject: 'psn_self', ...withdrawal });
      expect(heard).toEqual(['psn_self']);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(heard).toEqual(['psn_self']);
    });

    it("delivers another instance's change to this one, and not to a store on another schema", async () => {
      const writer = storeOn();
      const reader = storeOn();
      const elsewhere = storeOn({ schema: freshSchema() });
      const heard: string[] = [];
      const heardElsewhere: string[] = [];
      reader.watchConsents((subject) => heard.push(subject));
      elsewhere.watchConsents((subject) => heardElsewhere.push(subject));
      await Promise.all([reader.consentWatchReady(), elsewhere.consentWatchReady()]);
      const started = Date.now();
      await writer.recordConsent({ subject: 'psn_remote', ...withdrawal });
      await eventually(() => heard.includes('psn_remote'), 100);
      expect(Date.now() - started).toBeLessThan(100);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(heardElsewhere).toEqual([]);
      await elsewhere.close();
      await dropSchema(elsewhere.schema);
    });

    it("delivers a consent change recorded with its audit record to this instance and another's listeners", async () => {
      const writer = storeOn();
      const reader = storeOn();
      const heardHere: string[] = [];
      const heardThere: string[] = [];
      writer.watchConsents((subject) => heardHere.push(subject));
      reader.watchConsents((subject) => heardThere.push(subject));
      await Promise.all([writer.consentWatchReady(), reader.consentWatchReady()]);
      await writer.recordConsentChange(
        [{ subject: 'psn_x', ...withdrawal }, { subject: 'psn_y', ...withdrawal }],
        sampleAuditEntry({ event: 'consent', subject: 'psn_x' }),
      );
      expect(heardHere.sort()).toEqual(['psn_x', 'psn_y']);
      await eventually(() => heardThere.length >= 2, 1000);
      expect(heardThere.sort()).toEqual(['psn_x', 'psn_y']);
    });

    it('stops calling a listener after it unsubscribes', async () => {
      const writer = storeOn();
      const reader = storeOn();
      const heard: string[] = [];
      const stop = reader.watchConsents((subject) => heard.push(subject));
      await reader.consentWatchReady();
      await writer.recordConsent({ subject: 'psn_1', ...withdrawal });
      await eventually(() => heard.length === 1, 1000);
      stop();
      await writer.recordConsent({ subject: 'psn_2', ...withdrawal });
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(heard).toEqual(['psn_1']);
    });

    it('reconnects after losing its LISTEN connection and replays the changes it missed', async () => {
      const writer = storeOn();
      const reader = storeOn();
      const heard: string[] = [];
      reader.watchConsents((subject) => heard.push(subject));
      await reader.consentWatchReady();
      // Kill the reader's LISTEN backend, then write while it is gone: the NOTIFY has nobody to reach.
      const killed = await sql<{ killed: boolean }>(
        "SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity WHERE query LIKE 'SELECT DISTINCT subject FROM \"' || $1 || '\".consent_events%' AND application_name = 'privacy-kit'",
        [schema],
      );
      expect(killed).toEqual([{ killed: true }]);
      await writer.recordConsent({ subject: 'psn_missed', ...withdrawal });
      await eventually(() => heard.includes('psn_missed'), 3000);
      await reader.consentWatchReady();
      await writer.recordConsent({ subject: 'psn_after', ...withdrawal });
      await eventually(() => heard.includes('psn_after'), 1000);
    });
  });

  describe('connections', () => {
    it('works on a borrowed pg.Pool and leaves it open on close', async () => {
      const pool = new Pool({ connectionString: databaseUrl(), max: 3 });
      pool.on('error', () => undefined);
      const store = createPostgresStore({ pool, auditKey: randomBytes(32), schema });
      await store.recordConsent({ subject: 'psn_a', purpose: 'personalize.content', action: 'granted', policyVersion: 'v1', method: 'api' });
      expect(await store.currentConsents('psn_a')).toEqual([expect.objectContaining({ granted: true })]);
      await store.close();
      expect((await pool.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
      await pool.end();
    });

    it('reports a refused statement without echoing the offending value', async () => {
      const store = storeOn();
      const failure = store.appendAudit(sampleAuditEntry({ status: 'psn_value_that_is_personal' as never }));
      await expect(failure).rejects.toMatchObject({ code: 'PK_STORE_UNAVAILABLE', message: expect.stringMatching(/^@privacy-kit\/postgres: appendAudit failed: .*SQLSTATE 22P02/) });
      await expect(failure).rejects.not.toMatchObject({ message: expect.stringContaining('psn_value_that_is_personal') });
      expect(await store.verifyAudit()).toEqual(expect.objectContaining({ ok: true, checked: 0 }));
    });
  });
});
