import { coreError } from '../errors/core.error';
import type { CopyBatch, CopyDatabaseKind, CopyProgress, CopySchemaScript, CopySource, CopyTableSchema, CopyTableSpec, CopyTarget } from '../copy/copy-contracts';

/** A table of a {@link memoryCopySource}: its schema and its rows (values in column order). */
export interface MemoryCopyTable {
  readonly schema: CopyTableSchema;
  readonly rows: readonly (readonly unknown[])[];
}

/** Options of {@link memoryCopySource}. */
export interface MemoryCopySourceOptions {
  readonly tables: readonly MemoryCopyTable[];
  /** Default 'sqlite'. */
  readonly kind?: CopyDatabaseKind;
  /** Default 'memory-source'. */
  readonly identity?: string;
}

/** A {@link CopySource} in memory, with what it was asked. */
export interface MemoryCopySource extends CopySource {
  /** The batch sizes and cursors of every read, in order. */
  readonly reads: { readonly table: string; readonly batchSize: number; readonly after: string | undefined }[];
  /** The specs `schema()` was given last. */
  readonly specs: readonly CopyTableSpec[] | undefined;
}

/**
 * A copy source in memory, for tests of the copy engine and of adapters' callers: rows come in array order, the
 * cursor is the index of the last row given.
 *
 * @param options - the tables, the kind, the identity
 * @example
 * const source = memoryCopySource({ tables: [{ schema: { name: 'users', columns }, rows: [[1, 'user-1@mail.invalid']] }] });
 */
export function memoryCopySource(options: MemoryCopySourceOptions): MemoryCopySource {
  const tables = new Map(options.tables.map((t) => [t.schema.name, t]));
  const reads: MemoryCopySource['reads'] = [];
  let specs: readonly CopyTableSpec[] | undefined;
  const tableOf = (name: string): MemoryCopyTable => {
    const table = tables.get(name);
    if (table === undefined) throw coreError('PK_NOT_FOUND', `memoryCopySource: no table '${name}'.`);
    return table;
  };
  return {
    kind: options.kind ?? 'sqlite',
    reads,
    get specs() {
      return specs;
    },
    identity: () => Promise.resolve(options.identity ?? 'memory-source'),
    tables: () => Promise.resolve(options.tables.map((t) => t.schema)),
    countRows: (name) => Promise.resolve(tableOf(name).rows.length),
    async *read(name, { batchSize, after }): AsyncIterable<CopyBatch> {
      reads.push({ table: name, batchSize, after });
      const rows = tableOf(name).rows;
      for (let at = after === undefined ? 0 : Number(after) + 1; at < rows.length; at += batchSize) {
        const batch = rows.slice(at, at + batchSize);
        await Promise.resolve();
        yield { rows: batch, cursor: String(at + batch.length - 1) };
      }
    },
    schema(given) {
      specs = given;
      return Promise.resolve({
        create: given.map((t) => `CREATE TABLE ${t.name} (${t.columns.join(', ')})`),
        finish: given.map((t) => `-- indexes of ${t.name}`),
      });
    },
    close: () => Promise.resolve(),
  };
}

/** Options of {@link memoryCopyTarget}. */
export interface MemoryCopyTargetOptions {
  /** Default 'sqlite'. */
  readonly kind?: CopyDatabaseKind;
  /** Default 'memory-target'. */
  readonly identity?: string;
}

/** A {@link CopyTarget} in memory, with everything it received. */
export interface MemoryCopyTarget extends CopyTarget {
  /** Rows per table, in the spec's column order. */
  readonly rows: Map<string, unknown[][]>;
  /** The specs of the tables written. */
  readonly specs: Map<string, CopyTableSpec>;
  /** The statements run (create, then finish). */
  readonly statements: string[];
  /** The progress record (undefined before create and after finish). */
  readonly record: CopyProgress | undefined;
  /** Every call, in order: 'create', 'write <table> <n>', 'finish'. */
  readonly calls: string[];
  readonly finished: boolean;
  /** Makes the n-th write (1-based, counted from now) fail as a lost connection would, writing nothing. */
  failWriteAt(n: number): void;
}

/**
 * A copy target in memory: a batch and its progress land together or not at all, as the real targets' transactions
 * make them.
 *
 * @param options - the kind and the identity
 * @example
 * const target = memoryCopyTarget();
 * await runCopy({ source, target, plan, transformer, secret });
 * target.rows.get('users');
 */
export function memoryCopyTarget(options: MemoryCopyTargetOptions = {}): MemoryCopyTarget {
  const rows = new Map<string, unknown[][]>();
  const specs = new Map<string, CopyTableSpec>();
  const statements: string[] = [];
  const calls: string[] = [];
  let record: CopyProgress | undefined;
  let finished = false;
  let failAt = 0;
  const clone = (progress: CopyProgress): CopyProgress => JSON.parse(JSON.stringify(progress)) as CopyProgress;
  return {
    kind: options.kind ?? 'sqlite',
    rows,
    specs,
    statements,
    calls,
    get record() {
      return record;
    },
    get finished() {
      return finished;
    },
    failWriteAt(n) {
      failAt = n;
    },
    identity: () => Promise.resolve(options.identity ?? 'memory-target'),
    progress() {
      if (record === undefined && statements.length > 0) {
        return Promise.reject(coreError('PK_COPY', 'memoryCopyTarget: the target holds tables but no unfinished copy; give an empty target.'));
      }
      return Promise.resolve(record === undefined ? undefined : clone(record));
    },
    create(script: CopySchemaScript, progress) {
      calls.push('create');
      statements.push(...script.create);
      record = clone(progress);
      return Promise.resolve();
    },
    write(spec, batch, progress) {
      if (failAt > 0 && --failAt === 0) return Promise.reject(new Error('connection lost'));
      calls.push(`write ${spec.name} ${batch.length}`);
      specs.set(spec.name, spec);
      const table = rows.get(spec.name) ?? [];
      table.push(...batch.map((r) => [...r]));
      rows.set(spec.name, table);
      record = clone(progress);
      return Promise.resolve();
    },
    finish(script) {
      calls.push('finish');
      statements.push(...script.finish);
      record = undefined;
      finished = true;
      return Promise.resolve();
    },
    async *scanText({ batchSize }) {
      for (const [table, tableRows] of rows) {
        const spec = specs.get(table);
        for (const [index, column] of (spec?.columns ?? []).entries()) {
          const values = tableRows.map((r) => r[index]).filter((v): v is string => typeof v === 'string');
          for (let at = 0; at < values.length; at += batchSize) {
            await Promise.resolve();
            yield { table, column, values: values.slice(at, at + batchSize) };
          }
        }
      }
    },
    close: () => Promise.resolve(),
  };
}
