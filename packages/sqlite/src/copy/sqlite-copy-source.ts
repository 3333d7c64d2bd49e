/* eslint-disable @typescript-eslint/require-await -- the copy contracts are async (PostgreSQL needs it); better-sqlite3 is synchronous, and async methods make every failure a rejection */
import { statSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { CopyBatch, CopySchemaScript, CopySource, CopyTableSchema, CopyTableSpec } from '@privacy-kit/core';
import { sqliteError } from '../sqlite-errors';
import { COPY_PROGRESS_TABLE, SQLITE_STORE_TABLES, fileIdentity, holdsStore, keysetOf, quoteId, tableInfo, userTableNames, type SqliteTableInfo } from './sqlite-copy-catalog';
import { buildSchemaScript } from './sqlite-copy-schema';

/** The largest integer a JavaScript number holds exactly. */
const MAX_EXACT = Number.MAX_SAFE_INTEGER;

/**
 * Opens a SQLite database file as the source of a pseudonymized copy (`privacy-kit pseudonymize --from app.db`),
 * read-only: nothing is ever written to it.
 *
 * - `identity()` is `sqlite:<device>:<inode>` of the file, the same through a symlink, a hard link or another path.
 * - `tables()` lists the user tables in name order: not SQLite's own (`sqlite_*`), not virtual tables (FTS) nor
 *   their shadow tables, not the tables of a privacy-kit store kept in the same file ({@link SQLITE_STORE_TABLES}),
 *   not the progress table of an unfinished copy. Generated columns are left out: they are not copied, the
 *   recreated schema computes them again.
 * - `read()` walks a table in row id order (primary key order for WITHOUT ROWID tables), one query per batch.
 *   Values come as better-sqlite3 gives them: text as strings, REAL and INTEGER as numbers, BLOB as Buffers, NULL as
 *   null; an INTEGER beyond ±2^53 (which a number would round) comes as a bigint: a batch holding one is read again
 *   with exact integers, so other batches cost nothing.
 * - `schema()` gives the CREATE TABLE statements of the source (then `ALTER TABLE … DROP COLUMN` for dropped
 *   columns), and to finish its indexes, triggers and views and its `PRAGMA user_version`. It is checked in a
 *   database in memory first: a dropped column that an index, a key, a UNIQUE, CHECK or foreign key constraint, a
 *   trigger or a view needs is an error naming the table and column, before anything is written.
 *
 * @param filename - the app's database file
 * @throws PK_COPY when the file does not exist or is not a SQLite database
 * @example
 * const source = await openSqliteCopySource('data/shop.db');
 * for (const table of await source.tables()) console.log(table.name, await source.countRows(table.name));
 * await source.close();
 */
export async function openSqliteCopySource(filename: string): Promise<CopySource> {
  let db: Database.Database;
  try {
    if (!statSync(filename).isFile()) throw sqliteError('PK_COPY', `the copy source ${filename} is not a file; give the SQLite database file of the app.`);
    db = new Database(filename, { readonly: true, fileMustExist: true });
  } catch (cause) {
    if ((cause as { code?: unknown } | null)?.code === 'PK_COPY') throw cause;
    const missing = (cause as { code?: unknown } | null)?.code === 'ENOENT';
    throw sqliteError('PK_COPY', `cannot open the copy source ${filename}${missing ? ': there is no such file' : ''}; give the SQLite database file of the app.`, { cause });
  }
  try {
    db.prepare('SELECT count(*) FROM sqlite_schema').get();
  } catch (cause) {
    db.close();
    throw sqliteError('PK_COPY', `the copy source ${filename} is not a SQLite database (or it is damaged); give the SQLite database file of the app.`, { cause });
  }
  return new SqliteCopySource(db, filename);
}

/** Decodes a cursor of a WITHOUT ROWID table: the JSON of the last key values, bigints and Buffers tagged. */
function decodeKey(cursor: string): unknown[] {
  const parsed = JSON.parse(cursor) as unknown;
  if (!Array.isArray(parsed)) throw new TypeError('not an array');
  return parsed.map((v: unknown) => {
    if (v !== null && typeof v === 'object') {
      const tagged = v as { i?: string; b?: string };
      if (typeof tagged.i === 'string') return BigInt(tagged.i);
      if (typeof tagged.b === 'string') return Buffer.from(tagged.b, 'base64');
      throw new TypeError('unknown tag');
    }
    return v;
  });
}

function encodeKey(values: readonly unknown[]): string {
  return JSON.stringify(values.map((v) => (typeof v === 'bigint' ? { i: v.toString() } : Buffer.isBuffer(v) ? { b: v.toString('base64') } : v)));
}

/** Whether a batch holds a number that may be a rounded INTEGER (beyond ±2^53). */
function mayBeRounded(rows: readonly unknown[][]): boolean {
  for (const row of rows) {
    for (const value of row) if (typeof value === 'number' && (value > MAX_EXACT || value < -MAX_EXACT)) return true;
  }
  return false;
}

/** Exact integers back to numbers where a number holds them exactly; bigints only beyond ±2^53. */
function narrowIntegers(rows: unknown[][]): void {
  for (const row of rows) {
    for (let i = 0; i < row.length; i++) {
      const value = row[i];
      if (typeof value === 'bigint' && value <= BigInt(MAX_EXACT) && value >= -BigInt(MAX_EXACT)) row[i] = Number(value);
    }
  }
}

class SqliteCopySource implements CopySource {
  readonly kind = 'sqlite' as const;
  private closed = false;

  constructor(
    private readonly db: Database.Database,
    private readonly filename: string,
  ) {}

  async identity(): Promise<string> {
    return fileIdentity(this.filename);
  }

  async tables(): Promise<readonly CopyTableSchema[]> {
    return this.copiedTables().map((t) => ({ name: t.name, columns: t.columns }));
  }

  async countRows(table: string): Promise<number> {
    const info = this.table(table, 'countRows()');
    return (this.db.prepare(`SELECT count(*) FROM ${quoteId(info.name)}`).pluck().get() as number);
  }

  async *read(table: string, options: { readonly batchSize: number; readonly after?: string }): AsyncIterable<CopyBatch> {
    const info = this.table(table, 'read()');
    const { batchSize } = options;
    if (!Number.isInteger(batchSize) || batchSize < 1) throw sqliteError('PK_INVALID_OPTION', `read(): batchSize must be a positive integer (got ${String(batchSize)}).`);
    const keyset = keysetOf(info, info.columns.map((c) => c.name), (m) => sqliteError('PK_COPY', m));
    const from = `SELECT ${keyset.select} FROM ${quoteId(info.name)}`;
    const order = ` ORDER BY ${keyset.orderBy} LIMIT ?`;
    const first = this.db.prepare(`${from}${order}`).raw(true);
    const next = this.db.prepare(`${from} WHERE ${keyset.keyExpression} > ${keyset.keyPlaceholder}${order}`).raw(true);
    let after = options.after === undefined ? undefined : this.decodeCursor(info, options.after);
    for (;;) {
      this.open('read()');
      let rows = this.batch(first, next, after, batchSize);
      if (mayBeRounded(rows)) {
        rows = this.batch(first.safeIntegers(true), next.safeIntegers(true), after, batchSize);
        first.safeIntegers(false);
        next.safeIntegers(false);
        narrowIntegers(rows);
      }
      const last = rows[rows.length - 1];
      if (last === undefined) return;
      after = keyset.keyIndexes.map((i) => last[i]);
      const cursor = this.encodeCursor(info, after);
      if (keyset.extraRowid) for (const row of rows) row.pop();
      yield { rows, cursor };
      if (rows.length < batchSize) return;
    }
  }

  async schema(tables: readonly CopyTableSpec[]): Promise<CopySchemaScript> {
    this.open('schema()');
    const known = new Map(this.copiedTables().map((t) => [t.name, t]));
    for (const spec of tables) {
      const info = known.get(spec.name);
      if (info === undefined) throw this.unknownTable(spec.name, 'schema()');
      for (const column of spec.dropped) {
        if (!info.columns.some((c) => c.name === column)) throw sqliteError('PK_COPY', `schema(): table ${spec.name} has no column ${column} to drop; name a column of the table.`);
      }
    }
    return buildSchemaScript(this.db, tables);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }

  private batch(first: Database.Statement, next: Database.Statement, after: readonly unknown[] | undefined, batchSize: number): unknown[][] {
    return (after === undefined ? first.all(batchSize) : next.all(...after, batchSize)) as unknown[][];
  }

  private copiedTables(): SqliteTableInfo[] {
    const names = userTableNames(this.db);
    const store = holdsStore(names);
    return names.filter((n) => n !== COPY_PROGRESS_TABLE && !(store && SQLITE_STORE_TABLES.includes(n))).map((n) => tableInfo(this.db, n));
  }

  private table(name: string, operation: string): SqliteTableInfo {
    this.open(operation);
    const info = this.copiedTables().find((t) => t.name === name);
    if (info === undefined) throw this.unknownTable(name, operation);
    return info;
  }

  private unknownTable(name: string, operation: string): Error {
    return sqliteError('PK_COPY', `${operation}: ${this.filename} has no table ${name} to copy; name one of the tables that tables() lists.`);
  }

  private encodeCursor(info: SqliteTableInfo, key: readonly unknown[]): string {
    return info.withoutRowid ? encodeKey(key) : String(key[0]);
  }

  private decodeCursor(info: SqliteTableInfo, cursor: string): unknown[] {
    try {
      if (info.withoutRowid) {
        const key = decodeKey(cursor);
        if (key.length !== info.primaryKey.length) throw new TypeError('wrong length');
        return key;
      }
      return [BigInt(cursor)];
    } catch (cause) {
      throw sqliteError('PK_COPY', `read(): the cursor to resume table ${info.name} after is not one this source made; resume with the cursor of a batch of the same table, or start the copy again into a new target.`, { cause });
    }
  }

  private open(operation: string): void {
    if (this.closed) throw sqliteError('PK_STORE_CLOSED', `${operation}: the copy source was closed; open it again.`);
  }
}
