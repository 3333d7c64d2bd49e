import type { CopyBatch, CopySchemaScript, CopySource, CopyTableSchema, CopyTableSpec } from '@privacy-kit/core';
import { escapeLiteral } from 'pg';
import { postgresError, storeUnavailable } from '../postgres-errors';
import { COPY_SESSION_SETTINGS, quoteIdent, readCatalog, searchPath, type CatalogTable } from './postgres-copy-catalog';
import { openPostgresCopyConnection, type PostgresCopyOptions } from './postgres-copy.options';
import { copySchemaScript } from './postgres-copy-schema';
import { PostgresCopyEnd, checkedEnd, copyError } from './postgres-copy-end';
import { copyOutRows } from './postgres-copy-stream';

/** Above this many rows (the planner's estimate), countRows() gives the estimate instead of counting. */
const EXACT_COUNT_LIMIT = 1_000_000;
const READ_ONLY = 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY';

/**
 * Opens a PostgreSQL database as the source of a pseudonymized copy (`privacy-kit pseudonymize --from postgres://…`).
 * Read-only: every read runs in `BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY`, one transaction per table read
 * (each table is one consistent snapshot; tables are read at different moments).
 *
 * - `tables()`: the ordinary tables and partitioned parents of the schema, in name order (a partitioned table is read
 *   through its parent, with every partition's rows, and created in a target as one ordinary table; partitions are not
 *   listed). Not listed: a privacy-kit store's tables when the store lives in this schema, the copy's progress table,
 *   extensions' tables. Columns in attnum order, without generated columns (a target's table does not have them).
 * - `countRows()`: `count(*)`, or the planner's estimate (`reltuples`) above a million rows, where counting is slow.
 * - `read()`: one streaming `COPY (SELECT … ORDER BY <primary key>) TO STDOUT` per call, in text format. Values are
 *   the text PostgreSQL writes for them (strings: `'42'`, `'t'`, `'2024-05-01 10:00:00+00'` in UTC, bytea as
 *   `'\x…'`, arrays as `'{…}'`) or null; the engine handles strings for every affinity, and a PostgreSQL target
 *   reads them back unchanged. The cursor is the JSON of the last row's primary key values. A table without a
 *   primary key is read in the order of all its values as text (identical rows are interchangeable), and its cursor
 *   counts the rows read; a resume skips that many, which is right as long as the table did not change meanwhile.
 * - `schema()`: DDL from the catalog (no pg_dump); see {@link copySchemaScript}.
 *
 * Needs PostgreSQL 12 or newer.
 *
 * @example
 * const source = await openPostgresCopySource({ connectionString: process.env.DATABASE_URL! });
 * for await (const batch of source.read('users', { batchSize: 1000 })) console.log(batch.rows.length);
 * await source.close();
 */
export async function openPostgresCopySource(options: PostgresCopyOptions): Promise<CopySource> {
  const { schema, connections } = openPostgresCopyConnection(options, 'openPostgresCopySource()');
  return checkedEnd(new PostgresCopySource(schema, connections, 'openPostgresCopySource()'));
}

class PostgresCopySource extends PostgresCopyEnd implements CopySource {
  private catalog: Promise<CatalogTable[]> | undefined;

  async tables(): Promise<readonly CopyTableSchema[]> {
    return (await this.loadCatalog()).map((t) => ({ name: t.name, columns: t.columns.map(({ name, type, affinity, notNull, primaryKey }) => ({ name, type, affinity, notNull, primaryKey })) }));
  }

  async countRows(table: string): Promise<number> {
    const t = await this.table(table);
    return this.run(`countRows('${table}')`, async (client) => {
      const estimate = await client.query<{ n: number }>('SELECT reltuples::float8 AS n FROM pg_class WHERE oid = $1::oid', [t.oid]);
      const n = estimate.rows[0]?.n ?? 0;
      if (n > EXACT_COUNT_LIMIT) return Math.round(n);
      const counted = await client.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${this.qualified(t.name)}`);
      return Number(counted.rows[0]?.n ?? 0);
    });
  }

  async *read(table: string, options: { readonly batchSize: number; readonly after?: string }): AsyncIterable<CopyBatch> {
    const batchSize = options.batchSize;
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw postgresError('PK_INVALID_OPTION', `read('${table}'): 'batchSize' must be a positive whole number; got ${String(batchSize)}.`);
    }
    const t = await this.table(table);
    const start = this.position(t, options.after);
    const client = await this.connect(`read('${table}')`);
    this.reading.add(client);
    let done = false;
    try {
      await client.query(`${READ_ONLY}; ${COPY_SESSION_SETTINGS}; ${searchPath(this.schemaName)}`);
      let rows = start.rows;
      const pk = t.primaryKey.map((c) => t.columns.indexOf(c));
      for await (const batch of copyOutRows(client, this.selectSql(t, start), t.columns.length, batchSize)) {
        rows += batch.length;
        const last = batch[batch.length - 1] as (string | null)[];
        yield { rows: batch, cursor: pk.length > 0 ? JSON.stringify(pk.map((i) => last[i])) : JSON.stringify({ rows }) };
      }
      await client.query('COMMIT');
      done = true;
    } catch (err) {
      throw storeUnavailable(`reading table '${table}'`, err);
    } finally {
      this.reading.delete(client);
      // A read left early is mid-COPY: the connection cannot be reused.
      client.release(done ? undefined : true);
    }
  }

  async schema(tables: readonly CopyTableSpec[]): Promise<CopySchemaScript> {
    const catalog = await this.loadCatalog();
    return this.run('schema()', async (client) => {
      await client.query(`BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; ${searchPath(this.schemaName)}`);
      try {
        return await copySchemaScript(client, this.schemaName, catalog, tables);
      } finally {
        await client.query('COMMIT');
      }
    });
  }

  private qualified(name: string): string {
    return `${quoteIdent(this.schemaName)}.${quoteIdent(name)}`;
  }

  /** Where a read starts: after the key values of a cursor, or after a count of rows (tables without a key). */
  private position(t: CatalogTable, after: string | undefined): { readonly key?: readonly string[]; readonly rows: number } {
    if (after === undefined) return { rows: 0 };
    let parsed: unknown;
    try {
      parsed = JSON.parse(after);
    } catch {
      parsed = undefined;
    }
    if (t.primaryKey.length > 0 && Array.isArray(parsed) && parsed.length === t.primaryKey.length && parsed.every((v) => typeof v === 'string')) {
      return { key: parsed, rows: 0 };
    }
    const rows = (parsed as { rows?: unknown } | undefined)?.rows;
    if (t.primaryKey.length === 0 && typeof rows === 'number' && Number.isInteger(rows) && rows >= 0) return { rows };
    throw copyError(
      `read('${t.name}'): the cursor to resume from is not one this table gives (${t.primaryKey.length > 0 ? `the JSON of its ${t.primaryKey.length} primary key value(s)` : 'a row count: the table has no primary key'}). ` +
      'Did the table change since the interrupted copy? Start the copy again into an empty target.',
    );
  }

  private selectSql(t: CatalogTable, start: { readonly key?: readonly string[]; readonly rows: number }): string {
    const columns = t.columns.map((c) => quoteIdent(c.name)).join(', ');
    let sql = `SELECT ${columns} FROM ${this.qualified(t.name)}`;
    if (t.primaryKey.length > 0) {
      const key = t.primaryKey.map((c) => quoteIdent(c.name));
      if (start.key !== undefined) {
        // COPY takes no bind parameters: the cursor's values go in as escaped literals cast to the key's types.
        const values = t.primaryKey.map((c, i) => `${escapeLiteral(start.key?.[i] ?? '')}::${c.type}`);
        sql += ` WHERE (${key.join(', ')}) > (${values.join(', ')})`;
      }
      sql += ` ORDER BY ${key.join(', ')}`;
    } else {
      sql += ` ORDER BY ${t.columns.map((c) => `${quoteIdent(c.name)}::text COLLATE "C"`).join(', ')}`;
      if (start.rows > 0) sql += ` OFFSET ${start.rows}`;
    }
    return `COPY (${sql}) TO STDOUT`;
  }

  private loadCatalog(): Promise<CatalogTable[]> {
    this.catalog ??= this.run('tables()', async (client) => {
      await client.query(`BEGIN READ ONLY; ${searchPath(this.schemaName)}`);
      try {
        return await readCatalog(client, this.schemaName);
      } finally {
        await client.query('COMMIT');
      }
    });
    const loaded = this.catalog;
    loaded.catch(() => { if (this.catalog === loaded) this.catalog = undefined; });
    return loaded;
  }

  private async table(name: string): Promise<CatalogTable> {
    const catalog = await this.loadCatalog();
    const table = catalog.find((t) => t.name === name);
    if (table === undefined) {
      throw postgresError('PK_NOT_FOUND', `table '${name}' is not a table of schema '${this.schemaName}' that a copy reads. Its tables: ${catalog.map((t) => t.name).join(', ') || '(none)'}.`);
    }
    return table;
  }

}
