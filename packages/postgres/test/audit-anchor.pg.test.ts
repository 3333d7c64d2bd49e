import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readAuditCheckpoints, type AuditCheckpoint } from '@privacy-kit/core';
import { V1_AUDIT_FIXTURE, sampleAuditEntry, testVectorKey } from '@privacy-kit/core/testing';
import { createPostgresStore, verifyPostgresAudit, type PostgresStore } from '@privacy-kit/postgres';
import { MIGRATIONS } from '../src/schema';
import { databaseUrl, dropSchema, freshSchema, sql } from './pg-test-env';

/** A schema exactly as the first release left it: migration 1 only, the fixture's records and format 1 head. */
async function writeV1Schema(schema: string): Promise<void> {
  const s = `"${schema}"`;
  await sql(`CREATE SCHEMA ${s}`);
  await sql(`CREATE TABLE ${s}.privacy_kit_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
  await sql((MIGRATIONS[0] as (typeof MIGRATIONS)[number]).sql(s));
  await sql(`INSERT INTO ${s}.privacy_kit_migrations (version, name) VALUES (1, 'consents, audit chain, rights requests')`);
  for (const r of V1_AUDIT_FIXTURE.rows) {
    await sql(
      `INSERT INTO ${s}.audit_log (seq, event, time, request_id, app_id, actor, subject, method, route, purposes, basis, categories, decision, reason, status, duration_ms, details, prev_mac, mac)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11, $12::jsonb, $13, $14, $15, $16, $17::jsonb, $18, $19)`,
      [r.seq, r.event, r.time, r.request_id, r.app_id, r.actor, r.subject, r.method, r.route, r.purposes, r.basis, r.categories, r.decision, r.reason, r.status, r.duration_ms, r.details, r.prev_mac, r.mac],
    );
  }
  const h = V1_AUDIT_FIXTURE.head;
  await sql(`INSERT INTO ${s}.audit_head (id, seq, mac, head_mac) VALUES (1, $1, $2, $3)`, [h.seq, h.mac, h.head_mac]);
}

describe('PostgresStore audit head and anchors', () => {
  let schema: string;
  const open: PostgresStore[] = [];
  beforeEach(() => { schema = freshSchema(); });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
    await dropSchema(schema);
  });
  const storeOn = (auditKey: Buffer, extra: Partial<Parameters<typeof createPostgresStore>[0]> = {}): PostgresStore => {
    const store = createPostgresStore({ connectionString: databaseUrl(), auditKey, schema, ...extra });
    open.push(store);
    return store;
  };

  describe('a log written by the first release (format 1 head)', () => {
    it('is verified read-only as it is, without migrating it', async () => {
      await writeV1Schema(schema);
      expect(await verifyPostgresAudit({ connectionString: databaseUrl(), auditKey: testVectorKey(), schema })).toEqual(expect.objectContaining({ ok: true, checked: 5, head: { version: 1, seq: 5 } }));
      expect(await sql(`SELECT version FROM "${schema}".privacy_kit_migrations`)).toEqual([{ version: 1 }]);
    });

    it('is migrated, verifies, and goes on with a format 2 head', async () => {
      await writeV1Schema(schema);
      const store = storeOn(testVectorKey());
      expect(await store.verifyAudit()).toEqual(expect.objectContaining({ ok: true, checked: 5 }));
      const record = await store.appendAudit(sampleAuditEntry());
      expect(record).toEqual(expect.objectContaining({ seq: 6, prevMac: V1_AUDIT_FIXTURE.head.mac }));
      expect(await store.verifyAudit()).toEqual(expect.objectContaining({ ok: true, checked: 6, head: expect.objectContaining({ version: 2, count: 6 }) }));
    });
  });

  it('makes an instance of an earlier version fail closed after the upgrade to chains per writer: its append is refused, nothing is written', async () => {
    const key = randomBytes(32);
    const store = storeOn(key);
    await store.appendAudit(sampleAuditEntry());
    const entry = sampleAuditEntry({ requestId: 'old-writer' });
    // What the serialized releases did first: lock, read the single head; that table is gone, so the append fails.
    await expect(sql(`SELECT seq, mac FROM "${schema}".audit_head WHERE id = 1`)).rejects.toThrow(/audit_head/);
    await expect(sql(
      `INSERT INTO "${schema}".audit_log (seq, event, time, request_id, app_id, actor, subject, method, route, purposes, basis, categories, decision, reason, status, duration_ms, details, prev_mac, mac)
       VALUES (2, $1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10, $11::jsonb, $12, $13, $14, $15, NULL, '', 'x')`,
      [entry.event, entry.time, entry.requestId, entry.appId, entry.actor, entry.subject, entry.method, entry.route, JSON.stringify(entry.purposes), entry.basis,
        JSON.stringify(entry.categories), entry.decision, entry.reason, entry.status, entry.durationMs],
    )).rejects.toThrow(/chain/);
    expect(await store.verifyAudit()).toEqual(expect.objectContaining({ ok: true, checked: 1 }));
  });

  describe('one chain per writer', () => {
    const twoWriters = async (key: Buffer): Promise<[PostgresStore, PostgresStore]> => {
      const a = storeOn(key, { auditChains: 1 });
      const b = storeOn(key, { auditChains: 1 });
      for (let i = 0; i < 3; i++) {
        await a.appendAudit(sampleAuditEntry({ requestId: `a-${i}` }));
        await b.appendAudit(sampleAuditEntry({ requestId: `b-${i}` }));
      }
      return [a, b];
    };
    const chainOf = async (requestId: string): Promise<string> =>
      (await sql<{ chain: string }>(`SELECT chain FROM "${schema}".audit_log WHERE request_id = $1`, [requestId]))[0]?.chain ?? '';
    const unguard = (): Promise<unknown> => sql(`DROP TRIGGER audit_log_append_only ON "${schema}".audit_log; DROP TRIGGER audit_checkpoints_append_only ON "${schema}".audit_checkpoints`);

    it('names the chain and the position in it of a changed record', async () => {
      const key = randomBytes(32);
      await twoWriters(key);
      const chain = await chainOf('b-1');
      await unguard();
      await sql(`UPDATE "${schema}".audit_log SET route = '/elsewhere' WHERE request_id = 'b-1'`);
      const report = await verifyPostgresAudit({ connectionString: databaseUrl(), auditKey: key, schema });
      expect(report).toEqual(expect.objectContaining({ ok: false, problem: 'changed', chain, firstBadSeq: 2, chains: 2 }));
      expect(report.message).toContain(`Audit chain '${chain}' broken at position 2`);
    });

    it('finds a whole chain removed, records and registry entry, by the checkpoint the store keeps', async () => {
      const key = randomBytes(32);
      const [a] = await twoWriters(key);
      await a.checkpoint();
      const chain = await chainOf('b-0');
      await unguard();
      await sql(`DELETE FROM "${schema}".audit_log WHERE chain = $1`, [chain]);
      await sql(`DELETE FROM "${schema}".audit_chains WHERE chain = $1`, [chain]);
      expect(await verifyPostgresAudit({ connectionString: databaseUrl(), auditKey: key, schema })).toEqual(expect.objectContaining({ ok: false, problem: 'deleted', chain, firstBadSeq: 1 }));
    });

    it('finds a chain removed together with the stored checkpoints, given the published checkpoint', async () => {
      const key = randomBytes(32);
      const [a] = await twoWriters(key);
      const published = await a.checkpoint();
      const chain = await chainOf('b-0');
      await unguard();
      await sql(`DELETE FROM "${schema}".audit_log WHERE chain = $1`, [chain]);
      await sql(`DELETE FROM "${schema}".audit_chains WHERE chain = $1`, [chain]);
      await sql(`DELETE FROM "${schema}".audit_checkpoints`);
      expect(await verifyPostgresAudit({ connectionString: databaseUrl(), auditKey: key, schema })).toEqual(expect.objectContaining({ ok: true, checked: 3 }));
      expect(await verifyPostgresAudit({ connectionString: databaseUrl(), auditKey: key, schema, ...(published === undefined ? {} : { checkpoint: published }) }))
        .toEqual(expect.objectContaining({ ok: false, problem: 'checkpoint' }));
    });

    it('reports the records of a chain whose registry entry was removed as a chain without its head', async () => {
      const key = randomBytes(32);
      await twoWriters(key);
      const chain = await chainOf('a-0');
      await sql(`DELETE FROM "${schema}".audit_chains WHERE chain = $1`, [chain]);
      expect(await verifyPostgresAudit({ connectionString: databaseUrl(), auditKey: key, schema })).toEqual(expect.objectContaining({ ok: false, problem: 'head', chain }));
    });

    it('reports a forged stored checkpoint', async () => {
      const key = randomBytes(32);
      const [a] = await twoWriters(key);
      await a.checkpoint();
      await unguard();
      await sql(`UPDATE "${schema}".audit_checkpoints SET count = count + 1`);
      expect(await verifyPostgresAudit({ connectionString: databaseUrl(), auditKey: key, schema })).toEqual(expect.objectContaining({ ok: false, problem: 'checkpoint' }));
    });

    it('gives its chain back on close, and the next instance goes on with it instead of adding one', async () => {
      const key = randomBytes(32);
      const first = storeOn(key, { auditChains: 1 });
      const one = await first.appendAudit(sampleAuditEntry());
      await first.close();
      const next = storeOn(key, { auditChains: 1 });
      expect(await next.appendAudit(sampleAuditEntry())).toEqual(expect.objectContaining({ prevMac: one.mac }));
      expect(await sql(`SELECT chain FROM "${schema}".audit_chains`)).toHaveLength(1);
    });
  });

  describe('verifyPostgresAudit (read-only)', () => {
    it('reports a schema without the audit tables as missing, and creates nothing', async () => {
      const report = await verifyPostgresAudit({ connectionString: databaseUrl(), auditKey: randomBytes(32), schema, allowEmpty: true });
      expect(report).toEqual(expect.objectContaining({ ok: false, problem: 'missing' }));
      expect(await sql('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema])).toEqual([]);
    });

    it('reports an empty log as empty unless allowed', async () => {
      const key = randomBytes(32);
      await storeOn(key).ready();
      expect(await verifyPostgresAudit({ connectionString: databaseUrl(), auditKey: key, schema })).toEqual(expect.objectContaining({ ok: false, problem: 'empty' }));
      expect(await verifyPostgresAudit({ connectionString: databaseUrl(), auditKey: key, schema, allowEmpty: true })).toEqual(expect.objectContaining({ ok: true, checked: 0 }));
    });

    it('reports a wrong key as a wrong key', async () => {
      const store = storeOn(randomBytes(32));
      await store.appendAudit(sampleAuditEntry());
      expect(await verifyPostgresAudit({ connectionString: databaseUrl(), auditKey: randomBytes(32), schema })).toEqual(expect.objectContaining({ ok: false, problem: 'key' }));
    });

    it('catches truncation with an older head put back, given a checkpoint', async () => {
      const key = randomBytes(32);
      const store = storeOn(key);
      for (let i = 0; i < 4; i++) await store.appendAudit(sampleAuditEntry());
      const [olderHead] = await sql(`SELECT * FROM "${schema}".audit_chains`);
      for (let i = 0; i < 3; i++) await store.appendAudit(sampleAuditEntry());
      const checkpoint = await store.checkpoint();
      await sql(`DROP TRIGGER audit_log_append_only ON "${schema}".audit_log`);
      await sql(`DELETE FROM "${schema}".audit_log WHERE chain_seq > 4`);
      await sql(`UPDATE "${schema}".audit_chains SET seq = $1, mac = $2, head_mac = $3, count = $4, time = $5 WHERE chain = $6`,
        [olderHead?.seq, olderHead?.mac, olderHead?.head_mac, olderHead?.count, olderHead?.time, olderHead?.chain]);
      expect(await verifyPostgresAudit({ connectionString: databaseUrl(), auditKey: key, schema, ...(checkpoint === undefined ? {} : { checkpoint }) }))
        .toEqual(expect.objectContaining({ ok: false, problem: 'truncated', firstBadSeq: 5 }));
    });

    it('says the server is unreachable with a store error', async () => {
      await expect(verifyPostgresAudit({ connectionString: 'postgres://privacy:kit@127.0.0.1:1/none', auditKey: randomBytes(32) })).rejects.toMatchObject({ code: 'PK_STORE_UNAVAILABLE' });
    });
  });

  describe('checkpoints', () => {
    let dir: string;
    beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'pk-pg-cp-')); });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('appends a signed checkpoint every `every` records to the file, and a last one on close', async () => {
      const key = randomBytes(32);
      const file = join(dir, 'checkpoints.jsonl');
      const store = storeOn(key, { checkpoints: { file, every: 3, intervalMs: 0 } });
      for (let i = 0; i < 7; i++) await store.appendAudit(sampleAuditEntry());
      await store.close();
      const text = readFileSync(file, 'utf8');
      expect(text.trim().split('\n').map((l) => (JSON.parse(l) as AuditCheckpoint).seq)).toEqual([3, 6, 7]);
      expect(readAuditCheckpoints(text, key)).toEqual(expect.objectContaining({ valid: 3, problems: [] }));
    });
  });
});
