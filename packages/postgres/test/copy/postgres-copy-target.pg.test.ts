import { sql } from '../pg-test-env';
import { copyAll, copyFixture, inSchema, keepAll, progressOf } from './copy-test-support';

const spec = { name: 'users', columns: ['id', 'email'], dropped: [] };
const script = { create: ['CREATE TABLE users (id integer PRIMARY KEY, email text UNIQUE)'], finish: ['CREATE INDEX users_email_lower ON users (lower(email))'] };

describe('openPostgresCopyTarget: progress()', () => {
  const fx = copyFixture();

  it('is undefined for a schema that does not exist', async () => {
    const target = await fx.openTarget();
    expect(await target.progress()).toBeUndefined();
  });

  it('is undefined for a schema without tables', async () => {
    await sql(`CREATE SCHEMA "${fx.target()}"`);
    const target = await fx.openTarget();
    expect(await target.progress()).toBeUndefined();
  });

  it('is the progress of the last batch written of an unfinished copy', async () => {
    const target = await fx.openTarget();
    await target.create(script, progressOf());
    await target.write(spec, [[1, 'user-1@example.test']], progressOf(1, 'sealed-1'));
    await target.write(spec, [[2, 'user-2@example.test']], progressOf(2, 'sealed-2'));
    expect(await target.progress()).toEqual(progressOf(2, 'sealed-2'));
  });

  it('refuses a schema that holds tables but no copy, saying to give an empty one', async () => {
    await sql(`CREATE SCHEMA "${fx.target()}"; CREATE TABLE "${fx.target()}".customers (id int)`);
    const target = await fx.openTarget();
    await expect(target.progress()).rejects.toMatchObject({
      code: 'PK_COPY',
      message: expect.stringMatching(/^@privacy-kit\/postgres: the target schema '.+' holds 1 table\(s\) but no unfinished privacy-kit copy .* Give an empty one/),
    });
  });

  it('refuses a finished copy like any other data', async () => {
    const target = await fx.openTarget();
    await target.create(script, progressOf());
    await target.finish(script);
    await expect(target.progress()).rejects.toMatchObject({ code: 'PK_COPY' });
  });
});

describe('openPostgresCopyTarget: create(), write(), finish()', () => {
  const fx = copyFixture();

  it('creates the schema, the tables and the progress row in one transaction', async () => {
    const target = await fx.openTarget();
    await target.create(script, progressOf());
    const tables = await sql<{ name: string }>('SELECT table_name AS name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1', [fx.target()]);
    expect(tables.map((t) => t.name)).toEqual(['_privacy_kit_copy', 'users']);
  });

  it('leaves nothing behind when a create statement fails', async () => {
    const target = await fx.openTarget();
    await expect(target.create({ create: [...script.create, 'CREATE TABLE users (id int)'], finish: [] }, progressOf())).rejects.toMatchObject({
      code: 'PK_COPY', message: expect.stringContaining("the create script's statement 2 of 2 (CREATE TABLE users (id int)) failed"),
    });
    expect(await sql('SELECT 1 FROM pg_namespace WHERE nspname = $1', [fx.target()])).toEqual([]);
  });

  it('writes the rows of a batch with COPY and the progress together', async () => {
    const target = await fx.openTarget();
    await target.create(script, progressOf());
    await target.write(spec, [[1, 'user-1@example.test'], [2, null]], progressOf(2, 'c2'));
    expect(await sql(`SELECT id, email FROM "${fx.target()}".users ORDER BY id`)).toEqual([{ id: 1, email: 'user-1@example.test' }, { id: 2, email: null }]);
  });

  it('leaves neither the rows nor the progress of a batch a UNIQUE constraint refuses, naming table, row and constraint but no value', async () => {
    const target = await fx.openTarget();
    await target.create(script, progressOf());
    await target.write(spec, [[1, 'user-1@example.test']], progressOf(1, 'c1'));
    const failing = target.write(spec, [[2, 'user-2@example.test'], [3, 'user-1@example.test']], progressOf(3, 'c3'));
    await expect(failing).rejects.toMatchObject({
      code: 'PK_COPY',
      message: "@privacy-kit/postgres: write('users'): PostgreSQL refused the batch at row 2 of the batch: PostgreSQL refused the statement (SQLSTATE 23505), constraint 'users_email_key'. Nothing of this batch was written and the progress is unchanged.",
    });
    expect(await sql(`SELECT id FROM "${fx.target()}".users ORDER BY id`)).toEqual([{ id: 1 }]);
    expect(await target.progress()).toEqual(progressOf(1, 'c1'));
  });

  it('refuses a row of the wrong width before writing anything', async () => {
    const target = await fx.openTarget();
    await target.create(script, progressOf());
    await expect(target.write(spec, [[1, 'a'], [2]], progressOf(2, 'c2'))).rejects.toMatchObject({ code: 'PK_COPY', message: expect.stringContaining("write('users'): row 2 of the batch has 1 values") });
    expect(await sql(`SELECT id FROM "${fx.target()}".users`)).toEqual([]);
  });

  it('encodes JavaScript values for COPY: null, numbers, bigints, booleans, Buffers, Dates, objects', async () => {
    const target = await fx.openTarget();
    await target.create({ create: ['CREATE TABLE v (id int PRIMARY KEY, n numeric, b bigint, ok boolean, bin bytea, at timestamptz, doc jsonb, t text)'], finish: [] }, progressOf());
    await target.write({ name: 'v', columns: ['id', 'n', 'b', 'ok', 'bin', 'at', 'doc', 't'], dropped: [] },
      [[1, 1.5, 9007199254740993n, false, Buffer.from([0, 92, 255]), new Date('2024-05-01T10:00:00.000Z'), { a: 'x\ty' }, 'a\\b\tc\nd\re'], [2, null, null, true, null, null, null, '']],
      progressOf(2, 'c'));
    const rows = await sql(`SELECT id, n::text, b::text, ok, encode(bin, 'hex') AS bin, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') AS at, doc, t FROM "${fx.target()}".v ORDER BY id`);
    expect(rows).toEqual([
      { id: 1, n: '1.5', b: '9007199254740993', ok: false, bin: '005cff', at: '2024-05-01 10:00', doc: { a: 'x\ty' }, t: 'a\\b\tc\nd\re' },
      { id: 2, n: null, b: null, ok: true, bin: null, at: null, doc: null, t: '' },
    ]);
  });

  it('runs the finish script and removes the progress table', async () => {
    const target = await fx.openTarget();
    await target.create(script, progressOf());
    await target.finish(script);
    const relations = await sql<{ name: string }>("SELECT relname AS name FROM pg_class WHERE relnamespace = $1::regnamespace AND relkind IN ('r', 'i') ORDER BY 1", [`"${fx.target()}"`]);
    expect(relations.map((r) => r.name)).toEqual(['users', 'users_email_key', 'users_email_lower', 'users_pkey']);
  });
});

describe('openPostgresCopyTarget: scanText()', () => {
  const fx = copyFixture();

  it('yields the non-null values of text, varchar, char, citext-like and json columns, table by table and column by column, in batches', async () => {
    await inSchema(fx.source(), `
      CREATE TABLE a (id int PRIMARY KEY, note text, code char(3), doc jsonb, n int);
      INSERT INTO a VALUES (1, 'n1', 'c1', '{"k": "v"}', 5), (2, NULL, 'c2', NULL, 6), (3, 'n3', 'c3', '[1]', 7);
      CREATE TABLE b (id int PRIMARY KEY, label varchar(10));
      INSERT INTO b VALUES (1, 'l1');`);
    const source = await fx.openSource();
    const target = await fx.openTarget();
    await copyAll(source, target, await keepAll(source));
    const seen: { table: string; column: string; values: readonly string[] }[] = [];
    for await (const batch of target.scanText({ batchSize: 2 })) seen.push({ ...batch, values: [...batch.values] });
    expect(seen).toEqual([
      { table: 'a', column: 'code', values: ['c1 ', 'c2 '] },
      { table: 'a', column: 'note', values: ['n1', 'n3'] },
      { table: 'a', column: 'doc', values: ['{"k": "v"}', '[1]'] },
      { table: 'a', column: 'code', values: ['c3 '] },
      { table: 'b', column: 'label', values: ['l1'] },
    ]);
  });
});
