import type { CopySchemaScript, CopyTableSpec, PrivacyKitError } from '@privacy-kit/core';
import { escapeLiteral, type PoolClient } from 'pg';
import { postgresError } from '../postgres-errors';
import { quoteIdent, type CatalogTable } from './postgres-copy-catalog';

function copyError(problem: string): PrivacyKitError {
  return postgresError('PK_COPY', problem);
}

interface ColumnRow {
  rel: string; name: string; attnum: number; type: string; not_null: boolean; default: string | null; identity: string;
  collation: string | null; own_type: string | null; own_kind: string | null;
  seq_type: string | null; seq_start: string | null; seq_inc: string | null; seq_min: string | null; seq_max: string | null; seq_cache: string | null; seq_cycle: boolean | null; seq_last: string | null;
}
interface ConstraintRow { rel: string; name: string; kind: string; def: string; validated: boolean; cols: string[] | null; frel: string | null; fcols: string[] | null }
interface IndexRow { rel: string; name: string; def: string; qualified: string; cols: string[] | null }
interface SequenceRow { oid: string; name: string; type: string; start: string; inc: string; min: string; max: string; cache: string; cycle: boolean; last: string | null; owner_rel: string | null; owner_col: string | null; used_by_rel: string; used_by_col: number }

const CONSTRAINT_KIND: Readonly<Record<string, string>> = { p: 'PRIMARY KEY', u: 'UNIQUE', c: 'CHECK', x: 'EXCLUDE', f: 'FOREIGN KEY' };

function sequenceOptions(o: { type?: string; start: string; inc: string; min: string; max: string; cache: string; cycle: boolean }): string {
  return `${o.type === undefined ? '' : `AS ${o.type} `}START WITH ${o.start} INCREMENT BY ${o.inc} MINVALUE ${o.min} MAXVALUE ${o.max} CACHE ${o.cache} ${o.cycle ? 'CYCLE' : 'NO CYCLE'}`;
}

/**
 * pg_get_indexdef() names the table with its schema whatever the search path: the statement is rewritten to name
 * it without, so that it lands in the target's schema (and never on the source's table of the same database).
 */
function unqualifiedIndex(index: IndexRow, table: string): string {
  const on = / ON (ONLY )?(\S+) USING /.exec(index.def);
  if (on?.[2] !== index.qualified) {
    throw copyError(`schema(): the definition of index '${index.name}' of table '${table}' does not have the form this package knows (CREATE INDEX … ON table USING …).`);
  }
  return `${index.def.slice(0, on.index)} ON ${on[1] ?? ''}${quoteIdent(table)} USING ${index.def.slice(on.index + on[0].length)}`;
}

/**
 * The DDL that recreates the given tables of a schema without their dropped columns, generated from the catalog (no
 * pg_dump). Objects of the copied schema are named without it, objects of other schemas with theirs: a target runs
 * the statements with its own schema first on the search path, so a copy can land in a schema of another name.
 *
 * `create`: the enum types the kept columns use (only those), the sequences their defaults use (identity columns
 * keep theirs, recreated as identity columns: COPY writes the given values into them), the tables with their kept
 * columns, types, collations, NOT NULL, defaults and their PRIMARY KEY, UNIQUE, CHECK and EXCLUDE constraints.
 * `finish` (after the rows): the other indexes, FOREIGN KEY constraints (only between copied tables; a key to a table
 * not copied is left out), CHECK constraints the source holds as NOT VALID, and the sequences set to the source's
 * values. Not recreated: generated columns, triggers, policies, comments, grants, partitions (a partitioned table
 * becomes one ordinary table).
 *
 * Fails before anything is written when a kept constraint or index needs a dropped column, or a kept column's type is
 * one of the schema's own types that is not an enum (a domain, a composite or range type).
 *
 * @param client - a client in a transaction whose search path is the source schema then pg_catalog
 */
export async function copySchemaScript(client: PoolClient, schema: string, catalog: readonly CatalogTable[], specs: readonly CopyTableSpec[]): Promise<CopySchemaScript> {
  const tables = specs.map((spec) => {
    const table = catalog.find((t) => t.name === spec.name);
    if (table === undefined) {
      throw postgresError('PK_NOT_FOUND', `schema(): table '${spec.name}' is not a table of schema '${schema}' that a copy reads. Its tables: ${catalog.map((t) => t.name).join(', ') || '(none)'}.`);
    }
    const unknown = [...spec.columns, ...spec.dropped].filter((c) => !table.columns.some((col) => col.name === c));
    if (unknown.length > 0) {
      throw postgresError('PK_NOT_FOUND', `schema(): table '${spec.name}' has no column ${unknown.map((c) => `'${c}'`).join(', ')}. Its columns: ${table.columns.map((c) => c.name).join(', ')}.`);
    }
    return { table, spec };
  });
  const byOid = new Map(tables.map((t) => [t.table.oid, t]));
  const oids = [...byOid.keys()];
  const kept = (rel: string, column: string): boolean => byOid.get(rel)?.spec.columns.includes(column) ?? false;
  const tableName = (rel: string): string => byOid.get(rel)?.table.name ?? '?';

  const columns = (await client.query<ColumnRow>(
    `SELECT a.attrelid::int8::text AS rel, a.attname AS name, a.attnum::int AS attnum, format_type(a.atttypid, a.atttypmod) AS type,
            a.attnotnull AS not_null, pg_get_expr(d.adbin, d.adrelid) AS default, a.attidentity::text AS identity,
            CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation THEN
              CASE WHEN co.collnamespace = 'pg_catalog'::regnamespace THEN quote_ident(co.collname) ELSE quote_ident(cn.nspname) || '.' || quote_ident(co.collname) END END AS collation,
            CASE WHEN ot.typnamespace = $2::regnamespace THEN ot.typname END AS own_type,
            CASE WHEN ot.typnamespace = $2::regnamespace THEN ot.typtype::text END AS own_kind,
            format_type(q.seqtypid, NULL) AS seq_type, q.seqstart::text AS seq_start, q.seqincrement::text AS seq_inc, q.seqmin::text AS seq_min,
            q.seqmax::text AS seq_max, q.seqcache::text AS seq_cache, q.seqcycle AS seq_cycle, pg_sequence_last_value(q.seqrelid)::text AS seq_last
       FROM pg_attribute a
       JOIN pg_type t ON t.oid = a.atttypid
       JOIN pg_type ot ON ot.oid = CASE WHEN t.typelem <> 0 AND t.typcategory = 'A' THEN t.typelem ELSE t.oid END
       LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
       LEFT JOIN pg_collation co ON co.oid = a.attcollation LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
       LEFT JOIN pg_sequence q ON a.attidentity <> '' AND q.seqrelid = pg_get_serial_sequence(a.attrelid::regclass::text, a.attname)::regclass
      WHERE a.attrelid = ANY ($1::oid[]) AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
      ORDER BY a.attrelid, a.attnum`,
    [oids, quoteIdent(schema)],
  )).rows.filter((c) => kept(c.rel, c.name));

  const foreignTypes = columns.filter((c) => c.own_type !== null && c.own_kind !== 'e');
  const first = foreignTypes[0];
  if (first !== undefined) {
    throw copyError(`schema(): column '${first.name}' of table '${tableName(first.rel)}' has the type '${first.own_type ?? ''}' of schema '${schema}', which is not an enum: a copy recreates enums only. Create the type in the target first, or drop the column.`);
  }

  const constraints = (await client.query<ConstraintRow>(
    `SELECT k.conrelid::int8::text AS rel, k.conname AS name, k.contype::text AS kind, pg_get_constraintdef(k.oid) AS def, k.convalidated AS validated,
            (SELECT array_agg(a.attname::text ORDER BY a.attnum) FROM pg_attribute a WHERE a.attrelid = k.conrelid AND a.attnum = ANY (k.conkey)) AS cols,
            nullif(k.confrelid, 0)::int8::text AS frel,
            (SELECT array_agg(a.attname::text ORDER BY a.attnum) FROM pg_attribute a WHERE a.attrelid = k.confrelid AND a.attnum = ANY (k.confkey)) AS fcols
       FROM pg_constraint k
      WHERE k.conrelid = ANY ($1::oid[]) AND k.contype IN ('p', 'u', 'c', 'x', 'f') AND k.conparentid = 0
      ORDER BY k.conrelid, k.contype, k.conname`,
    [oids],
  )).rows;
  for (const k of constraints) {
    const needed = (k.cols ?? []).filter((c) => !kept(k.rel, c));
    const neededThere = k.frel !== null && byOid.has(k.frel) ? (k.fcols ?? []).filter((c) => !kept(k.frel as string, c)) : [];
    const missing = needed[0] ?? neededThere[0];
    if (missing !== undefined) {
      const where = needed.length > 0 ? tableName(k.rel) : tableName(k.frel as string);
      throw copyError(
        `schema(): the ${CONSTRAINT_KIND[k.kind] ?? 'constraint'} constraint '${k.name}' of table '${tableName(k.rel)}' needs column '${missing}' of table '${where}', which the copy drops. ` +
        "Nullify or pseudonymize the column instead of dropping it (strategy 'nullify' or 'pseudonym'), or drop the constraint from the source.",
      );
    }
  }

  const indexes = (await client.query<IndexRow>(
    `SELECT i.indrelid::int8::text AS rel, ic.relname AS name, pg_get_indexdef(i.indexrelid) AS def,
            quote_ident(tn.nspname) || '.' || quote_ident(tc.relname) AS qualified,
            (SELECT array_agg(DISTINCT a.attname::text) FROM pg_depend d JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
              WHERE d.classid = 'pg_class'::regclass AND d.objid = i.indexrelid AND d.refclassid = 'pg_class'::regclass AND d.refobjid = i.indrelid AND d.refobjsubid > 0) AS cols
       FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class tc ON tc.oid = i.indrelid JOIN pg_namespace tn ON tn.oid = tc.relnamespace
      WHERE i.indrelid = ANY ($1::oid[])
        AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.conrelid = i.indrelid AND k.contype IN ('p', 'u', 'x'))
      ORDER BY i.indrelid, ic.relname`,
    [oids],
  )).rows;
  for (const index of indexes) {
    const missing = (index.cols ?? []).find((c) => !kept(index.rel, c));
    if (missing !== undefined) {
      throw copyError(
        `schema(): the index '${index.name}' of table '${tableName(index.rel)}' needs column '${missing}', which the copy drops. ` +
        "Nullify or pseudonymize the column instead of dropping it (strategy 'nullify' or 'pseudonym'), or drop the index from the source.",
      );
    }
  }

  const sequences = (await client.query<SequenceRow>(
    `SELECT DISTINCT s.oid::int8::text AS oid, s.relname AS name, format_type(q.seqtypid, NULL) AS type, q.seqstart::text AS start, q.seqincrement::text AS inc,
            q.seqmin::text AS min, q.seqmax::text AS max, q.seqcache::text AS cache, q.seqcycle AS cycle, pg_sequence_last_value(s.oid)::text AS last,
            o.refobjid::int8::text AS owner_rel, (SELECT a.attname FROM pg_attribute a WHERE a.attrelid = o.refobjid AND a.attnum = o.refobjsubid) AS owner_col,
            ad.adrelid::int8::text AS used_by_rel, ad.adnum::int AS used_by_col
       FROM pg_attrdef ad
       JOIN pg_depend d ON d.classid = 'pg_attrdef'::regclass AND d.objid = ad.oid AND d.refclassid = 'pg_class'::regclass
       JOIN pg_class s ON s.oid = d.refobjid AND s.relkind = 'S' AND s.relnamespace = $2::regnamespace
       JOIN pg_sequence q ON q.seqrelid = s.oid
       LEFT JOIN pg_depend o ON o.classid = 'pg_class'::regclass AND o.objid = s.oid AND o.refclassid = 'pg_class'::regclass AND o.deptype = 'a'
      WHERE ad.adrelid = ANY ($1::oid[])
      ORDER BY s.relname`,
    [oids, quoteIdent(schema)],
  )).rows;
  const usedSequences = new Map<string, SequenceRow>();
  for (const s of sequences) {
    const user = columns.find((c) => c.rel === s.used_by_rel && c.attnum === s.used_by_col);
    if (user !== undefined && !usedSequences.has(s.oid)) usedSequences.set(s.oid, s);
  }

  const enums = [...new Set(columns.filter((c) => c.own_kind === 'e').map((c) => c.own_type as string))].sort();
  const labels = enums.length === 0 ? [] : (await client.query<{ type: string; label: string }>(
    `SELECT t.typname AS type, e.enumlabel AS label FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid
      WHERE t.typnamespace = $1::regnamespace AND t.typname = ANY ($2::text[]) ORDER BY t.typname, e.enumsortorder`,
    [quoteIdent(schema), enums],
  )).rows;

  const create: string[] = [];
  const setvals: string[] = [];
  const finish: string[] = [];
  for (const type of enums) {
    create.push(`CREATE TYPE ${quoteIdent(type)} AS ENUM (${labels.filter((l) => l.type === type).map((l) => escapeLiteral(l.label)).join(', ')})`);
  }
  for (const s of usedSequences.values()) create.push(`CREATE SEQUENCE ${quoteIdent(s.name)} ${sequenceOptions(s)}`);
  for (const { table, spec } of tables) {
    const lines = spec.columns.map((name) => {
      const c = columns.find((col) => col.rel === table.oid && col.name === name) as ColumnRow;
      let line = `${quoteIdent(c.name)} ${c.type}`;
      if (c.collation !== null) line += ` COLLATE ${c.collation}`;
      if (c.identity !== '' && c.seq_type !== null) {
        line += ` GENERATED ${c.identity === 'a' ? 'ALWAYS' : 'BY DEFAULT'} AS IDENTITY (${sequenceOptions({ start: c.seq_start ?? '1', inc: c.seq_inc ?? '1', min: c.seq_min ?? '1', max: c.seq_max ?? '1', cache: c.seq_cache ?? '1', cycle: c.seq_cycle ?? false })})`;
      } else if (c.default !== null) {
        line += ` DEFAULT ${c.default}`;
      }
      if (c.not_null) line += ' NOT NULL';
      return line;
    });
    for (const k of constraints) {
      if (k.rel === table.oid && k.kind !== 'f' && k.validated) lines.push(`CONSTRAINT ${quoteIdent(k.name)} ${k.def}`);
    }
    create.push(`CREATE TABLE ${quoteIdent(table.name)} (\n  ${lines.join(',\n  ')}\n)`);
    for (const c of columns) {
      if (c.rel === table.oid && c.identity !== '' && c.seq_last !== null) {
        setvals.push(`SELECT setval(pg_get_serial_sequence(${escapeLiteral(quoteIdent(table.name))}, ${escapeLiteral(c.name)}), ${c.seq_last}, true)`);
      }
    }
  }
  for (const s of usedSequences.values()) {
    if (s.owner_rel !== null && s.owner_col !== null && kept(s.owner_rel, s.owner_col)) {
      create.push(`ALTER SEQUENCE ${quoteIdent(s.name)} OWNED BY ${quoteIdent(tableName(s.owner_rel))}.${quoteIdent(s.owner_col)}`);
    }
    if (s.last !== null) setvals.push(`SELECT setval(${escapeLiteral(quoteIdent(s.name))}, ${s.last}, true)`);
  }
  for (const index of indexes) finish.push(unqualifiedIndex(index, tableName(index.rel)));
  for (const k of constraints) {
    const between = k.kind === 'f' ? k.frel !== null && byOid.has(k.frel) : !k.validated;
    if (between) finish.push(`ALTER TABLE ${quoteIdent(tableName(k.rel))} ADD CONSTRAINT ${quoteIdent(k.name)} ${k.def}`);
  }
  return { create, finish: [...finish, ...setvals] };
}
