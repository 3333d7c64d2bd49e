import { randomBytes } from 'node:crypto';
import { linkSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from '@jest/globals';
import type { CopySource, CopyTableSpec, CopyTarget } from '@privacy-kit/core';
import { COPY_CONTRACT_FIXTURE } from '@privacy-kit/core/testing';
import { SQLITE_STORE_TABLES, createSqliteStore, openSqliteCopySource, openSqliteCopyTarget } from '@privacy-kit/sqlite';
import { MIGRATIONS } from '../../src/schema';
import { TempFiles, writeFixture } from './sqlite-copy-harness';

const files = new TempFiles();
const opened: { close(): Promise<void> }[] = [];

afterEach(async () => {
  for (const value of opened.splice(0)) await value.close();
  files.cleanup();
});

async function source(file: string): Promise<CopySource> {
  const value = await openSqliteCopySource(file);
  opened.push(value);
  return value;
}

async function target(file: string): Promise<CopyTarget> {
  const value = await openSqliteCopyTarget(file);
  opened.push(value);
  return value;
}

/** A database file made by `sql`. */
function database(sql: string, fill?: (db: Database.Database) => void): string {
  const file = files.path('source');
  const db = new Database(file);
  db.exec(sql);
  fill?.(db);
  db.close();
  return file;
}

function fixtureFile(): string {
  const file = files.path('source');
  writeFixture(file, COPY_CONTRACT_FIXTURE);
  return file;
}

async function rowsOf(from: CopySource, table: string, batchSize = 100, after?: string): Promise<unknown[][]> {
  const rows: unknown[][] = [];
  for await (const batch of from.read(table, after === undefined ? { batchSize } : { batchSize, after })) rows.push(...batch.rows.map((r) => [...r]));
  return rows;
}

const PROGRESS = { fingerprint: 'f', tables: [] };

/** Copies every table of `file` (with the dropped columns) into a new file; returns the new file. */
async function copy(file: string, dropped: Readonly<Record<string, readonly string[]>> = {}): Promise<string> {
  const from = await source(file);
  const out = files.path('target');
  const to = await target(out);
  const specs: CopyTableSpec[] = (await from.tables()).map((t) => ({ name: t.name, dropped: dropped[t.name] ?? [], columns: t.columns.map((c) => c.name).filter((c) => !(dropped[t.name] ?? []).includes(c)) }));
  const script = await from.schema(specs);
  await to.create(script, PROGRESS);
  for (const spec of specs) {
    const keep = (await from.tables()).find((t) => t.name === spec.name)!.columns.map((c, i) => (spec.dropped.includes(c.name) ? -1 : i)).filter((i) => i >= 0);
    for await (const batch of from.read(spec.name, { batchSize: 1000 })) await to.write(spec, batch.rows.map((r) => keep.map((i) => r[i])), PROGRESS);
  }
  await to.finish(script);
  await to.close();
  return out;
}

describe('openSqliteCopySource', () => {
  it('gives the same identity to a file reached through a symlink, a hard link and a relative path', async () => {
    const file = fixtureFile();
    const link = join(dirname(file), 'link.db');
    const hard = join(dirname(file), 'hard.db');
    symlinkSync(file, link);
    linkSync(file, hard);
    const identity = await (await source(file)).identity();
    expect(await (await source(link)).identity()).toBe(identity);
    expect(await (await source(hard)).identity()).toBe(identity);
    expect(await (await source(relative(process.cwd(), file))).identity()).toBe(identity);
  });

  it('refuses a file that does not exist, naming it', async () => {
    const missing = files.path('missing');
    await expect(openSqliteCopySource(missing)).rejects.toMatchObject({ code: 'PK_COPY', message: expect.stringContaining(`${missing}: there is no such file`) });
  });

  it('refuses a file that is not a SQLite database, naming it', async () => {
    const file = files.path('text');
    writeFileSync(file, 'not a database, just some text that is long enough to have a header'.repeat(20));
    await expect(openSqliteCopySource(file)).rejects.toMatchObject({ code: 'PK_COPY', message: expect.stringContaining(`${file} is not a SQLite database`) });
  });

  it('does not list the tables of a privacy-kit store kept in the same file', async () => {
    const file = fixtureFile();
    const store = createSqliteStore({ filename: file, auditKey: randomBytes(32) });
    await store.close();
    expect((await (await source(file)).tables()).map((t) => t.name)).toEqual(['orders', 'people']);
  });

  it("lists an app's own table named like a store table when the file holds no store", async () => {
    const file = database('CREATE TABLE audit_log (id INTEGER PRIMARY KEY, who TEXT)');
    expect((await (await source(file)).tables()).map((t) => t.name)).toEqual(['audit_log']);
  });

  it('SQLITE_STORE_TABLES names every table the store migrations create', () => {
    const created = MIGRATIONS.flatMap((m) => [...m.matchAll(/CREATE TABLE (\w+)/g)].map((match) => match[1]));
    expect([...SQLITE_STORE_TABLES].sort()).toEqual([...new Set(created)].sort());
  });

  it('maps declared types to their SQLite affinity', async () => {
    const file = database('CREATE TABLE t (a BIGINT, b VARCHAR(20), c BLOB, d, e DOUBLE PRECISION, f DECIMAL(10,2), g DATE, h BOOLEAN)');
    const [table] = await (await source(file)).tables();
    expect(table?.columns.map((c) => c.affinity)).toEqual(['integer', 'text', 'blob', 'blob', 'real', 'numeric', 'numeric', 'numeric']);
  });

  it('leaves generated columns out of tables() and rows; the copied schema computes them again', async () => {
    const file = database("CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, upper_a TEXT GENERATED ALWAYS AS (upper(a)) STORED); INSERT INTO t (a) VALUES ('x')");
    const from = await source(file);
    expect((await from.tables())[0]?.columns.map((c) => c.name)).toEqual(['id', 'a']);
    expect(await rowsOf(from, 't')).toEqual([[1, 'x']]);
    expect(await rowsOf(await source(await copy(file)), 't')).toEqual([[1, 'x']]);
    const db = new Database(file, { readonly: true });
    expect(db.prepare('SELECT upper_a FROM t').pluck().get()).toBe('X');
    db.close();
  });

  it('reads a WITHOUT ROWID table in primary key order and resumes after a cursor of its key', async () => {
    const file = database('CREATE TABLE k (a TEXT, b INTEGER, v BLOB, PRIMARY KEY (a, b)) WITHOUT ROWID', (db) => {
      const insert = db.prepare('INSERT INTO k VALUES (?, ?, ?)');
      for (const [a, b] of [['y', 2], ['x', 9], ['y', 1], ['x', 3]] as const) insert.run(a, b, Buffer.from([b]));
    });
    const from = await source(file);
    const all = [['x', 3, Buffer.from([3])], ['x', 9, Buffer.from([9])], ['y', 1, Buffer.from([1])], ['y', 2, Buffer.from([2])]];
    expect(await rowsOf(from, 'k', 1)).toEqual(all);
    const first = from.read('k', { batchSize: 2 })[Symbol.asyncIterator]();
    const batch = (await first.next()).value as { cursor: string };
    expect(await rowsOf(from, 'k', 1, batch.cursor)).toEqual(all.slice(2));
  });

  it('reads a table whose columns hide the name rowid by another name of the row id', async () => {
    const file = database("CREATE TABLE r (rowid TEXT, v TEXT); INSERT INTO r VALUES ('b', '1'), ('a', '2'), ('c', '3')");
    expect(await rowsOf(await source(file), 'r', 1)).toEqual([['b', '1'], ['a', '2'], ['c', '3']]);
  });

  it('gives integers beyond 2^53 exactly, as bigints, and the others as numbers', async () => {
    const big = 2n ** 60n + 1n;
    const file = database('CREATE TABLE n (id INTEGER PRIMARY KEY, v INTEGER)', (db) => {
      db.prepare('INSERT INTO n VALUES (?, ?)').run(1, big);
      db.prepare('INSERT INTO n VALUES (?, ?)').run(big, 7);
    });
    const rows = await rowsOf(await source(file), 'n', 1);
    expect(rows).toEqual([[1, big], [big, 7]]);
  });

  it('refuses a cursor it did not make', async () => {
    const from = await source(fixtureFile());
    await expect(rowsOf(from, 'people', 2, 'not-a-cursor')).rejects.toMatchObject({ code: 'PK_COPY', message: expect.stringContaining('cursor') });
  });

  it('refuses to read a table it does not list, such as a store table', async () => {
    const file = fixtureFile();
    await createSqliteStore({ filename: file, auditKey: randomBytes(32) }).close();
    await expect(rowsOf(await source(file), 'audit_log')).rejects.toMatchObject({ code: 'PK_COPY', message: expect.stringContaining('no table audit_log') });
  });
});

describe('SqliteCopySource.schema()', () => {
  it('refuses a dropped column that an index needs, naming table, column and index, before the target is touched', async () => {
    const file = fixtureFile();
    const from = await source(file);
    const out = files.path('target');
    await target(out);
    await expect(from.schema([{ name: 'people', columns: ['id', 'name', 'born', 'note'], dropped: ['email'] }])).rejects.toMatchObject({
      code: 'PK_COPY',
      message: expect.stringMatching(/column email of table people cannot be dropped from the copy: index people_email needs it; give the column another strategy than drop \(nullify/),
    });
    expect(readFileSync(out).length).toBe(0);
  });

  it('refuses a dropped column that a UNIQUE or table CHECK constraint needs, naming table and column', async () => {
    const file = database("CREATE TABLE u (id INTEGER PRIMARY KEY, code TEXT UNIQUE, grade TEXT, CHECK (grade <> 'x'))");
    const from = await source(file);
    await expect(from.schema([{ name: 'u', columns: ['id', 'grade'], dropped: ['code'] }])).rejects.toThrow(/column code of table u cannot be dropped.*nullify/);
    await expect(from.schema([{ name: 'u', columns: ['id', 'code'], dropped: ['grade'] }])).rejects.toThrow(/column grade of table u cannot be dropped.*nullify/);
  });

  it('refuses a dropped column that a trigger or a view uses, naming it', async () => {
    const file = database(`
      CREATE TABLE a (id INTEGER PRIMARY KEY, secret TEXT, other TEXT);
      CREATE TABLE log (id INTEGER PRIMARY KEY, what TEXT);
      CREATE TRIGGER a_log AFTER INSERT ON a BEGIN INSERT INTO log (what) VALUES (NEW.secret); END;`);
    const from = await source(file);
    const specs = [{ name: 'a', columns: ['id', 'other'], dropped: ['secret'] }, { name: 'log', columns: ['id', 'what'], dropped: [] }];
    await expect(from.schema(specs)).rejects.toThrow(/trigger a_log on a uses a table or column that is not in the copy/);
    const viewFile = database('CREATE TABLE a (id INTEGER PRIMARY KEY, secret TEXT, other TEXT); CREATE VIEW v AS SELECT secret FROM a;');
    await expect((await source(viewFile)).schema([specs[0]!])).rejects.toThrow(/view v reads a table or column that is not in the copy/);
  });

  it('recreates triggers and views, and copies PRAGMA user_version', async () => {
    const file = database(`
      CREATE TABLE a (id INTEGER PRIMARY KEY, v TEXT);
      CREATE VIEW a_view AS SELECT id FROM a;
      CREATE TRIGGER a_no_delete BEFORE DELETE ON a BEGIN SELECT RAISE(ABORT, 'no'); END;
      INSERT INTO a (v) VALUES ('one');
      PRAGMA user_version = 42;`);
    const out = await copy(file);
    const db = new Database(out, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(42);
    expect(db.prepare('SELECT name FROM sqlite_schema WHERE type IN (\'view\', \'trigger\') ORDER BY name').pluck().all()).toEqual(['a_no_delete', 'a_view']);
    expect(db.prepare('SELECT count(*) FROM a_view').pluck().get()).toBe(1);
    db.close();
  });
});

describe('openSqliteCopyTarget', () => {
  it('creates a file that does not exist, so that it has an identity', async () => {
    const out = files.path('target');
    const to = await target(out);
    expect(await to.identity()).toMatch(/^sqlite:\d+:\d+$/);
    expect(await to.progress()).toBeUndefined();
  });

  it('refuses an existing file that is not a SQLite database and leaves it as it was', async () => {
    const out = files.path('target');
    writeFileSync(out, 'some text of an app');
    await expect(openSqliteCopyTarget(out)).rejects.toMatchObject({ code: 'PK_COPY', message: expect.stringContaining(`${out} exists and is not a SQLite database`) });
    expect(readFileSync(out, 'utf8')).toBe('some text of an app');
  });

  it('writes nothing to a database it is opened on before create()', async () => {
    const file = fixtureFile();
    const before = readFileSync(file);
    const to = await target(file);
    await expect(to.progress()).rejects.toMatchObject({ code: 'PK_COPY' });
    await to.identity();
    await to.close();
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('refuses create() on a database that holds other data', async () => {
    const to = await target(fixtureFile());
    await expect(to.create({ create: [], finish: [] }, PROGRESS)).rejects.toMatchObject({ code: 'PK_COPY', message: expect.stringContaining('give a new or empty file') });
  });

  it('a write that fails on a UNIQUE constraint in the middle of a batch leaves neither the batch nor its progress', async () => {
    const file = database('CREATE TABLE u (id INTEGER PRIMARY KEY, code TEXT UNIQUE)');
    const out = files.path('target');
    const to = await target(out);
    const script = await (await source(file)).schema([{ name: 'u', columns: ['id', 'code'], dropped: [] }]);
    const spec = { name: 'u', columns: ['id', 'code'], dropped: [] };
    const done = { fingerprint: 'f', tables: [{ name: 'u', rows: 1, done: false, cursor: 'c1' }] };
    await to.create(script, PROGRESS);
    await to.write(spec, [[1, 'code-1']], done);
    await expect(to.write(spec, [[2, 'code-2'], [3, 'code-1'], [4, 'code-4']], { fingerprint: 'f', tables: [{ name: 'u', rows: 4, done: false, cursor: 'c4' }] })).rejects.toMatchObject({
      code: 'PK_COPY',
      message: expect.stringContaining('writing a batch of 3 rows to table u'),
    });
    expect(await to.progress()).toEqual(done);
    await to.close();
    const db = new Database(out, { readonly: true });
    expect(db.prepare('SELECT id FROM u').pluck().all()).toEqual([1]);
    db.close();
  });

  it('writes booleans as 1 and 0, and Buffers and bigints as they are', async () => {
    const file = database('CREATE TABLE v (id INTEGER PRIMARY KEY, flag INTEGER, data BLOB, big INTEGER)');
    const out = files.path('target');
    const to = await target(out);
    const spec = { name: 'v', columns: ['id', 'flag', 'data', 'big'], dropped: [] };
    await to.create(await (await source(file)).schema([spec]), PROGRESS);
    await to.write(spec, [[1, true, Buffer.from([1, 2]), 2n ** 60n], [2, false, null, 5n]], PROGRESS);
    await to.close();
    expect(await rowsOf(await source(out), 'v')).toEqual([[1, 1, Buffer.from([1, 2]), 2n ** 60n], [2, 0, null, 5]]);
  });
});
