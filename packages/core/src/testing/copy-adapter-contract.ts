import { afterEach, describe, expect, it } from '@jest/globals';
import type { CopyColumnAffinity, CopyProgress, CopySource, CopyTableSpec, CopyTarget } from '../copy/copy-contracts';

/** One column of a {@link CopyContractFixture} table: the harness declares it with a type of that affinity. */
export interface CopyFixtureColumn {
  readonly name: string;
  /** `integer`, `text` or `real`: the harness declares a type the adapter reports with this affinity. */
  readonly affinity: Extract<CopyColumnAffinity, 'integer' | 'text' | 'real'>;
  readonly notNull: boolean;
  readonly primaryKey: boolean;
  /** A foreign key to another fixture table's column. */
  readonly references?: { readonly table: string; readonly column: string };
}

/** One table of a {@link CopyContractFixture}. */
export interface CopyFixtureTable {
  readonly name: string;
  readonly columns: readonly CopyFixtureColumn[];
  /** Indexes, created with the table (before the rows). */
  readonly indexes: readonly { readonly name: string; readonly columns: readonly string[]; readonly unique: boolean }[];
  /** The rows, in primary key order, values in column order. */
  readonly rows: readonly (readonly (string | number | null)[])[];
}

/** A small neutral database, described independently of the database kind: the harness turns it into DDL and rows. */
export interface CopyContractFixture {
  readonly tables: readonly CopyFixtureTable[];
}

/** Generated people: no real person's data; NULLs and non-ASCII text included. */
const PEOPLE_ROWS: readonly (readonly (string | number | null)[])[] = [
  [1, 'user-1', 'user-1@example.test', '1980-01-01', 'first'],
  [2, 'Zoë-2', 'user-2@example.test', null, null],
  [3, 'user-3 東京', 'user-3@example.test', '1999-12-31', 'ünïcödé 🙂'],
  [4, 'user-4', null, '2001-02-03', 'with "quotes" and \'apostrophes\''],
  [5, 'user-5', 'user-5@example.test', null, ''],
  [6, 'user-6', 'user-6@example.test', '1970-06-15', 'line\nbreak'],
  [7, 'user-7', 'user-7@example.test', '1990-07-07', null],
];

const ORDER_ROWS: readonly (readonly (string | number | null)[])[] = Array.from({ length: 10 }, (_, i) => [100 + i, (i % 7) + 1, i === 3 ? null : 10.5 + i, i % 2 === 0 ? `order-note-${i} ß` : null]);

/**
 * The fixture of the contract suite: `people(id, name, email, born, note)` with a unique index on email, and
 * `orders(id, person_id → people.id, total, note)` with an index on person_id.
 */
export const COPY_CONTRACT_FIXTURE: CopyContractFixture = {
  tables: [
    {
      name: 'people',
      columns: [
        { name: 'id', affinity: 'integer', notNull: true, primaryKey: true },
        { name: 'name', affinity: 'text', notNull: true, primaryKey: false },
        { name: 'email', affinity: 'text', notNull: false, primaryKey: false },
        { name: 'born', affinity: 'text', notNull: false, primaryKey: false },
        { name: 'note', affinity: 'text', notNull: false, primaryKey: false },
      ],
      indexes: [{ name: 'people_email', columns: ['email'], unique: true }],
      rows: PEOPLE_ROWS,
    },
    {
      name: 'orders',
      columns: [
        { name: 'id', affinity: 'integer', notNull: true, primaryKey: true },
        { name: 'person_id', affinity: 'integer', notNull: true, primaryKey: false, references: { table: 'people', column: 'id' } },
        { name: 'total', affinity: 'real', notNull: false, primaryKey: false },
        { name: 'note', affinity: 'text', notNull: false, primaryKey: false },
      ],
      indexes: [{ name: 'orders_person', columns: ['person_id'], unique: false }],
      rows: ORDER_ROWS,
    },
  ],
};

/** How the copy adapter contract suite gets databases of the kind under test. */
export interface CopyAdapterContractHarness {
  /** A new database holding `fixture` (tables, indexes, rows); returns where it is (a file name, a URL). */
  createDatabase(fixture: CopyContractFixture): Promise<string>;
  /** A new, empty database; returns where it is. */
  createEmpty(): Promise<string>;
  openSource(location: string): Promise<CopySource>;
  openTarget(location: string): Promise<CopyTarget>;
  /** The names of the indexes on the tables of a database (those the fixture names at least). */
  indexNames(location: string): Promise<readonly string[]>;
  /** Removes every database made since the last call; sources and targets are already closed. */
  cleanup?(): Promise<void>;
}

/**
 * A value as the suite compares it: adapters may give native values (SQLite: numbers) or their text (PostgreSQL's COPY
 * text format), so numbers are compared by their text.
 */
function asText(value: unknown): unknown {
  return typeof value === 'number' || typeof value === 'bigint' ? String(value) : value;
}

/** Fixture rows as {@link asText} compares them. */
function texts(rows: readonly (readonly unknown[])[]): unknown[][] {
  return rows.map((r) => r.map(asText));
}

async function allRows(source: CopySource, table: string, batchSize: number, after?: string): Promise<{ rows: unknown[][]; batches: number[]; cursors: string[] }> {
  const rows: unknown[][] = [];
  const batches: number[] = [];
  const cursors: string[] = [];
  for await (const batch of source.read(table, after === undefined ? { batchSize } : { batchSize, after })) {
    rows.push(...batch.rows.map((r) => r.map(asText)));
    batches.push(batch.rows.length);
    cursors.push(batch.cursor);
  }
  return { rows, batches, cursors };
}

function fixtureTable(name: string): CopyFixtureTable {
  const table = COPY_CONTRACT_FIXTURE.tables.find((t) => t.name === name);
  if (table === undefined) throw new Error(`no fixture table ${name}`);
  return table;
}

function specOf(name: string, dropped: readonly string[] = []): CopyTableSpec {
  return { name, columns: fixtureTable(name).columns.map((c) => c.name).filter((c) => !dropped.includes(c)), dropped };
}

function progressOf(rows: Readonly<Record<string, number>>, done: readonly string[] = []): CopyProgress {
  return {
    fingerprint: 'fingerprint-of-the-contract-suite',
    tables: ['orders', 'people'].map((name) => ({ name, rows: rows[name] ?? 0, done: done.includes(name), cursor: rows[name] === undefined ? null : `sealed-cursor-${name}-${rows[name]}` })),
  };
}

function project(rows: readonly (readonly unknown[])[], table: string, dropped: readonly string[]): unknown[][] {
  const keep = fixtureTable(table).columns.map((c, i) => (dropped.includes(c.name) ? -1 : i)).filter((i) => i >= 0);
  return rows.map((r) => keep.map((i) => r[i]));
}

/**
 * The contract every pseudonymized-copy adapter ({@link CopySource} and {@link CopyTarget} of one database kind)
 * must pass: the catalog (`tables()`), reading every row exactly once in batches and resuming after a cursor, the
 * create / write / finish round trip (rows, indexes, dropped columns), the progress of an unfinished copy and the
 * refusal of targets holding anything else, identities, and the text scan. The adapters move rows and schema only:
 * nothing here transforms a value. Call it from a jest test file of the adapter's package.
 *
 * @param name - the adapter's name, for the suite title
 * @param harness - how to make and open databases of the kind under test
 * @example
 * describeCopyAdapterContract('SQLite copy adapter', {
 *   createDatabase: async (fixture) => fileWith(fixture),
 *   createEmpty: async () => newFile(),
 *   openSource: openSqliteCopySource,
 *   openTarget: openSqliteCopyTarget,
 *   indexNames: async (file) => indexesOf(file),
 * });
 */
export function describeCopyAdapterContract(name: string, harness: CopyAdapterContractHarness): void {
  describe(`${name}: copy adapter contract`, () => {
    const opened: { close(): Promise<void> }[] = [];
    const track = <T extends { close(): Promise<void> }>(value: T): T => {
      opened.push(value);
      return value;
    };
    const source = async (location: string): Promise<CopySource> => track(await harness.openSource(location));
    const target = async (location: string): Promise<CopyTarget> => track(await harness.openTarget(location));
    const fixtureSource = async (): Promise<CopySource> => source(await harness.createDatabase(COPY_CONTRACT_FIXTURE));

    afterEach(async () => {
      for (const value of opened.splice(0)) await value.close();
      await harness.cleanup?.();
    });

    /** Copies the fixture into a new target; returns where the target is. */
    async function copyAll(dropped: Readonly<Record<string, readonly string[]>> = {}): Promise<string> {
      const from = await fixtureSource();
      const location = await harness.createEmpty();
      const to = await target(location);
      const specs = ['orders', 'people'].map((t) => specOf(t, dropped[t] ?? []));
      const script = await from.schema(specs);
      await to.create(script, progressOf({}));
      for (const spec of specs) {
        const { rows } = await allRows(from, spec.name, 4);
        await to.write(spec, project(rows, spec.name, spec.dropped), progressOf({ [spec.name]: rows.length }));
      }
      await to.finish(script);
      await to.close();
      return location;
    }

    it('tables() lists every table of the database with its columns, affinities, NOT NULL and primary key', async () => {
      const from = await fixtureSource();
      const tables = await from.tables();
      expect(tables.map((t) => t.name).sort()).toEqual(['orders', 'people']);
      for (const table of tables) {
        expect(table.columns.map((c) => ({ name: c.name, affinity: c.affinity, notNull: c.notNull, primaryKey: c.primaryKey }))).toEqual(
          fixtureTable(table.name).columns.map((c) => ({ name: c.name, affinity: c.affinity, notNull: c.notNull, primaryKey: c.primaryKey })),
        );
      }
    });

    it('tables() lists the tables in the same order every time', async () => {
      const from = await fixtureSource();
      expect((await from.tables()).map((t) => t.name)).toEqual((await from.tables()).map((t) => t.name));
    });

    it('countRows() counts the rows of a table', async () => {
      const from = await fixtureSource();
      expect(await from.countRows('people')).toBe(PEOPLE_ROWS.length);
      expect(await from.countRows('orders')).toBe(ORDER_ROWS.length);
    });

    it.each([1, 3, 100])('read() returns every row exactly once, in key order, in batches of at most %i', async (batchSize) => {
      const from = await fixtureSource();
      const { rows, batches } = await allRows(from, 'people', batchSize);
      expect(rows).toEqual(texts(PEOPLE_ROWS));
      expect(batches.every((n) => n >= 1 && n <= batchSize)).toBe(true);
      expect((await allRows(from, 'orders', batchSize)).rows).toEqual(texts(ORDER_ROWS));
    });

    it('read() resumes after the cursor of a batch with the rows after it', async () => {
      const from = await fixtureSource();
      const { cursors } = await allRows(from, 'people', 3);
      expect((await allRows(from, 'people', 3, cursors[0])).rows).toEqual(texts(PEOPLE_ROWS.slice(3)));
      expect((await allRows(from, 'people', 2, cursors[1])).rows).toEqual(texts(PEOPLE_ROWS.slice(6)));
    });

    it('read() after the cursor of the last batch returns nothing', async () => {
      const from = await fixtureSource();
      const { cursors } = await allRows(from, 'orders', 4);
      expect((await allRows(from, 'orders', 4, cursors[cursors.length - 1])).rows).toEqual([]);
    });

    it('create, write and finish give a target holding exactly the rows written', async () => {
      const copy = await source(await copyAll());
      expect((await allRows(copy, 'people', 100)).rows).toEqual(texts(PEOPLE_ROWS));
      expect((await allRows(copy, 'orders', 100)).rows).toEqual(texts(ORDER_ROWS));
    });

    it('the finished target has the indexes of the source', async () => {
      const location = await copyAll();
      expect(await harness.indexNames(location)).toEqual(expect.arrayContaining(['people_email', 'orders_person']));
    });

    it('a dropped column is absent from the target, its table and its rows', async () => {
      const copy = await source(await copyAll({ people: ['note'], orders: ['note'] }));
      const people = (await copy.tables()).find((t) => t.name === 'people');
      expect(people?.columns.map((c) => c.name)).toEqual(['id', 'name', 'email', 'born']);
      expect((await allRows(copy, 'people', 100)).rows).toEqual(texts(project(PEOPLE_ROWS, 'people', ['note'])));
    });

    it('schema() refuses to drop a column that a kept index needs, naming the table and the column', async () => {
      const from = await fixtureSource();
      await expect(from.schema([specOf('people', ['email']), specOf('orders')])).rejects.toThrow(/people.*email|email.*people/);
    });

    it('progress() of an empty target is undefined', async () => {
      const to = await target(await harness.createEmpty());
      expect(await to.progress()).toBeUndefined();
    });

    it('progress() of an unfinished copy is what the last write() recorded, also after the target was opened again', async () => {
      const from = await fixtureSource();
      const location = await harness.createEmpty();
      const to = await target(location);
      const script = await from.schema([specOf('orders'), specOf('people')]);
      await to.create(script, progressOf({}));
      await to.write(specOf('orders'), ORDER_ROWS.slice(0, 4), progressOf({ orders: 4 }));
      expect(await to.progress()).toEqual(progressOf({ orders: 4 }));
      await to.close();
      expect(await (await target(location)).progress()).toEqual(progressOf({ orders: 4 }));
    });

    it('a copy resumed in a target opened again goes on where it stopped', async () => {
      const from = await fixtureSource();
      const location = await harness.createEmpty();
      const first = await target(location);
      const script = await from.schema([specOf('orders'), specOf('people')]);
      await first.create(script, progressOf({}));
      await first.write(specOf('orders'), ORDER_ROWS.slice(0, 4), progressOf({ orders: 4 }));
      await first.close();
      const again = await target(location);
      await again.write(specOf('orders'), ORDER_ROWS.slice(4), progressOf({ orders: ORDER_ROWS.length }, ['orders']));
      await again.write(specOf('people'), PEOPLE_ROWS, progressOf({ orders: ORDER_ROWS.length, people: PEOPLE_ROWS.length }, ['orders', 'people']));
      await again.finish(script);
      await again.close();
      expect((await allRows(await source(location), 'orders', 100)).rows).toEqual(texts(ORDER_ROWS));
    });

    it('a write that fails leaves neither its rows nor its progress', async () => {
      const from = await fixtureSource();
      const location = await harness.createEmpty();
      const to = await target(location);
      const script = await from.schema([specOf('orders'), specOf('people')]);
      await to.create(script, progressOf({}));
      await to.write(specOf('people'), PEOPLE_ROWS.slice(0, 2), progressOf({ people: 2 }));
      const duplicate = [PEOPLE_ROWS[2] as readonly unknown[], PEOPLE_ROWS[0] as readonly unknown[]];
      await expect(to.write(specOf('people'), duplicate, progressOf({ people: 4 }))).rejects.toThrow();
      expect(await to.progress()).toEqual(progressOf({ people: 2 }));
      await to.finish(script);
      await to.close();
      expect((await allRows(await source(location), 'people', 100)).rows).toEqual(texts(PEOPLE_ROWS.slice(0, 2)));
    });

    it('progress() refuses a target that holds other data', async () => {
      const to = await target(await harness.createDatabase(COPY_CONTRACT_FIXTURE));
      await expect(to.progress()).rejects.toMatchObject({ code: 'PK_COPY' });
    });

    it('progress() refuses a finished copy', async () => {
      const to = await target(await copyAll());
      await expect(to.progress()).rejects.toMatchObject({ code: 'PK_COPY' });
    });

    it('identity() of a source and of a target opened on the same database are equal', async () => {
      const location = await harness.createDatabase(COPY_CONTRACT_FIXTURE);
      expect(await (await target(location)).identity()).toBe(await (await source(location)).identity());
    });

    it('identity() of two databases differ', async () => {
      const one = await source(await harness.createDatabase(COPY_CONTRACT_FIXTURE));
      const other = await target(await harness.createEmpty());
      expect(await other.identity()).not.toBe(await one.identity());
    });

    it('scanText() yields every text value of the target and no NULL', async () => {
      const to = await target(await copyAll());
      const found = new Map<string, string[]>();
      for await (const { table, column, values } of to.scanText({ batchSize: 2 })) {
        expect(values.length).toBeLessThanOrEqual(2);
        const key = `${table}.${column}`;
        found.set(key, [...(found.get(key) ?? []), ...values]);
      }
      for (const name of ['people', 'orders']) {
        const table = fixtureTable(name);
        table.columns.forEach((column, i) => {
          const expected = table.rows.map((r) => r[i]).filter((v): v is string => typeof v === 'string');
          expect([...(found.get(`${name}.${column.name}`) ?? [])].sort()).toEqual([...expected].sort());
        });
      }
    });
  });
}
