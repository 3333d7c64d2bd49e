import { sql } from '../pg-test-env';
import { copyAll, copyFixture, inSchema, keepAll, progressOf } from './copy-test-support';

const SHOP = `
  CREATE TYPE status AS ENUM ('new', 'paid', 'shipped');
  CREATE TYPE unused_kind AS ENUM ('x');
  CREATE SEQUENCE invoice_no START 1000;
  CREATE TABLE customers (
    id integer GENERATED ALWAYS AS IDENTITY (START WITH 10) PRIMARY KEY,
    email text NOT NULL UNIQUE,
    name text COLLATE "C",
    age integer CHECK (age >= 18),
    created timestamptz NOT NULL DEFAULT now());
  CREATE TABLE orders (
    id bigserial PRIMARY KEY,
    customer_id integer NOT NULL REFERENCES customers (id),
    invoice integer NOT NULL DEFAULT nextval('invoice_no'),
    status status NOT NULL DEFAULT 'new',
    total numeric(10,2) NOT NULL CONSTRAINT total_positive CHECK (total > 0),
    note text);
  CREATE INDEX orders_customer ON orders (customer_id);
  CREATE UNIQUE INDEX orders_invoice ON orders (invoice) WHERE status <> 'new';
  INSERT INTO customers (email, name, age) SELECT 'user-' || n || '@example.test', 'name-' || n, 20 + n FROM generate_series(1, 3) n;
  INSERT INTO orders (customer_id, status, total) SELECT 10 + n % 3, 'paid', n FROM generate_series(1, 5) n;`;

/** The shape of a schema's tables as the catalog has it, with the schema's name taken out. */
async function shape(schema: string): Promise<unknown> {
  const rows = await sql<{ line: string }>(`
    SELECT format('%s.%s %s %s null=%s default=%s identity=%s collation=%s', c.relname, a.attname, format_type(a.atttypid, a.atttypmod), t.typname, a.attnotnull,
                  pg_get_expr(d.adbin, d.adrelid), a.attidentity, a.attcollation) AS line
      FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid JOIN pg_type t ON t.oid = a.atttypid LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
     WHERE c.relnamespace = $1::regnamespace AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped AND c.relname <> '_privacy_kit_copy'
    UNION ALL
    SELECT format('%s constraint %s %s', c.relname, k.conname, pg_get_constraintdef(k.oid)) FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid WHERE c.relnamespace = $1::regnamespace
    UNION ALL
    SELECT format('index %s', pg_get_indexdef(i.indexrelid)) FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid WHERE c.relnamespace = $1::regnamespace AND c.relname <> '_privacy_kit_copy'
    UNION ALL
    SELECT format('type %s %s', t.typname, (SELECT string_agg(enumlabel, ',' ORDER BY enumsortorder) FROM pg_enum WHERE enumtypid = t.oid)) FROM pg_type t WHERE t.typnamespace = $1::regnamespace AND t.typtype = 'e'
    ORDER BY 1`, [`"${schema}"`]);
  return rows.map((r) => r.line.split(`${schema}.`).join('').split(`"${schema}".`).join(''));
}

describe('openPostgresCopySource: schema()', () => {
  const fx = copyFixture();

  beforeEach(async () => {
    await inSchema(fx.source(), SHOP);
  });

  it('recreates the tables in another schema: types, collations, NOT NULL, defaults, identity, PRIMARY KEY, UNIQUE, CHECK, indexes, foreign keys and the enums the columns use', async () => {
    const source = await fx.openSource();
    const target = await fx.openTarget();
    await copyAll(source, target);
    const expected = (await shape(fx.source()) as string[]).filter((line) => !line.startsWith('type unused_kind'));
    expect(await shape(fx.target())).toEqual(expected);
  });

  it('copies every row, so that the tables hold the same values', async () => {
    const source = await fx.openSource();
    const target = await fx.openTarget();
    await copyAll(source, target);
    const rows = async (schema: string): Promise<unknown> => sql(`SELECT (SELECT json_agg(c ORDER BY id) FROM "${schema}".customers c) AS c, (SELECT json_agg(o ORDER BY id) FROM "${schema}".orders o) AS o`);
    expect(await rows(fx.target())).toEqual(await rows(fx.source()));
  });

  it('adds indexes and foreign keys in finish, after the rows', async () => {
    const source = await fx.openSource();
    const script = await source.schema(await keepAll(source));
    expect(script.create.join('\n')).not.toMatch(/FOREIGN KEY|CREATE INDEX|CREATE UNIQUE INDEX/);
    expect(script.finish.filter((s) => /FOREIGN KEY|CREATE (UNIQUE )?INDEX/.test(s))).toEqual([
      'CREATE INDEX orders_customer ON "orders" USING btree (customer_id)',
      `CREATE UNIQUE INDEX orders_invoice ON "orders" USING btree (invoice) WHERE (status <> 'new'::status)`,
      'ALTER TABLE "orders" ADD CONSTRAINT "orders_customer_id_fkey" FOREIGN KEY (customer_id) REFERENCES customers(id)',
    ]);
  });

  it('sets the sequences of defaults and identity columns to the source\'s values', async () => {
    const source = await fx.openSource();
    const target = await fx.openTarget();
    await copyAll(source, target);
    const next = (schema: string): Promise<unknown> => sql(`SELECT nextval('"${schema}".invoice_no') AS invoice,
      nextval(pg_get_serial_sequence('"${schema}".orders', 'id')) AS order_id, nextval(pg_get_serial_sequence('"${schema}".customers', 'id')) AS customer_id`);
    expect(await next(fx.target())).toEqual([{ invoice: '1005', order_id: '6', customer_id: '13' }]);
    expect(await next(fx.source())).toEqual([{ invoice: '1005', order_id: '6', customer_id: '13' }]);
  });

  it('keeps an identity column GENERATED ALWAYS while COPY wrote the given values into it', async () => {
    const source = await fx.openSource();
    const target = await fx.openTarget();
    await copyAll(source, target);
    expect(await sql(`SELECT id FROM "${fx.target()}".customers ORDER BY id`)).toEqual([{ id: 10 }, { id: 11 }, { id: 12 }]);
    await expect(sql(`INSERT INTO "${fx.target()}".customers (id, email) VALUES (99, 'user-99@example.test')`)).rejects.toMatchObject({ code: '428C9' });
  });

  it('creates a table without its dropped columns', async () => {
    const source = await fx.openSource();
    const target = await fx.openTarget();
    const specs = (await keepAll(source)).map((s) => s.name === 'orders' ? { ...s, columns: s.columns.filter((c) => c !== 'note'), dropped: ['note'] } : s);
    await copyAll(source, target, specs);
    const columns = await sql<{ name: string }>("SELECT column_name AS name FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'orders' ORDER BY ordinal_position", [fx.target()]);
    expect(columns.map((c) => c.name)).toEqual(['id', 'customer_id', 'invoice', 'status', 'total']);
  });

  it('refuses, before anything is written, to drop a column a constraint needs, naming table, column and constraint', async () => {
    const source = await fx.openSource();
    const target = await fx.openTarget();
    const specs = (await keepAll(source)).map((s) => s.name === 'orders' ? { ...s, columns: s.columns.filter((c) => c !== 'total'), dropped: ['total'] } : s);
    await expect(source.schema(specs)).rejects.toMatchObject({
      code: 'PK_COPY',
      message: "@privacy-kit/postgres: schema(): the CHECK constraint 'total_positive' of table 'orders' needs column 'total' of table 'orders', which the copy drops. Nullify or pseudonymize the column instead of dropping it (strategy 'nullify' or 'pseudonym'), or drop the constraint from the source.",
    });
    expect(await target.progress()).toBeUndefined();
  });

  it('refuses to drop a column an index needs, naming the index', async () => {
    const source = await fx.openSource();
    const specs = (await keepAll(source)).map((s) => s.name === 'orders' ? { ...s, columns: s.columns.filter((c) => c !== 'invoice'), dropped: ['invoice'] } : s);
    await expect(source.schema(specs)).rejects.toMatchObject({ code: 'PK_COPY', message: expect.stringContaining("the index 'orders_invoice' of table 'orders' needs column 'invoice'") });
  });

  it('refuses to drop a column a foreign key of another table references', async () => {
    const source = await fx.openSource();
    await inSchema(fx.source(), 'ALTER TABLE customers ADD COLUMN code text UNIQUE; ALTER TABLE orders ADD COLUMN customer_code text REFERENCES customers (code)');
    const specs = (await keepAll(source)).map((s) => s.name === 'customers' ? { ...s, columns: s.columns.filter((c) => c !== 'code'), dropped: ['code'] } : s);
    const fresh = await fx.openSource();
    await expect(fresh.schema(specs)).rejects.toMatchObject({ code: 'PK_COPY', message: expect.stringContaining("needs column 'code' of table 'customers'") });
  });

  it('leaves out a foreign key to a table that is not copied', async () => {
    const source = await fx.openSource();
    const specs = (await keepAll(source)).filter((s) => s.name === 'orders');
    const script = await source.schema(specs);
    expect(script.finish.join('\n')).not.toContain('FOREIGN KEY');
    expect(script.create.join('\n')).not.toContain('customers');
  });

  it('runs on a target with the progress recorded by create()', async () => {
    const source = await fx.openSource();
    const target = await fx.openTarget();
    await target.create(await source.schema(await keepAll(source)), progressOf());
    expect(await target.progress()).toEqual(progressOf());
  });
});

describe('a copy from a PostgreSQL source to a PostgreSQL target', () => {
  const fx = copyFixture();

  it('round-trips awkward values through the text format unchanged', async () => {
    await inSchema(fx.source(), `
      CREATE TABLE awkward (id int PRIMARY KEY, t text, v varchar(20), c char(4), n numeric, f float8, b boolean, d date, ts timestamp, tz timestamptz,
        u uuid, j jsonb, js json, bin bytea, arr text[], nums int[], iv interval);
      INSERT INTO awkward VALUES
        (1, E'tab\\there', E'new\\nline', 'ab', 12345678901234567890.123456789, 0.1, true, '2024-02-29', '2024-01-01 00:00:00.123456', '2024-06-30 23:59:59.5+05:30',
         'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{"a": "b\\\\c", "t": "x\\ty"}', '{ "keep" : "spacing" }', '\\x00ff5c0a09', ARRAY['a,b', 'c"d', E'e\\\\f', NULL], ARRAY[1, 2], '1 day 02:03:04'),
        (2, E'back\\\\slash\\r\\b\\f\\v', 'ümlaut ✓ 日本', NULL, 'NaN', '-Infinity', false, '0001-01-01', '294276-12-31 23:59:59', '1970-01-01 00:00:00+00',
         NULL, 'null', '[]', '\\x', '{}', NULL, '-1 mons'),
        (3, '', '', '    ', 0, -0, NULL, 'infinity', '-infinity', 'infinity', NULL, '""', '"\\\\N"', NULL, ARRAY['\\N'], ARRAY[]::int[], NULL),
        (4, '\\N', '\\.', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);`);
    const source = await fx.openSource();
    const target = await fx.openTarget();
    await copyAll(source, target, undefined, 3);
    const rows = (schema: string): Promise<unknown> => sql(`SELECT a::text AS row FROM "${schema}".awkward a ORDER BY id`);
    const copied = await rows(fx.target());
    expect(copied).toEqual(await rows(fx.source()));
    expect(copied).toHaveLength(4);
  });
});
