import { randomBytes } from 'node:crypto';
import { createFieldCipher, createPseudonymizer, deriveKey, localKeyProvider } from '@privacy-kit/core';
import { createPostgresStore, type PostgresStore } from '@privacy-kit/postgres';
import { databaseUrl, dropSchema, freshSchema, sql } from '../../postgres/test/pg-test-env';
import { Member } from './fixtures/copy-mapping';
import { FIXTURES, interruptCli, runCli, type CliRun } from './support/run-cli';

const MAPPING = `${FIXTURES}/copy-mapping.ts`;
const MEMBERS = 8;

describe('privacy-kit pseudonymize (PostgreSQL, COPY both ways)', () => {
  let app: string;
  let copy: string;
  let storeSchema: string;
  let appSecret: string;
  let copySecret: string;
  let emails: string[];
  const open: PostgresStore[] = [];

  const secrets = (): NodeJS.ProcessEnv => ({ PRIVACY_KIT_SECRET: appSecret, PRIVACY_KIT_COPY_SECRET: copySecret });
  /** The command's arguments for a copy of the app's schema into `target`. */
  const argsInto = (target: string, ...extra: string[]): string[] =>
    ['pseudonymize', '--from', databaseUrl(), '--schema', app, '--to', databaseUrl(), '--to-schema', target, '--mapping', MAPPING,
      '--store-url', databaseUrl(), '--store-schema', storeSchema, ...extra];
  const pseudonymize = (...extra: string[]): CliRun => runCli(argsInto(copy, ...extra), { env: secrets() });

  beforeEach(async () => {
    app = freshSchema();
    copy = freshSchema();
    storeSchema = freshSchema();
    appSecret = randomBytes(32).toString('base64url');
    copySecret = randomBytes(32).toString('base64url');
    const store = createPostgresStore({ connectionString: databaseUrl(), auditKey: deriveKey(appSecret, 'audit'), schema: storeSchema });
    open.push(store);
    await store.ready();
    const cipher = createFieldCipher({ keys: store, keyProvider: localKeyProvider({ secret: appSecret }) });
    const subjectOf = createPseudonymizer(deriveKey(appSecret, 'pseudonym'));
    await sql(`CREATE SCHEMA "${app}";
      CREATE TABLE "${app}".members (id text PRIMARY KEY, name text NOT NULL, email text NOT NULL, phone text, born date, note text, plan text NOT NULL);
      CREATE TABLE "${app}".visits (id integer PRIMARY KEY, member_id text NOT NULL REFERENCES "${app}".members (id), at timestamptz NOT NULL, comment text);`);
    emails = [];
    for (let n = 0; n < MEMBERS; n++) {
      const tag = randomBytes(5).toString('hex');
      const id = `member-${tag}`;
      const email = `planted-${tag}@mail.test`;
      emails.push(email, id);
      const sealed = await cipher.seal(Member, subjectOf(id), { name: `Planted Person ${tag}`, email });
      await sql(`INSERT INTO "${app}".members VALUES ($1, $2, $3, $4, $5, $6, $7)`, [id, sealed.name, sealed.email, `+49 30 ${1_000_000 + n}`, `19${60 + n}-03-1${n}`, `write to ${email}`, 'gold']);
      for (let v = 0; v <= n % 3; v++) await sql(`INSERT INTO "${app}".visits VALUES ($1, $2, now(), $3)`, [n * 10 + v, id, `by ${email}`]);
    }
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
    for (const schema of [app, copy, storeSchema]) await dropSchema(schema);
  });

  it('copies the schema and rows into another schema: no planted value survives, visits still join their member, the run is audited', async () => {
    const run = pseudonymize('--json');
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: true, source: 'postgres', target: 'postgres', findings: [] });
    const dump = JSON.stringify(await sql(`SELECT m.*, v.* FROM "${copy}".members m LEFT JOIN "${copy}".visits v ON v.member_id = m.id`));
    expect(emails.filter((value) => dump.includes(value))).toEqual([]);
    expect(dump).not.toContain('pk1.');
    const joined = await sql<{ n: string }>(`SELECT count(*) AS n FROM "${copy}".visits v JOIN "${copy}".members m ON m.id = v.member_id`);
    const visits = await sql<{ n: string }>(`SELECT count(*) AS n FROM "${app}".visits`);
    expect(joined[0]?.n).toBe(visits[0]?.n);
    // The foreign key came along (created after the rows).
    const keys = await sql(`SELECT conname FROM pg_constraint WHERE contype = 'f' AND connamespace = $1::regnamespace`, [copy]);
    expect(keys).toHaveLength(1);
    const audit = (await open[0]!.readAudit()).filter((r) => r.event === 'copy');
    expect(audit).toHaveLength(1);
    expect(audit[0]?.details).toMatchObject({ status: 'done', source: 'postgres', target: 'postgres' });
    expect(JSON.stringify(audit[0])).not.toContain(copy);
  });

  it('fails the run when the scan of the copy finds personal data in a kept column, without printing it', () => {
    const run = pseudonymize('--export', 'keepsNote');
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/members\.note: \d+ × email/);
    expect(run.stdout + run.stderr).not.toMatch(/mail\.test/);
  });

  it('refuses to copy a schema onto itself, through another host name, and writes nothing', async () => {
    const url = new URL(databaseUrl());
    url.hostname = url.hostname === '127.0.0.1' ? 'localhost' : '127.0.0.1';
    const run = runCli(['pseudonymize', '--from', databaseUrl(), '--schema', app, '--to', url.toString(), '--to-schema', app, '--mapping', MAPPING,
      '--store-url', databaseUrl(), '--store-schema', storeSchema], { env: secrets() });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/the target is the source/);
    expect(await sql(`SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1`, [app])).toEqual([{ table_name: 'members' }, { table_name: 'visits' }]);
  });

  it('stops before the target schema exists when a column is not mapped, listing it', async () => {
    await sql(`ALTER TABLE "${app}".members ADD COLUMN nickname text`);
    const run = pseudonymize();
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('members.nickname');
    expect(await sql('SELECT 1 FROM pg_namespace WHERE nspname = $1', [copy])).toEqual([]);
  });

  it('resumes an interrupted copy where it stopped, and the result is the copy an uninterrupted run makes', async () => {
    // Enough rows that the run is still copying when the first progress line shows.
    await sql(`INSERT INTO "${app}".visits SELECT 1000 + g, (SELECT id FROM "${app}".members ORDER BY id OFFSET g % ${MEMBERS} LIMIT 1), now(), NULL FROM generate_series(0, 4999) g`);
    const interrupted = await interruptCli(argsInto(copy, '--batch-size', '1'), /copying rows/, { env: secrets() });
    expect(interrupted.code).toBe(1);
    expect(interrupted.stderr).toMatch(/run the same command again to resume/);
    const copied = await sql<{ n: string }>(`SELECT count(*) AS n FROM "${copy}".visits`);
    expect(Number(copied[0]?.n)).toBeLessThan(5_000);
    const resumed = pseudonymize('--batch-size', '500', '--json');
    expect(resumed.status).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ ok: true, resumed: true });
    const once = freshSchema();
    try {
      const run = runCli(argsInto(once), { env: secrets() });
      expect(run.status).toBe(0);
      for (const table of ['members', 'visits']) {
        expect(await sql(`SELECT * FROM "${copy}".${table} ORDER BY id`)).toEqual(await sql(`SELECT * FROM "${once}".${table} ORDER BY id`));
      }
    } finally {
      await dropSchema(once);
    }
  });
});
