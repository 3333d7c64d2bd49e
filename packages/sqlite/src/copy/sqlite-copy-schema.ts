import Database from 'better-sqlite3';
import type { CopySchemaScript, CopyTableSpec } from '@privacy-kit/core';
import { sqliteError } from '../sqlite-errors';
import { quoteId } from './sqlite-copy-catalog';

interface SchemaObject {
  readonly type: 'index' | 'trigger' | 'view';
  readonly name: string;
  readonly tbl_name: string;
  readonly sql: string;
}

/** SQLite's own words for a schema error (names of tables and columns only: the database in memory holds no rows). */
function reasonOf(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}

const KEEP_INSTEAD = 'give the column another strategy than drop (nullify, pseudonym, ...) so that the copy keeps it';

/**
 * The script that recreates `specs` from the source `db`, checked by running it in a database in memory: every
 * refusal (a dropped column that a key, a constraint, an index, a trigger or a view needs) is an error that names
 * it, thrown before a target is touched.
 */
export function buildSchemaScript(db: Database.Database, specs: readonly CopyTableSpec[]): CopySchemaScript {
  const tableSql = db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?").pluck();
  const create: string[] = [];
  const memory = new Database(':memory:');
  try {
    for (const spec of specs) {
      const sql = tableSql.get(spec.name) as string;
      create.push(sql);
      memory.exec(sql);
    }
    for (const spec of specs) {
      for (const column of spec.dropped) {
        const drop = `ALTER TABLE ${quoteId(spec.name)} DROP COLUMN ${quoteId(column)}`;
        try {
          memory.exec(drop);
        } catch (cause) {
          throw sqliteError(
            'PK_COPY',
            `schema(): column ${column} of table ${spec.name} cannot be dropped from the copy: it is part of the primary key, a UNIQUE, CHECK or foreign key constraint, or a generated column uses it (SQLite: ${reasonOf(cause)}); ${KEEP_INSTEAD}.`,
            { cause },
          );
        }
        create.push(drop);
      }
    }
    const finish = finishStatements(db, memory, specs);
    const version = db.pragma('user_version', { simple: true }) as number;
    finish.push(`PRAGMA user_version = ${version}`);
    return { create, finish };
  } finally {
    memory.close();
  }
}

/** The indexes, views and triggers of the copied tables, in the order the source created them, each checked. */
function finishStatements(db: Database.Database, memory: Database.Database, specs: readonly CopyTableSpec[]): string[] {
  const copied = new Map(specs.map((s) => [s.name, s]));
  const objects = db.prepare("SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE type IN ('index', 'trigger', 'view') AND sql IS NOT NULL ORDER BY rowid").all() as SchemaObject[];
  const views = new Set(objects.filter((o) => o.type === 'view').map((o) => o.name));
  const finish: string[] = [];
  for (const object of objects) {
    if (object.type === 'index') {
      const spec = copied.get(object.tbl_name);
      if (spec === undefined) continue;
      checkIndex(db, memory, object, spec);
    } else if (object.type === 'view') {
      checkView(memory, object);
    } else {
      if (!copied.has(object.tbl_name) && !views.has(object.tbl_name)) continue;
      checkTrigger(memory, object);
    }
    finish.push(object.sql);
  }
  return finish;
}

function checkIndex(db: Database.Database, memory: Database.Database, index: SchemaObject, spec: CopyTableSpec): void {
  const columns = (db.prepare('SELECT name FROM pragma_index_xinfo(?) WHERE key = 1 AND name IS NOT NULL').pluck().all(index.name) as string[]);
  const needed = columns.find((c) => spec.dropped.includes(c));
  if (needed !== undefined) {
    throw sqliteError('PK_COPY', `schema(): column ${needed} of table ${spec.name} cannot be dropped from the copy: index ${index.name} needs it; ${KEEP_INSTEAD}.`);
  }
  try {
    memory.exec(index.sql);
  } catch (cause) {
    throw sqliteError('PK_COPY', `schema(): index ${index.name} of table ${spec.name} cannot be recreated in the copy, it needs a dropped column (SQLite: ${reasonOf(cause)}); ${KEEP_INSTEAD}.`, { cause });
  }
}

function checkView(memory: Database.Database, view: SchemaObject): void {
  memory.exec(view.sql);
  try {
    // SQLite accepts a view that reads what does not exist; compiling a query on it finds out.
    memory.prepare(`SELECT * FROM ${quoteId(view.name)}`);
  } catch (cause) {
    throw sqliteError(
      'PK_COPY',
      `schema(): view ${view.name} reads a table or column that is not in the copy (SQLite: ${reasonOf(cause)}); copy the table it reads, or ${KEEP_INSTEAD}.`,
      { cause },
    );
  }
}

/** The statements that fire the triggers of a table or view (compiling one compiles its triggers). */
function firingStatements(memory: Database.Database, table: string): string[] {
  const columns = memory.prepare('SELECT name FROM pragma_table_xinfo(?) WHERE hidden = 0').pluck().all(table) as string[];
  const name = quoteId(table);
  const set = columns.map((c) => `${quoteId(c)} = ${quoteId(c)}`).join(', ');
  return [`INSERT INTO ${name} DEFAULT VALUES`, ...(set === '' ? [] : [`UPDATE ${name} SET ${set}`]), `DELETE FROM ${name}`];
}

function compiles(memory: Database.Database, sql: string): unknown {
  try {
    memory.prepare(sql);
    return undefined;
  } catch (cause) {
    return cause ?? new Error('failed');
  }
}

function checkTrigger(memory: Database.Database, trigger: SchemaObject): void {
  const statements = firingStatements(memory, trigger.tbl_name);
  const before = statements.map((s) => compiles(memory, s) === undefined);
  memory.exec(trigger.sql);
  statements.forEach((statement, i) => {
    if (!before[i]) return;
    const cause = compiles(memory, statement);
    if (cause !== undefined) {
      throw sqliteError(
        'PK_COPY',
        `schema(): trigger ${trigger.name} on ${trigger.tbl_name} uses a table or column that is not in the copy (SQLite: ${reasonOf(cause)}); copy what it uses, or ${KEEP_INSTEAD}.`,
        { cause },
      );
    }
  });
}
