/**
 * The contracts between the pseudonymized-copy engine (core) and the databases it reads and writes: a
 * {@link CopySource} streams the rows of an app's own database (SQLite, PostgreSQL), a {@link CopyTarget} receives
 * them transformed. The stores' packages implement them (`@privacy-kit/sqlite`, `@privacy-kit/postgres`); the
 * engine never sees a driver. Rows travel as arrays in the table's column order, never as objects: a million rows
 * of objects is what made copies slow and memory-bound.
 */

/** How the engine treats a column's values, from its declared type. */
export type CopyColumnAffinity = 'text' | 'integer' | 'real' | 'numeric' | 'boolean' | 'date' | 'timestamp' | 'uuid' | 'json' | 'blob' | 'other';

/** One column of a source table, as the source's catalog declares it. */
export interface CopyColumn {
  readonly name: string;
  /** The declared type as the database spells it ('TEXT', 'integer', 'character varying(80)', 'timestamp with time zone'). */
  readonly type: string;
  /** What kind of values it holds, for the transformations (an integer key is pseudonymized to an integer). */
  readonly affinity: CopyColumnAffinity;
  readonly notNull: boolean;
  /** Part of the primary key. */
  readonly primaryKey: boolean;
}

/** One table of a source database. */
export interface CopyTableSchema {
  readonly name: string;
  /** In the order rows carry their values. */
  readonly columns: readonly CopyColumn[];
}

/** A batch of rows read from a source table. */
export interface CopyBatch {
  /**
   * Each row's values in the table's column order ({@link CopyTableSchema.columns}): as the driver gives them
   * (SQLite: strings, numbers, bigints, Buffers) or as their text (PostgreSQL's COPY text format), null for NULL. The
   * engine handles both; a target takes back what its own kind's source gives.
   */
  readonly rows: readonly (readonly unknown[])[];
  /**
   * Where the next batch starts: opaque to the engine, given back as `after` to resume. It may hold source key values
   * (personal), so the engine seals it before a target keeps it.
   */
  readonly cursor: string;
}

/** What a target is told to create for one table. */
export interface CopyTableSpec {
  readonly name: string;
  /** The columns it keeps, in the order rows will carry them (the source's order without the dropped ones). */
  readonly columns: readonly string[];
  /** The source columns not copied at all ('drop'): the target's table does not have them. */
  readonly dropped: readonly string[];
}

/**
 * Where a copy stands, kept in the target (one transaction with every batch written) so that a run that stopped
 * (a crash, Ctrl-C, a lost connection) resumes where it was. Nothing in it is personal: `cursor` is sealed.
 */
export interface CopyProgress {
  /** Identifies the run's inputs: the source, the mapping and the key; a resume with other inputs is refused. */
  readonly fingerprint: string;
  /** Per table (in copy order): rows written, whether it is done, and the sealed cursor of its last batch. */
  readonly tables: readonly CopyTableProgress[];
}

/** One table's {@link CopyProgress}. */
export interface CopyTableProgress {
  readonly name: string;
  readonly rows: number;
  readonly done: boolean;
  /** The sealed cursor after the last batch written, or null before the first. */
  readonly cursor: string | null;
}

/** Which kind of database a source or target is. */
export type CopyDatabaseKind = 'sqlite' | 'postgres';

/** Streams the rows of an app's database. Read-only: a source never writes. */
export interface CopySource {
  readonly kind: CopyDatabaseKind;
  /**
   * What identifies the database (the file's device and inode; the cluster, database and schema), so that a copy
   * onto its own source is refused even through another path, a link or another host name.
   */
  identity(): Promise<string>;
  /** The tables to copy (views, the database's own and privacy-kit's internal tables excluded), in a stable order. */
  tables(): Promise<readonly CopyTableSchema[]>;
  /** Rows in a table now (for the progress bar; the copy does not rely on it). */
  countRows(table: string): Promise<number>;
  /**
   * The rows of a table in a stable order (the primary key or row id), in batches of at most `batchSize`, starting
   * after `after` (a cursor of an earlier batch). Holds at most one batch in memory.
   */
  read(table: string, options: { readonly batchSize: number; readonly after?: string }): AsyncIterable<CopyBatch>;
  /**
   * The statements that recreate the given tables in a target of the same kind, without their dropped columns:
   * `create` (tables, before the rows), `finish` (indexes, foreign keys, triggers: after the rows, which loads
   * faster). Fails with a clear error when a kept index or constraint needs a dropped column.
   */
  schema(tables: readonly CopyTableSpec[]): Promise<CopySchemaScript>;
  close(): Promise<void>;
}

/** DDL for a target, in the source's dialect. */
export interface CopySchemaScript {
  readonly create: readonly string[];
  readonly finish: readonly string[];
}

/** Receives a copy. Everything it writes goes in transactions: a batch and the progress that counts it land together. */
export interface CopyTarget {
  readonly kind: CopyDatabaseKind;
  /** As {@link CopySource.identity}: equal identities are the same database. */
  identity(): Promise<string>;
  /**
   * The progress of an unfinished copy into this target, or undefined when the target is empty. A target that holds
   * tables but no unfinished copy (someone's data, a finished copy) is refused with an error saying to give an empty one.
   */
  progress(): Promise<CopyProgress | undefined>;
  /** Runs the `create` script and records the first progress, in one transaction. */
  create(script: CopySchemaScript, progress: CopyProgress): Promise<void>;
  /** Inserts rows (values in the spec's column order) and records the progress, in one transaction. */
  write(table: CopyTableSpec, rows: readonly (readonly unknown[])[], progress: CopyProgress): Promise<void>;
  /** Runs the `finish` script and removes the progress record, in one transaction: the copy is complete. */
  finish(script: CopySchemaScript): Promise<void>;
  /** Every non-null text value of the target, table by table and column by column, in batches (for the scan). */
  scanText(options: { readonly batchSize: number }): AsyncIterable<{ readonly table: string; readonly column: string; readonly values: readonly string[] }>;
  close(): Promise<void>;
}
