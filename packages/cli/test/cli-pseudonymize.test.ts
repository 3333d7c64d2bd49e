import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createFieldCipher, createPseudonymizer, deriveKey, localKeyProvider } from '@privacy-kit/core';
import { createSqliteStore, readSqliteAudit } from '@privacy-kit/sqlite';
import { sampleAuditEntry } from '@privacy-kit/core/testing';
import { Member } from './fixtures/copy-mapping';
import { FIXTURES, interruptCli, runCli, type CliRun } from './support/run-cli';

const MAPPING = `${FIXTURES}/copy-mapping.ts`;
const MEMBERS = 12;

interface Planted {
  readonly id: string;
  readonly name: string;
  readonly email: string;
  readonly phone: string;
  readonly born: string;
  readonly note: string;
}

function planted(n: number): Planted {
  const tag = randomBytes(5).toString('hex');
  return {
    id: `member-${tag}`,
    name: `Planted Person ${tag}`,
    email: `planted-${tag}@mail.test`,
    phone: `+49 30 ${String(1_000_000 + n)}`,
    born: `19${String(60 + n)}-0${1 + (n % 9)}-1${n % 10}`,
    note: `call ${tag} at planted-${tag}@mail.test`,
  };
}

describe('privacy-kit pseudonymize (SQLite)', () => {
  let dir: string;
  let source: string;
  let store: string;
  let target: string;
  let appSecret: string;
  let copySecret: string;
  let members: Planted[];

  const env = (): NodeJS.ProcessEnv => ({ PRIVACY_KIT_SECRET: appSecret, PRIVACY_KIT_COPY_SECRET: copySecret });
  const copy = (...extra: string[]): CliRun =>
    runCli(['pseudonymize', '--from', source, '--to', target, '--mapping', MAPPING, '--store', store, ...extra], { env: env() });
  const all = <T>(file: string, sql: string): T[] => {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      return db.prepare(sql).all() as T[];
    } finally {
      db.close();
    }
  };
  const bytesOf = (file: string): Buffer => Buffer.concat([readFileSync(file), ...(existsSync(`${file}-wal`) ? [readFileSync(`${file}-wal`)] : [])]);

  /** The app's database (members with sealed name and e-mail, their visits) and its privacy-kit store. */
  async function createSource(extraColumns = false): Promise<void> {
    const kit = createSqliteStore({ filename: store, auditKey: deriveKey(appSecret, 'audit') });
    const cipher = createFieldCipher({ keys: kit, keyProvider: localKeyProvider({ secret: appSecret }) });
    const subjectOf = createPseudonymizer(deriveKey(appSecret, 'pseudonym'));
    const db = new Database(source);
    try {
      db.exec(`CREATE TABLE members (id TEXT PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL, phone TEXT, born TEXT, note TEXT, plan TEXT NOT NULL${extraColumns ? ', nickname TEXT' : ''});
        CREATE TABLE visits (id INTEGER PRIMARY KEY, member_id TEXT NOT NULL, at TEXT NOT NULL, comment TEXT${extraColumns ? ', referrer TEXT' : ''});
        CREATE INDEX visits_by_member ON visits (member_id);`);
      const insertMember = db.prepare('INSERT INTO members (id, name, email, phone, born, note, plan) VALUES (?, ?, ?, ?, ?, ?, ?)');
      const insertVisit = db.prepare('INSERT INTO visits (id, member_id, at, comment) VALUES (?, ?, ?, ?)');
      let visit = 0;
      for (const [n, member] of members.entries()) {
        const sealed = await cipher.seal(Member, subjectOf(member.id), { name: member.name, email: member.email });
        insertMember.run(member.id, sealed.name, sealed.email, member.phone, member.born, member.note, n % 2 === 0 ? 'gold' : 'basic');
        for (let v = 0; v <= n % 3; v++) insertVisit.run(++visit, member.id, `2026-11-${String(10 + v).padStart(2, '0')}T10:00:00Z`, `visit by ${member.email}`);
      }
    } finally {
      db.close();
      await kit.close();
    }
  }

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pk-cli-copy-'));
    source = join(dir, 'app.db');
    store = join(dir, 'privacy-kit.db');
    target = join(dir, 'copy.db');
    appSecret = randomBytes(32).toString('base64url');
    copySecret = randomBytes(32).toString('base64url');
    members = Array.from({ length: MEMBERS }, (_, n) => planted(n));
    await createSource();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('copies every table, and no planted value, id or envelope survives in the copy', () => {
    const run = copy();
    expect(run.stderr).not.toMatch(/error/i);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/✔ copied \d+ row\(s\) of 2 table\(s\)/);
    const bytes = bytesOf(target);
    const values = members.flatMap((m) => [m.id, m.name, m.email, m.phone, m.born, m.note]);
    expect(values.filter((value) => bytes.includes(Buffer.from(value)))).toEqual([]);
    expect(bytes.includes(Buffer.from('pk1.'))).toBe(false);
    expect(all(target, 'SELECT count(*) AS n FROM members')).toEqual([{ n: MEMBERS }]);
  });

  it('gives an identifier the same pseudonym in every table, so visits still join their member', () => {
    expect(copy().status).toBe(0);
    type Row = { id: string; visits: number };
    const sql = 'SELECT m.id AS id, count(v.id) AS visits FROM members m JOIN visits v ON v.member_id = m.id GROUP BY m.id ORDER BY visits, m.id';
    const before = all<Row>(source, sql).map((r) => r.visits).sort();
    const after = all<Row>(target, sql);
    expect(after.map((r) => r.visits).sort()).toEqual(before);
    expect(after.every((r) => /^psn_/.test(r.id))).toBe(true);
  });

  it('gives the same copy again under the same copy secret, and another one under another secret', () => {
    expect(copy().status).toBe(0);
    const first = all<{ id: string; email: string }>(target, 'SELECT id, email FROM members ORDER BY id');
    rmSync(target);
    rmSync(`${target}-wal`, { force: true });
    expect(copy().status).toBe(0);
    expect(all(target, 'SELECT id, email FROM members ORDER BY id')).toEqual(first);
    rmSync(target);
    rmSync(`${target}-wal`, { force: true });
    copySecret = randomBytes(32).toString('base64url');
    expect(copy().status).toBe(0);
    const other = all<{ id: string }>(target, 'SELECT id FROM members ORDER BY id');
    expect(other.filter((row) => first.some((f) => f.id === row.id))).toEqual([]);
  });

  it('writes fakes of the right format for sealed and clear fields, keeps what is kept and drops what is dropped', () => {
    expect(copy().status).toBe(0);
    const rows = all<Record<string, string | null>>(target, 'SELECT * FROM members');
    for (const row of rows) {
      expect(row.email).toMatch(/^[^@\s]+@example\.(com|net|org)$/);
      expect(row.name).toMatch(/^\S+ \S+/);
      expect(row.born).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(row.note).not.toMatch(/@mail\.test/);
    }
    expect(rows.map((r) => r.plan).sort()).toEqual(all<{ plan: string }>(source, 'SELECT plan FROM members').map((r) => r.plan).sort());
    expect(all<{ name: string }>(target, 'SELECT name FROM pragma_table_info(\'visits\')').map((c) => c.name)).toEqual(['id', 'member_id', 'at']);
    expect(all(target, "SELECT name FROM sqlite_schema WHERE type = 'index' AND name = 'visits_by_member'")).toHaveLength(1);
  });

  it('stops before the target exists when columns are not mapped, listing every one of them', async () => {
    rmSync(source);
    await createSource(true);
    const run = copy();
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('members.nickname');
    expect(run.stderr).toContain('visits.referrer');
    expect(existsSync(target)).toBe(false);
  });

  it('names a column of the mapping that the database lacks, with the closest column', () => {
    const run = copy('--export', 'withTypo');
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/emial/);
    expect(run.stderr).toMatch(/email/);
    expect(existsSync(target)).toBe(false);
  });

  it('refuses to copy onto the source, also through a symbolic link, and leaves the source as it was', () => {
    const before = readFileSync(source);
    const link = join(dir, 'link.db');
    symlinkSync(source, link);
    const run = runCli(['pseudonymize', '--from', source, '--to', link, '--mapping', MAPPING, '--store', store], { env: env() });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/the target is the source/);
    expect(readFileSync(source).equals(before)).toBe(true);
  });

  it('refuses a target that holds other data', () => {
    const other = new Database(target);
    other.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)');
    other.close();
    const run = copy();
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/empty|other data|not an unfinished/i);
    expect(all(target, 'SELECT name FROM sqlite_schema WHERE type = \'table\'')).toEqual([{ name: 'notes' }]);
  });

  it('fails the run when the scan of the copy finds personal data in a kept column, without printing it', () => {
    const run = copy('--export', 'keepsNote');
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/members\.note: \d+ × email/);
    expect(run.stdout + run.stderr).not.toMatch(/mail\.test/);
  });

  it("appends an audit record of each run to the app's store: tables, row counts, key id, the target's kind", async () => {
    expect(copy().status).toBe(0);
    const records = (await readSqliteAudit({ filename: store })).filter((r) => r.event === 'copy');
    expect(records).toHaveLength(1);
    const visits = all<{ n: number }>(source, 'SELECT count(*) AS n FROM visits')[0]?.n ?? 0;
    expect(records[0]?.details).toMatchObject({ operation: 'pseudonymize', status: 'done', source: 'sqlite', target: 'sqlite', rows: MEMBERS + visits, tables: `members=${MEMBERS}, visits=${visits}` });
    expect(String(records[0]?.details?.keyId)).toMatch(/\S/);
    expect(JSON.stringify(records[0])).not.toContain(dir);
  });

  it('stops with exit 4 and writes nothing when the store is keyed with another secret', async () => {
    const kit = createSqliteStore({ filename: store, auditKey: deriveKey(appSecret, 'audit') });
    await kit.appendAudit(sampleAuditEntry());
    await kit.close();
    const run = runCli(['pseudonymize', '--from', source, '--to', target, '--mapping', MAPPING, '--store', store], {
      env: { PRIVACY_KIT_SECRET: randomBytes(32).toString('base64url'), PRIVACY_KIT_COPY_SECRET: copySecret },
    });
    expect(run.status).toBe(4);
    expect(existsSync(target)).toBe(false);
  });

  it("stops before anything is written when the app's secret does not open the sealed fields", async () => {
    const other = randomBytes(32).toString('base64url');
    const run = runCli(['pseudonymize', '--from', source, '--to', target, '--mapping', MAPPING, '--store', store], {
      env: { PRIVACY_KIT_SECRET: other, PRIVACY_KIT_COPY_SECRET: copySecret },
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/data keys are wrapped under key-encryption key/);
    expect(existsSync(target)).toBe(false);
  });

  it("refuses the app's secret as the copy secret", () => {
    copySecret = appSecret;
    const run = copy();
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/same secret/);
    expect(existsSync(target)).toBe(false);
  });

  it('--dry-run prints what every column becomes and writes nothing', () => {
    const run = copy('--dry-run');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/members/);
    expect(run.stdout).toMatch(/email/);
    expect(run.stdout).toMatch(/keep/);
    expect(existsSync(target)).toBe(false);
  });

  it('resumes an interrupted copy where it stopped, and the result is the copy an uninterrupted run makes', async () => {
    // Enough rows that the run is still copying when the first progress line shows.
    const db = new Database(source);
    const insert = db.prepare('INSERT INTO visits (id, member_id, at, comment) VALUES (?, ?, ?, ?)');
    db.transaction(() => {
      for (let i = 0; i < 5_000; i++) insert.run(1000 + i, (members[i % MEMBERS] as Planted).id, '2026-11-20T10:00:00Z', null);
    })();
    db.close();
    const interrupted = await interruptCli(['pseudonymize', '--from', source, '--to', target, '--mapping', MAPPING, '--store', store, '--batch-size', '1'], /copying rows/, { env: env() });
    expect(interrupted.code).toBe(1);
    expect(interrupted.stderr).toMatch(/run the same command again to resume/);
    const resumed = copy('--batch-size', '50', '--json');
    expect(resumed.status).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ ok: true, resumed: true });
    const once = join(dir, 'once.db');
    expect(runCli(['pseudonymize', '--from', source, '--to', once, '--mapping', MAPPING, '--store', store], { env: env() }).status).toBe(0);
    for (const sql of ['SELECT * FROM members ORDER BY id', 'SELECT * FROM visits ORDER BY id']) expect(all(target, sql)).toEqual(all(once, sql));
  });

  it('names a mapping module that exports no mapping, and what it exports', () => {
    const module = join(dir, 'empty-mapping.js');
    writeFileSync(module, 'exports.somethingElse = 1;\n');
    const run = runCli(['pseudonymize', '--from', source, '--to', target, '--mapping', module, '--store', store], { env: env() });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/exports no mapping \(it exports: somethingElse\)/);
  });
});
