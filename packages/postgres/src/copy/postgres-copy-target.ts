import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { CopyProgress, CopySchemaScript, CopyTableSpec, CopyTarget } from '@privacy-kit/core';
import { isPrivacyKitError } from '@privacy-kit/core';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { describeCause, isConnectionError, postgresError, storeUnavailable } from '../postgres-errors';
import type { PostgresConnections } from '../postgres-pool';
import { encodeCopyRow } from './copy-text-format';
import { COPY_PROGRESS_TABLE, COPY_SESSION_SETTINGS, quoteIdent, readCatalog, searchPath } from './postgres-copy-catalog';
import { openPostgresCopyConnection, type PostgresCopyOptions } from './postgres-copy.options';
import { copyOutRows } from './postgres-copy-stream';
import { PostgresCopyEnd, checkedEnd, copyError } from './postgres-copy-end';

/** The version of the progress row's format; a target written by another version is refused. */
const PROGRESS_FORMAT = 1;
/** Rows are sent to the server in pieces of about this many characters. */
const WRITE_CHUNK = 64 * 1024;
/** The types whose values the scan reads (json and jsonb as their text). */
const SCANNED_AFFINITY = 'text';
const SCANNED_TYPES = new Set(['json']);

/** A refused statement said without its values: SQLSTATE, constraint, and from COPY's context the line and column. */
function refusal(cause: unknown): string {
  const err = cause as { where?: unknown; constraint?: unknown } | null;
  const where = typeof err?.where === 'string' ? /COPY [^,]+, line (\d+)(?:, column ([^:]+))?/.exec(err.where) : null;
  const at = where === null ? '' : ` at row ${where[1]} of the batch${where[2] === undefined ? '' : ` (column '${where[2]}')`}`;
  const constraint = typeof err?.constraint === 'string' ? `, constraint '${err.constraint}'` : '';
  return `${at}: ${describeCause(cause)}${constraint}`;
}

/**
 * Opens a PostgreSQL database as the target of a pseudonymized copy (`privacy-kit pseudonymize --to postgres://…`).
 * The copy lands in `schema` (default `public`, created when missing), which must be empty or hold an unfinished
 * copy: its progress is the one row of the table `_privacy_kit_copy` there (the JSON of the progress and a format
 * version), written in the same transaction as every batch, and dropped by `finish()`.
 *
 * - `create()`, `finish()`: the source's scripts, run in one transaction each with the target's schema first on the
 *   search path (the scripts name the copied objects without a schema).
 * - `write()`: one transaction: `COPY "schema"."table" (columns) FROM STDIN` in text format (null is `\N`; strings
 *   escaped; numbers and bigints as text; booleans `t`/`f`; Buffers bytea hex; Dates ISO 8601; other objects JSON),
 *   then the progress row. A refused row (a constraint) rolls back the batch and its progress; the error names the
 *   table, the row of the batch and the constraint, never a value.
 * - `scanText()`: the non-null values of every text, varchar, char, citext, name, json and jsonb column, table by
 *   table, streamed with `COPY … TO STDOUT`.
 *
 * @example
 * const target = await openPostgresCopyTarget({ connectionString: process.env.STAGING_DATABASE_URL! });
 * console.log(await target.progress()); // undefined: an empty target
 * await target.close();
 */
export async function openPostgresCopyTarget(options: PostgresCopyOptions): Promise<CopyTarget> {
  const { schema, connections } = openPostgresCopyConnection(options, 'openPostgresCopyTarget()');
  return checkedEnd(new PostgresCopyTarget(schema, connections, 'openPostgresCopyTarget()'));
}

class PostgresCopyTarget extends PostgresCopyEnd implements CopyTarget {
  private readonly quoted: string;
  private readonly progressTable: string;

  constructor(schema: string, connections: PostgresConnections, opener: string) {
    super(schema, connections, opener);
    this.quoted = quoteIdent(schema);
    this.progressTable = `${this.quoted}.${quoteIdent(COPY_PROGRESS_TABLE)}`;
  }

  progress(): Promise<CopyProgress | undefined> {
    return this.run('progress()', async (client) => {
      const state = await client.query<{ tables: number; progress: boolean }>(
        `SELECT (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                  WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND c.relname <> $2)::int AS tables,
                EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2) AS progress`,
        [this.schemaName, COPY_PROGRESS_TABLE],
      );
      const { tables, progress } = state.rows[0] ?? { tables: 0, progress: false };
      if (!progress) {
        if (tables === 0) return undefined;
        throw copyError(
          `the target schema '${this.schemaName}' holds ${tables} table(s) but no unfinished privacy-kit copy (someone's data, or a copy that finished): ` +
          'a copy only goes into an empty database or schema. Give an empty one (or another schema of this database).',
        );
      }
      const row = (await client.query<{ format: number; progress: string }>(`SELECT format, progress FROM ${this.progressTable}`)).rows[0];
      if (row?.format !== PROGRESS_FORMAT) {
        throw copyError(`the target schema '${this.schemaName}' holds a copy in progress written by another version of @privacy-kit/postgres (format ${String(row?.format)}, this one reads ${PROGRESS_FORMAT}). Give an empty target and start again.`);
      }
      return JSON.parse(row.progress) as CopyProgress;
    });
  }

  create(script: CopySchemaScript, progress: CopyProgress): Promise<void> {
    return this.transaction('create()', async (client) => {
      const exists = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [this.schemaName]);
      // Checked first: CREATE SCHEMA IF NOT EXISTS needs the CREATE right on the database even when the schema exists.
      if (exists.rowCount === 0) await client.query(`CREATE SCHEMA ${this.quoted}`);
      await client.query(searchPath(this.schemaName));
      await this.script(client, 'create', script.create);
      await client.query(`CREATE TABLE ${this.progressTable} (id integer PRIMARY KEY CHECK (id = 1), format integer NOT NULL, progress text NOT NULL)`);
      await client.query(`INSERT INTO ${this.progressTable} (id, format, progress) VALUES (1, $1, $2)`, [PROGRESS_FORMAT, JSON.stringify(progress)]);
    });
  }

  write(table: CopyTableSpec, rows: readonly (readonly unknown[])[], progress: CopyProgress): Promise<void> {
    const width = table.columns.length;
    const bad = rows.findIndex((row) => row.length !== width);
    if (bad !== -1) {
      return Promise.reject(copyError(`write('${table.name}'): row ${bad + 1} of the batch has ${(rows[bad] as readonly unknown[]).length} values where the table's ${width} columns (${table.columns.join(', ')}) need ${width}. Nothing was written.`));
    }
    return this.transaction(`write('${table.name}')`, async (client) => {
      if (rows.length > 0) {
        const sql = `COPY ${this.quoted}.${quoteIdent(table.name)} (${table.columns.map(quoteIdent).join(', ')}) FROM STDIN`;
        try {
          await pipeline(Readable.from(chunks(rows)), client.query(copyFrom(sql)));
        } catch (err) {
          if (isConnectionError(err)) throw err;
          throw copyError(`write('${table.name}'): PostgreSQL refused the batch${refusal(err)}. Nothing of this batch was written and the progress is unchanged.`, err);
        }
      }
      const updated = await client.query(`UPDATE ${this.progressTable} SET progress = $1 WHERE id = 1`, [JSON.stringify(progress)]);
      if (updated.rowCount !== 1) throw copyError(`write('${table.name}'): the target has no progress row: create() must run first.`);
    });
  }

  finish(script: CopySchemaScript): Promise<void> {
    return this.transaction('finish()', async (client) => {
      await client.query(searchPath(this.schemaName));
      await this.script(client, 'finish', script.finish);
      await client.query(`DROP TABLE ${this.progressTable}`);
    });
  }

  async *scanText(options: { readonly batchSize: number }): AsyncIterable<{ readonly table: string; readonly column: string; readonly values: readonly string[] }> {
    const batchSize = options.batchSize;
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw postgresError('PK_INVALID_OPTION', `scanText(): 'batchSize' must be a positive whole number; got ${String(batchSize)}.`);
    }
    const client = await this.connect('scanText()');
    this.reading.add(client);
    let done = false;
    try {
      await client.query(`BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; ${COPY_SESSION_SETTINGS}; ${searchPath(this.schemaName)}`);
      for (const table of await readCatalog(client, this.schemaName)) {
        const columns = table.columns.filter((c) => c.affinity === SCANNED_AFFINITY || SCANNED_TYPES.has(c.affinity));
        if (columns.length === 0) continue;
        const pending = columns.map(() => [] as string[]);
        const sql = `COPY (SELECT ${columns.map((c) => quoteIdent(c.name)).join(', ')} FROM ${this.quoted}.${quoteIdent(table.name)}) TO STDOUT`;
        for await (const batch of copyOutRows(client, sql, columns.length, batchSize)) {
          for (const row of batch) {
            for (let i = 0; i < columns.length; i++) {
              const value = row[i];
              if (value === null || value === undefined) continue;
              const values = pending[i] as string[];
              values.push(value);
              if (values.length >= batchSize) {
                yield { table: table.name, column: (columns[i] as { name: string }).name, values };
                pending[i] = [];
              }
            }
          }
        }
        for (let i = 0; i < columns.length; i++) {
          const values = pending[i] as string[];
          if (values.length > 0) yield { table: table.name, column: (columns[i] as { name: string }).name, values };
        }
      }
      await client.query('COMMIT');
      done = true;
    } catch (err) {
      throw storeUnavailable('scanText()', err);
    } finally {
      this.reading.delete(client);
      client.release(done ? undefined : true);
    }
  }

  private async script(client: PoolClient, name: string, statements: readonly string[]): Promise<void> {
    for (const [i, statement] of statements.entries()) {
      try {
        await client.query(statement);
      } catch (err) {
        if (isConnectionError(err)) throw err;
        const table = (err as { table?: unknown }).table;
        throw copyError(
          `the ${name} script's statement ${i + 1} of ${statements.length} (${statement.split('\n')[0]?.slice(0, 80) ?? ''}) failed${typeof table === 'string' ? ` on table '${table}'` : ''}${refusal(err)}. Nothing of it was applied.`,
          err,
        );
      }
    }
  }


  private async transaction(operation: string, fn: (client: PoolClient) => Promise<void>): Promise<void> {
    this.open(operation);
    try {
      await this.connections.transaction(`BEGIN; ${COPY_SESSION_SETTINGS}`, fn);
    } catch (err) {
      throw isPrivacyKitError(err) ? err : storeUnavailable(operation, err);
    }
  }
}

/** Rows as text-format pieces of about {@link WRITE_CHUNK} characters, made as the COPY stream asks for them. */
function* chunks(rows: readonly (readonly unknown[])[]): Generator<string> {
  let piece = '';
  for (const row of rows) {
    piece += encodeCopyRow(row);
    if (piece.length >= WRITE_CHUNK) {
      yield piece;
      piece = '';
    }
  }
  if (piece !== '') yield piece;
}
