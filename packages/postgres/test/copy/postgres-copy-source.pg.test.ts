import { randomBytes } from 'node:crypto';
import { createPostgresStore, openPostgresCopySource } from '@privacy-kit/postgres';
import { databaseUrl, sql } from '../pg-test-env';
import { copyFixture, inSchema, readAll } from './copy-test-support';

describe('openPostgresCopySource: read()', () => {
  const fx = copyFixture();

  beforeEach(async () => {
    await inSchema(fx.source(), `
      CREATE TABLE users (id integer PRIMARY KEY, name text);
      INSERT INTO users SELECT n, 'user-' || n FROM generate_series(1, 10) n;`);
  });

  it.each([1, 3, 1000])('reads every row exactly once, in key order, in batches of at most %i', async (batchSize) => {
    const source = await fx.openSource();
    const batches = await readAll(source, 'users', batchSize);
    const ids = batches.flatMap((b) => b.rows.map((r) => r[0]));
    expect(ids).toEqual(Array.from({ length: 10 }, (_, i) => String(i + 1)));
    expect(batches.every((b) => b.rows.length <= batchSize && b.rows.length > 0)).toBe(true);
    expect(batches).toHaveLength(Math.ceil(10 / batchSize));
  });

  it('gives as cursor the JSON of the last row\'s primary key values', async () => {
    const source = await fx.openSource();
    const batches = await readAll(source, 'users', 4);
    expect(batches.map((b) => b.cursor)).toEqual(['["4"]', '["8"]', '["10"]']);
  });

  it('resumes after a cursor with exactly the rows after it', async () => {
    const source = await fx.openSource();
    const first = await readAll(source, 'users', 3);
    const rest = await readAll(source, 'users', 3, first[1]?.cursor);
    expect(rest.flatMap((b) => b.rows.map((r) => r[0]))).toEqual(['7', '8', '9', '10']);
  });

  it('resumes a composite primary key in key order (text, then integer)', async () => {
    await inSchema(fx.source(), `
      CREATE TABLE lines (order_ref text, line integer, qty integer, PRIMARY KEY (order_ref, line));
      INSERT INTO lines SELECT 'o-' || (n % 3), n, n FROM generate_series(1, 9) n;`);
    const source = await fx.openSource();
    const all = (await readAll(source, 'lines', 100)).flatMap((b) => b.rows.map((r) => `${String(r[0])}/${String(r[1])}`));
    const first = await readAll(source, 'lines', 4);
    const rest = (await readAll(source, 'lines', 4, first[0]?.cursor)).flatMap((b) => b.rows.map((r) => `${String(r[0])}/${String(r[1])}`));
    expect(all).toEqual(['o-0/3', 'o-0/6', 'o-0/9', 'o-1/1', 'o-1/4', 'o-1/7', 'o-2/2', 'o-2/5', 'o-2/8']);
    expect(rest).toEqual(all.slice(4));
  });

  it('reads a table without a primary key whole, duplicates included, and resumes it by the count of rows read', async () => {
    await inSchema(fx.source(), `
      CREATE TABLE events (kind text, n integer);
      INSERT INTO events VALUES ('b', 2), ('a', 1), ('b', 2), ('c', 3), (NULL, 0);`);
    const source = await fx.openSource();
    const all = (await readAll(source, 'events', 2)).flatMap((b) => b.rows);
    const first = await readAll(source, 'events', 2);
    expect(first[0]?.cursor).toBe('{"rows":2}');
    const rest = (await readAll(source, 'events', 2, first[0]?.cursor)).flatMap((b) => b.rows);
    expect(all).toHaveLength(5);
    expect([...all].map((r) => JSON.stringify(r)).sort()).toEqual(
      [['b', '2'], ['a', '1'], ['b', '2'], ['c', '3'], [null, '0']].map((r) => JSON.stringify(r)).sort(),
    );
    expect(rest).toEqual(all.slice(2));
  });

  it('refuses a cursor that is not one of the table\'s, saying to start again', async () => {
    const source = await fx.openSource();
    await expect(readAll(source, 'users', 3, '{"rows":3}')).rejects.toMatchObject({ code: 'PK_COPY', message: expect.stringMatching(/^@privacy-kit\/postgres: read\('users'\): the cursor .* Start the copy again/) });
  });

  it('yields values as PostgreSQL\'s text, and null for NULL', async () => {
    await inSchema(fx.source(), `
      CREATE TABLE kinds (id int PRIMARY KEY, b boolean, d date, ts timestamptz, bin bytea, j jsonb, arr text[], t text, e text);
      INSERT INTO kinds VALUES (1, true, '2024-02-29', '2024-05-01 12:00:00+02', '\\x0102ff', '{"a": [1, "x"]}', ARRAY['a b', 'c"d'], E'tab\\there\\nnew\\\\line', NULL);`);
    const source = await fx.openSource();
    const [batch] = await readAll(source, 'kinds', 10);
    expect(batch?.rows).toEqual([['1', 't', '2024-02-29', '2024-05-01 10:00:00+00', '\\x0102ff', '{"a": [1, "x"]}', '{"a b","c\\"d"}', 'tab\there\nnew\\line', null]]);
  });

  it('holds about one batch: the server waits to send the rest of the COPY while the consumer works on a batch', async () => {
    await inSchema(fx.source(), `CREATE TABLE big (id int PRIMARY KEY, pad text); INSERT INTO big SELECT n, repeat('x', 200) FROM generate_series(1, 50000) n;`);
    const source = await fx.openSource();
    let waiting: { state: string; wait_event: string | null }[] = [];
    let batches = 0;
    for await (const batch of source.read('big', { batchSize: 100 })) {
      expect(batch.rows).toHaveLength(100);
      if (++batches === 3) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        waiting = await sql("SELECT state, wait_event FROM pg_stat_activity WHERE query LIKE 'COPY (SELECT%big%' AND pid <> pg_backend_pid()");
        break;
      }
    }
    expect(waiting).toEqual([{ state: 'active', wait_event: 'ClientWrite' }]);
  });

  it('names the table and lists the tables when asked for one that does not exist', async () => {
    const source = await fx.openSource();
    await expect(readAll(source, 'nope', 3)).rejects.toMatchObject({ code: 'PK_NOT_FOUND', message: expect.stringContaining("table 'nope' is not a table of schema") });
  });
});

describe('openPostgresCopySource: tables(), countRows()', () => {
  const fx = copyFixture();

  it('lists ordinary tables and partitioned parents in name order, with columns in order, typed, without generated columns, views or partitions', async () => {
    await inSchema(fx.source(), `
      CREATE TYPE mood AS ENUM ('ok', 'meh');
      CREATE TABLE zeta (id bigint PRIMARY KEY, email varchar(80) NOT NULL, score numeric(5,2), ratio float8, ok boolean, born date,
        seen timestamptz, key uuid, doc jsonb, photo bytea, m mood, tags text[], upper_email text GENERATED ALWAYS AS (upper(email)) STORED);
      CREATE TABLE alpha (a int, b int, PRIMARY KEY (b, a));
      CREATE TABLE parted (id int, at date NOT NULL, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
      CREATE TABLE parted_2024 PARTITION OF parted FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
      CREATE VIEW zeta_view AS SELECT id FROM zeta;`);
    const source = await fx.openSource();
    const tables = await source.tables();
    expect(tables.map((t) => t.name)).toEqual(['alpha', 'parted', 'zeta']);
    expect(tables[0]?.columns).toEqual([
      { name: 'a', type: 'integer', affinity: 'integer', notNull: true, primaryKey: true },
      { name: 'b', type: 'integer', affinity: 'integer', notNull: true, primaryKey: true },
    ]);
    expect(tables[2]?.columns.map((c) => [c.name, c.type, c.affinity, c.notNull, c.primaryKey])).toEqual([
      ['id', 'bigint', 'integer', true, true],
      ['email', 'character varying(80)', 'text', true, false],
      ['score', 'numeric(5,2)', 'numeric', false, false],
      ['ratio', 'double precision', 'real', false, false],
      ['ok', 'boolean', 'boolean', false, false],
      ['born', 'date', 'date', false, false],
      ['seen', 'timestamp with time zone', 'timestamp', false, false],
      ['key', 'uuid', 'uuid', false, false],
      ['doc', 'jsonb', 'json', false, false],
      ['photo', 'bytea', 'blob', false, false],
      ['m', 'mood', 'other', false, false],
      ['tags', 'text[]', 'other', false, false],
    ]);
  });

  it('reads a partitioned table through its parent, with the rows of every partition', async () => {
    await inSchema(fx.source(), `
      CREATE TABLE parted (id int, at date NOT NULL, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
      CREATE TABLE parted_a PARTITION OF parted FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
      CREATE TABLE parted_b PARTITION OF parted FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
      INSERT INTO parted VALUES (1, '2023-06-01'), (2, '2024-06-01');`);
    const source = await fx.openSource();
    const rows = (await readAll(source, 'parted', 10)).flatMap((b) => b.rows);
    expect(rows).toEqual([['1', '2023-06-01'], ['2', '2024-06-01']]);
  });

  it('does not list the tables of a privacy-kit store that lives in the copied schema', async () => {
    const store = createPostgresStore({ connectionString: databaseUrl(), auditKey: randomBytes(32), schema: fx.source() });
    await store.ready();
    await store.close();
    await inSchema(fx.source(), 'CREATE TABLE orders (id int PRIMARY KEY)');
    const source = await fx.openSource();
    expect((await source.tables()).map((t) => t.name)).toEqual(['orders']);
  });

  it('does not list the progress table of a copy', async () => {
    await inSchema(fx.source(), 'CREATE TABLE orders (id int PRIMARY KEY); CREATE TABLE _privacy_kit_copy (id int)');
    const source = await fx.openSource();
    expect((await source.tables()).map((t) => t.name)).toEqual(['orders']);
  });

  it('counts the rows of a table', async () => {
    await inSchema(fx.source(), 'CREATE TABLE orders (id int PRIMARY KEY); INSERT INTO orders SELECT generate_series(1, 42)');
    const source = await fx.openSource();
    expect(await source.countRows('orders')).toBe(42);
  });
});

describe('openPostgresCopySource: identity()', () => {
  const fx = copyFixture();
  const otherDb = `pk_copy_other_${randomBytes(4).toString('hex')}`;

  afterAll(async () => {
    await sql(`DROP DATABASE IF EXISTS ${otherDb}`);
  });

  it('is the same through localhost and through 127.0.0.1 for the same database and schema', async () => {
    const url = new URL(databaseUrl());
    url.hostname = 'localhost';
    const viaName = await openPostgresCopySource({ connectionString: url.toString(), schema: fx.source() });
    try {
      const viaAddress = await fx.openSource();
      expect(await viaName.identity()).toBe(await viaAddress.identity());
    } finally {
      await viaName.close();
    }
  });

  it('differs for another schema of the same database', async () => {
    const source = await fx.openSource();
    const other = await fx.openTarget();
    expect(await source.identity()).not.toBe(await other.identity());
  });

  it('differs for another database of the same server', async () => {
    await sql(`CREATE DATABASE ${otherDb}`);
    const url = new URL(databaseUrl());
    url.pathname = `/${otherDb}`;
    const there = await openPostgresCopySource({ connectionString: url.toString(), schema: fx.source() });
    try {
      const here = await fx.openSource();
      expect(await there.identity()).not.toBe(await here.identity());
    } finally {
      await there.close();
    }
  });

  it('never holds the host, the user or the password of the connection', async () => {
    const identity = await (await fx.openSource()).identity();
    expect(identity).toMatch(/^postgres:system-\d+:db-\d+:schema-pk_test_[0-9a-f]+$/);
  });
});
