import { realpathSync, statSync } from 'node:fs';
import type Database from 'better-sqlite3';
import type { CopyColumn, CopyColumnAffinity } from '@privacy-kit/core';

/**
 * The tables of a privacy-kit store (`createSqliteStore`, see schema.ts), left out of a copy when the app keeps its
 * store in the same file as its data: consents, audit records, wrapped data keys and the incident register are not the app's rows, and a
 * development copy must not carry them. They are left out only when the file holds a store (its `audit_log` and
 * `audit_head` tables are both there), so an app table that happens to share a name is still copied (and mapped).
 */
export const SQLITE_STORE_TABLES: readonly string[] = Object.freeze(['consent_events', 'audit_log', 'audit_head', 'rights_requests', 'data_keys', 'incident_events']);

/**
 * The table in which a SQLite copy target keeps the progress of an unfinished copy (one row: a format version and
 * the JSON of the `CopyProgress`). `finish()` drops it: a target without it is a finished copy (or other data).
 */
export const COPY_PROGRESS_TABLE = '_privacy_kit_copy';

/** An identifier in double quotes, inner double quotes doubled: safe for any table or column name. */
export function quoteId(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * What identifies a database file: `sqlite:<device>:<inode>` of the file the path resolves to, so that the same
 * file through a symlink, a hard link or another relative path has the same identity.
 */
export function fileIdentity(filename: string): string {
  const stat = statSync(realpathSync(filename), { bigint: true });
  return `sqlite:${stat.dev}:${stat.ino}`;
}

/** SQLite's affinity of a declared column type (the rules of https://sqlite.org/datatype3.html, section 3.1). */
export function affinityOf(declared: string): CopyColumnAffinity {
  const type = declared.toUpperCase();
  if (type.includes('INT')) return 'integer';
  if (type.includes('CHAR') || type.includes('CLOB') || type.includes('TEXT')) return 'text';
  if (type.includes('BLOB') || type.trim() === '') return 'blob';
  if (type.includes('REAL') || type.includes('FLOA') || type.includes('DOUB')) return 'real';
  return 'numeric';
}

/** A table as the copy adapters see it: its copied columns and how to walk its rows in a stable order. */
export interface SqliteTableInfo {
  readonly name: string;
  /** The columns stored in rows (generated and hidden columns left out), in `cid` order. */
  readonly columns: readonly CopyColumn[];
  /** Every column name, hidden ones included (to find a name for the row id that no column shadows). */
  readonly allColumnNames: readonly string[];
  readonly withoutRowid: boolean;
  /** The primary key columns in key order. */
  readonly primaryKey: readonly string[];
  /** The name of the column that is the row id (`INTEGER PRIMARY KEY`), if there is one. */
  readonly rowidAlias: string | undefined;
}

interface XInfoRow {
  readonly cid: number;
  readonly name: string;
  readonly type: string;
  readonly notnull: number;
  readonly pk: number;
  readonly hidden: number;
}

/** The names of the user tables of a database: no `sqlite_*`, no virtual or shadow table, in name (byte) order. */
export function userTableNames(db: Database.Database): string[] {
  return (db.prepare("SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name").all() as { name: string }[]).map((t) => t.name);
}

/** The columns, keys and row id of one table. */
export function tableInfo(db: Database.Database, name: string): SqliteTableInfo {
  const list = db.prepare("SELECT wr FROM pragma_table_list WHERE schema = 'main' AND name = ?").get(name) as { wr: number } | undefined;
  const withoutRowid = list?.wr === 1;
  const xinfo = db.prepare('SELECT cid, name, type, "notnull", pk, hidden FROM pragma_table_xinfo(?) ORDER BY cid').all(name) as XInfoRow[];
  const keyColumns = xinfo.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk);
  const onlyKey = keyColumns.length === 1 ? keyColumns[0] : undefined;
  // https://sqlite.org/lang_createtable.html#rowid: only a column declared exactly INTEGER PRIMARY KEY is the row id.
  const rowidAlias = !withoutRowid && onlyKey !== undefined && onlyKey.type.toUpperCase() === 'INTEGER' ? onlyKey.name : undefined;
  const columns = xinfo
    .filter((c) => c.hidden === 0)
    .map((c): CopyColumn => ({
      name: c.name,
      type: c.type,
      affinity: affinityOf(c.type),
      // The row id and the key of a WITHOUT ROWID table never hold NULL, whatever the declaration says.
      notNull: c.notnull === 1 || c.name === rowidAlias || (withoutRowid && c.pk > 0),
      primaryKey: c.pk > 0,
    }));
  return { name, columns, allColumnNames: xinfo.map((c) => c.name), withoutRowid, primaryKey: keyColumns.map((c) => c.name), rowidAlias };
}

/**
 * How to walk a table's rows in a stable order, one batch per query: by row id (the alias column when there is one,
 * otherwise a name of the row id no column shadows, selected after the columns), or by the primary key of a WITHOUT
 * ROWID table.
 */
export interface Keyset {
  /** The column list to select: the table's columns, then the row id when it is not one of them. */
  readonly select: string;
  /** Positions in a selected row of the key values, in key order. */
  readonly keyIndexes: readonly number[];
  /** The key as SQL (one expression, or a row value of several). */
  readonly keyExpression: string;
  /** The key as an ORDER BY list. */
  readonly orderBy: string;
  /** `?` or `(?, ?)`: the key bound after `>`. */
  readonly keyPlaceholder: string;
  /** Whether the row id was added as the last selected value (to be removed before rows leave the adapter). */
  readonly extraRowid: boolean;
}

/**
 * The keyset of a table for the given selected columns.
 *
 * @param table - the table
 * @param columns - the columns selected, in order
 * @param fail - makes the error when the table has no row id any name can reach and no primary key
 */
export function keysetOf(table: SqliteTableInfo, columns: readonly string[], fail: (message: string) => Error): Keyset {
  const select = columns.map(quoteId).join(', ');
  if (table.withoutRowid) {
    const keyIndexes = table.primaryKey.map((k) => columns.indexOf(k));
    if (keyIndexes.some((i) => i < 0)) throw fail(`table ${table.name} is WITHOUT ROWID and a column of its primary key is not selected`);
    const keyExpression = table.primaryKey.length === 1 ? quoteId(table.primaryKey[0] as string) : `(${table.primaryKey.map(quoteId).join(', ')})`;
    const keyPlaceholder = table.primaryKey.length === 1 ? '?' : `(${table.primaryKey.map(() => '?').join(', ')})`;
    return { select, keyIndexes, keyExpression, orderBy: table.primaryKey.map(quoteId).join(', '), keyPlaceholder, extraRowid: false };
  }
  const aliasIndex = table.rowidAlias === undefined ? -1 : columns.indexOf(table.rowidAlias);
  if (aliasIndex >= 0) return { select, keyIndexes: [aliasIndex], keyExpression: quoteId(table.rowidAlias as string), orderBy: quoteId(table.rowidAlias as string), keyPlaceholder: '?', extraRowid: false };
  const taken = new Set(table.allColumnNames.map((n) => n.toLowerCase()));
  const rowid = ['rowid', '_rowid_', 'oid'].find((n) => !taken.has(n));
  if (rowid === undefined) throw fail(`table ${table.name} has columns named rowid, _rowid_ and oid, which hide its row id; rename one of them`);
  return { select: select === '' ? rowid : `${select}, ${rowid}`, keyIndexes: [columns.length], keyExpression: rowid, orderBy: rowid, keyPlaceholder: '?', extraRowid: true };
}

/** Whether a database holds a privacy-kit store (its audit log and head), whose tables a copy leaves out. */
export function holdsStore(names: readonly string[]): boolean {
  return names.includes('audit_log') && names.includes('audit_head');
}
