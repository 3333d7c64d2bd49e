import type { CopyColumn, CopyColumnAffinity } from '@privacy-kit/core';
import type { PoolClient } from 'pg';

/**
 * Session settings of every copy transaction, on both ends: the text of dates, times, intervals, floats and
 * bytea then reads back as the same value whatever the server's or role's defaults are (a source set to
 * `DateStyle = 'SQL, DMY'` would otherwise write dates a target reads wrong).
 */
export const COPY_SESSION_SETTINGS =
  "SET LOCAL DateStyle = 'ISO, YMD'; SET LOCAL IntervalStyle = 'postgres'; SET LOCAL TimeZone = 'UTC'; " +
  "SET LOCAL extra_float_digits = 3; SET LOCAL bytea_output = 'hex'; SET LOCAL client_encoding = 'UTF8'";

/** The table a target keeps the progress of an unfinished copy in (in the target's schema). */
export const COPY_PROGRESS_TABLE = '_privacy_kit_copy';

/**
 * The tables of a privacy-kit store (see `schema.ts` and `postgres-migrations.ts`): left out of a copy when the
 * store lives in the copied schema (its `privacy_kit_migrations` table is there). The store's own audit and keys
 * are not the app's data, and copying them would take the source's keys to the target.
 */
const STORE_TABLES = ['privacy_kit_migrations', 'consent_events', 'audit_log', 'audit_head', 'audit_chains', 'audit_checkpoints', 'rights_requests', 'data_keys', 'incident_events'];

/** An SQL identifier, quoted. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** The search path of a copy's catalog reads and scripts: the schema's objects unqualified, everything else qualified. */
export function searchPath(schema: string): string {
  return `SET LOCAL search_path TO ${quoteIdent(schema)}, pg_catalog`;
}

/** One column with what the reads need beyond {@link CopyColumn}. */
export interface CatalogColumn extends CopyColumn {
  readonly attnum: number;
  /** Position in the primary key (1-based), or 0. */
  readonly pkPosition: number;
}

/** One table of the copied schema. */
export interface CatalogTable {
  readonly oid: string;
  readonly name: string;
  /** 'r' ordinary, 'p' partitioned parent. */
  readonly kind: string;
  readonly columns: readonly CatalogColumn[];
  /** The primary key's columns in key order (empty: the table has none). */
  readonly primaryKey: readonly CatalogColumn[];
}

const AFFINITY: Readonly<Record<string, CopyColumnAffinity>> = {
  int2: 'integer', int4: 'integer', int8: 'integer',
  text: 'text', varchar: 'text', bpchar: 'text', citext: 'text', name: 'text',
  numeric: 'numeric', float4: 'real', float8: 'real', bool: 'boolean', date: 'date',
  timestamp: 'timestamp', timestamptz: 'timestamp', uuid: 'uuid', json: 'json', jsonb: 'json', bytea: 'blob',
};

/** What kind of values a PostgreSQL type holds (a domain as its base type; arrays and everything else 'other'). */
export function affinityOf(typeName: string): CopyColumnAffinity {
  return AFFINITY[typeName] ?? 'other';
}

/**
 * The ordinary tables and partitioned parents of a schema in name order, with their columns in attnum order (not
 * dropped, not generated), without the store's tables, the copy's progress table and extensions' tables. Partitions
 * are not listed: their rows are read through the parent. Run it with {@link searchPath} of the schema set, so that
 * types of the schema are spelled without it.
 */
export async function readCatalog(client: PoolClient, schema: string): Promise<CatalogTable[]> {
  const tables = await client.query<{ oid: string; name: string; kind: string }>(
    `SELECT c.oid::int8::text AS oid, c.relname AS name, c.relkind::text AS kind
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND c.relname <> $2
        AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
      ORDER BY c.relname`,
    [schema, COPY_PROGRESS_TABLE],
  );
  const storeHere = tables.rows.some((t) => t.name === 'privacy_kit_migrations');
  const kept = tables.rows.filter((t) => !(storeHere && STORE_TABLES.includes(t.name)));
  if (kept.length === 0) return [];
  const columns = await client.query<{ rel: string; name: string; attnum: number; type: string; base: string; not_null: boolean; pk: number }>(
    `SELECT a.attrelid::int8::text AS rel, a.attname AS name, a.attnum::int AS attnum, format_type(a.atttypid, a.atttypmod) AS type,
            CASE WHEN t.typtype = 'd' THEN bt.typname ELSE t.typname END AS base, a.attnotnull AS not_null,
            coalesce((SELECT array_position(k.conkey, a.attnum) FROM pg_constraint k WHERE k.conrelid = a.attrelid AND k.contype = 'p'), 0)::int AS pk
       FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid LEFT JOIN pg_type bt ON bt.oid = t.typbasetype
      WHERE a.attrelid = ANY ($1::oid[]) AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
      ORDER BY a.attrelid, a.attnum`,
    [kept.map((t) => t.oid)],
  );
  return kept.map((t) => {
    const cols: CatalogColumn[] = columns.rows.filter((c) => c.rel === t.oid).map((c) => ({
      name: c.name,
      type: c.type,
      affinity: affinityOf(c.base),
      notNull: c.not_null,
      primaryKey: c.pk > 0,
      attnum: c.attnum,
      pkPosition: c.pk,
    }));
    return { oid: t.oid, name: t.name, kind: t.kind, columns: cols, primaryKey: cols.filter((c) => c.pkPosition > 0).sort((a, b) => a.pkPosition - b.pkPosition) };
  });
}

/**
 * What identifies a database and schema whatever host name or port reaches it: the cluster's system identifier
 * (`pg_control_system()`, callable by every role by default), or, when the role may not call it, the postmaster's
 * start time and port (which change when the server restarts); then the database's oid and the schema.
 */
export async function copyIdentity(client: PoolClient, schema: string): Promise<string> {
  let cluster: string;
  try {
    const sys = await client.query<{ id: string }>('SELECT system_identifier::text AS id FROM pg_control_system()');
    cluster = `system-${sys.rows[0]?.id ?? 'unknown'}`;
  } catch {
    const started = await client.query<{ id: string }>(
      "SELECT extract(epoch FROM pg_postmaster_start_time())::text || '-' || current_setting('port') AS id",
    );
    cluster = `started-${started.rows[0]?.id ?? 'unknown'}`;
  }
  const db = await client.query<{ oid: string }>('SELECT oid::int8::text AS oid FROM pg_database WHERE datname = current_database()');
  return `postgres:${cluster}:db-${db.rows[0]?.oid ?? 'unknown'}:schema-${schema}`;
}
