/* eslint-disable @typescript-eslint/require-await -- the copy contracts are async (PostgreSQL needs it); better-sqlite3 is synchronous, and async methods make every failure a rejection */
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { CopyProgress, CopySchemaScript, CopyTableSpec, CopyTarget } from '@privacy-kit/core';
import { describeSqliteCause, sqliteError } from '../sqlite-errors';
import { COPY_PROGRESS_TABLE, fileIdentity, keysetOf, quoteId, tableInfo, userTableNames } from './sqlite-copy-catalog';

/** The format of the progress row; a target written by another format is refused rather than misread. */
const PROGRESS_FORMAT = 1;

/** The first 16 bytes of every SQLite database file. */
const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

const NOT_A_COPY =
  'holds data that is not an unfinished privacy-kit copy (tables, but no copy progress: the data of an app, or a copy that finished, which keeps no progress); give a new or empty file as the target';

/**
 * Opens (or creates) a SQLite database file as the target of a pseudonymized copy (`privacy-kit pseudonymize --to
 * copy.db`). A file that does not exist is created empty (so that its identity exists to compare with the source's);
 * an existing file must be a SQLite database. Nothing is written before `create()`: the engine compares identities
 * first, so a target that is the source is refused before a byte changes.
 *
 * - `progress()`: undefined for an empty database; the progress of an unfinished copy (table
 *   {@link COPY_PROGRESS_TABLE}); any other content is refused (PK_COPY), a finished copy too (it keeps no progress).
 * - `create()`, `write()`, `finish()`: one transaction each, the progress row updated in the same transaction, so a
 *   crash loses at most the batch being written, which the progress then does not count. The file is put in WAL
 *   mode with `synchronous = NORMAL` (`create()`); foreign keys are not enforced while rows arrive (tables are
 *   written one after the other; the source's rows already satisfy them).
 * - `scanText()`: every non-null text value, column by column, one query per batch.
 *
 * @param filename - the file to write the copy to (new, empty, or an unfinished copy to resume)
 * @throws PK_COPY when the path is not a file or the file is not a SQLite database
 * @example
 * const target = await openSqliteCopyTarget('copy.db');
 * if ((await target.progress()) === undefined) console.log('a new copy');
 */
export async function openSqliteCopyTarget(filename: string): Promise<CopyTarget> {
  let db: Database.Database;
  try {
    if (existsSync(filename)) checkIsSqliteFile(filename);
    db = new Database(filename);
  } catch (cause) {
    if ((cause as { code?: unknown } | null)?.code === 'PK_COPY') throw cause;
    throw sqliteError('PK_COPY', `cannot open or create the copy target ${filename}: ${describeSqliteCause(cause)}; give a new file in a folder that exists and is writable.`, { cause });
  }
  // Settings of this connection only: nothing is written to the file by them.
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = OFF');
  return new SqliteCopyTarget(db, filename);
}

function checkIsSqliteFile(filename: string): void {
  const stat = statSync(filename);
  if (!stat.isFile()) throw sqliteError('PK_COPY', `the copy target ${filename} is not a file; give a new or empty SQLite file.`);
  if (stat.size === 0) return;
  const header = Buffer.alloc(SQLITE_HEADER.length);
  const fd = openSync(filename, 'r');
  try {
    readSync(fd, header, 0, header.length, 0);
  } finally {
    closeSync(fd);
  }
  if (!header.equals(SQLITE_HEADER)) throw sqliteError('PK_COPY', `the copy target ${filename} exists and is not a SQLite database; give a new or empty file, nothing was written.`);
}

class SqliteCopyTarget implements CopyTarget {
  readonly kind = 'sqlite' as const;
  private closed = false;
  private readonly inserts = new Map<string, Database.Statement>();
  private saveProgress: Database.Statement | undefined;

  constructor(
    private readonly db: Database.Database,
    private readonly filename: string,
  ) {}

  async identity(): Promise<string> {
    return fileIdentity(this.filename);
  }

  async progress(): Promise<CopyProgress | undefined> {
    this.open('progress()');
    const objects = this.db.prepare("SELECT name FROM sqlite_schema WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'").pluck().all() as string[];
    if (objects.length === 0) return undefined;
    if (!objects.includes(COPY_PROGRESS_TABLE)) throw sqliteError('PK_COPY', `the copy target ${this.filename} ${NOT_A_COPY}.`);
    const row = this.db.prepare(`SELECT format, progress FROM ${quoteId(COPY_PROGRESS_TABLE)} WHERE id = 1`).get() as { format: number; progress: string } | undefined;
    if (row?.format !== PROGRESS_FORMAT) {
      throw sqliteError('PK_COPY', `the copy target ${this.filename} holds the progress of a copy in another format (or none); give a new or empty file as the target.`);
    }
    return JSON.parse(row.progress) as CopyProgress;
  }

  async create(script: CopySchemaScript, progress: CopyProgress): Promise<void> {
    this.open('create()');
    try {
      // Not allowed inside a transaction; it changes the file header only, and the file is empty or a copy of ours.
      if (this.isEmpty()) this.db.pragma('journal_mode = WAL');
      this.db.transaction(() => {
        if (!this.isEmpty()) throw sqliteError('PK_COPY', `create(): the copy target ${this.filename} is not empty: it ${NOT_A_COPY}.`);
        for (const statement of script.create) this.db.exec(statement);
        this.db.exec(`CREATE TABLE ${quoteId(COPY_PROGRESS_TABLE)} (id INTEGER PRIMARY KEY CHECK (id = 1), format INTEGER NOT NULL, progress TEXT NOT NULL)`);
        this.db.prepare(`INSERT INTO ${quoteId(COPY_PROGRESS_TABLE)} (id, format, progress) VALUES (1, ?, ?)`).run(PROGRESS_FORMAT, JSON.stringify(progress));
      })();
    } catch (cause) {
      throw this.failure('create()', 'creating the tables', cause);
    }
  }

  async write(table: CopyTableSpec, rows: readonly (readonly unknown[])[], progress: CopyProgress): Promise<void> {
    this.open('write()');
    try {
      const insert = this.insertOf(table);
      const save = this.progressStatement();
      this.db.transaction(() => {
        for (const row of rows) {
          try {
            insert.run(row);
          } catch (cause) {
            // Booleans are no SQLite value; only a row holding one pays for the conversion. By name: the driver's
            // TypeError may come from another realm.
            if ((cause as Error | null)?.name !== 'TypeError' || !row.some((v) => typeof v === 'boolean')) throw cause;
            insert.run(row.map((v) => (typeof v === 'boolean' ? Number(v) : v)));
          }
        }
        if (save.run(JSON.stringify(progress)).changes !== 1) throw sqliteError('PK_COPY', `write(): the copy target ${this.filename} has no copy in progress; call create() first.`);
      })();
    } catch (cause) {
      throw this.failure('write()', `writing a batch of ${rows.length} rows to table ${table.name}`, cause);
    }
  }

  async finish(script: CopySchemaScript): Promise<void> {
    this.open('finish()');
    try {
      this.db.transaction(() => {
        if (this.db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?").get(COPY_PROGRESS_TABLE) === undefined) {
          throw sqliteError('PK_COPY', `finish(): the copy target ${this.filename} has no copy in progress; call create() first.`);
        }
        for (const statement of script.finish) this.db.exec(statement);
        this.db.exec(`DROP TABLE ${quoteId(COPY_PROGRESS_TABLE)}`);
      })();
    } catch (cause) {
      throw this.failure('finish()', 'creating the indexes, triggers and views', cause);
    }
    if ((this.db.pragma('journal_mode', { simple: true }) as string) === 'wal') this.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  async *scanText(options: { readonly batchSize: number }): AsyncIterable<{ readonly table: string; readonly column: string; readonly values: readonly string[] }> {
    const { batchSize } = options;
    if (!Number.isInteger(batchSize) || batchSize < 1) throw sqliteError('PK_INVALID_OPTION', `scanText(): batchSize must be a positive integer (got ${String(batchSize)}).`);
    this.open('scanText()');
    for (const name of userTableNames(this.db)) {
      if (name === COPY_PROGRESS_TABLE) continue;
      const info = tableInfo(this.db, name);
      // Generated columns hold values too (derived from copied ones): the scan reads them as well.
      const columns = (this.db.prepare('SELECT name FROM pragma_table_xinfo(?) WHERE hidden IN (0, 2, 3) ORDER BY cid').pluck().all(name) as string[]);
      // One pass over the table, whatever its number of columns: each batch of rows gives a batch per column.
      const keyset = keysetOf(info, columns, (m) => sqliteError('PK_COPY', m));
      const from = `SELECT ${keyset.select} FROM ${quoteId(name)}`;
      const order = ` ORDER BY ${keyset.orderBy} LIMIT ?`;
      const first = this.db.prepare(`${from}${order}`).raw(true);
      const next = this.db.prepare(`${from} WHERE ${keyset.keyExpression} > ${keyset.keyPlaceholder}${order}`).raw(true);
      let after: unknown[] | undefined;
      for (;;) {
        this.open('scanText()');
        const rows = (after === undefined ? first.all(batchSize) : next.all(...after, batchSize)) as unknown[][];
        const last = rows[rows.length - 1];
        if (last === undefined) break;
        after = keyset.keyIndexes.map((i) => last[i]);
        for (const [c, column] of columns.entries()) {
          const values: string[] = [];
          for (const row of rows) {
            const value = row[c];
            if (typeof value === 'string') values.push(value);
          }
          if (values.length > 0) yield { table: name, column, values };
        }
        if (rows.length < batchSize) break;
      }
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }

  private isEmpty(): boolean {
    return this.db.prepare("SELECT 1 FROM sqlite_schema WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' LIMIT 1").get() === undefined;
  }

  private insertOf(table: CopyTableSpec): Database.Statement {
    const key = JSON.stringify([table.name, table.columns]);
    let insert = this.inserts.get(key);
    if (insert === undefined) {
      try {
        insert = this.db.prepare(`INSERT INTO ${quoteId(table.name)} (${table.columns.map(quoteId).join(', ')}) VALUES (${table.columns.map(() => '?').join(', ')})`);
      } catch (cause) {
        throw sqliteError('PK_COPY', `write(): the copy target ${this.filename} has no table ${table.name} with the columns ${table.columns.join(', ')}; resume only with the inputs the copy was started with.`, { cause });
      }
      this.inserts.set(key, insert);
    }
    return insert;
  }

  private progressStatement(): Database.Statement {
    try {
      this.saveProgress ??= this.db.prepare(`UPDATE ${quoteId(COPY_PROGRESS_TABLE)} SET progress = ? WHERE id = 1`);
    } catch (cause) {
      throw sqliteError('PK_COPY', `write(): the copy target ${this.filename} has no copy in progress; call create() first.`, { cause });
    }
    return this.saveProgress;
  }

  private failure(operation: string, doing: string, cause: unknown): Error {
    if ((cause as { code?: unknown } | null)?.code === 'PK_COPY') return cause as Error;
    return sqliteError('PK_COPY', `${operation}: ${doing} in the copy target ${this.filename} failed, nothing of it was written: ${describeSqliteCause(cause)}.`, { cause });
  }

  private open(operation: string): void {
    if (this.closed) throw sqliteError('PK_STORE_CLOSED', `${operation}: the copy target was closed; open it again.`);
  }
}
