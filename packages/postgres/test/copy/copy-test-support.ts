import type { CopyBatch, CopyProgress, CopySource, CopyTableSpec, CopyTarget } from '@privacy-kit/core';
import { openPostgresCopySource, openPostgresCopyTarget } from '@privacy-kit/postgres';
import { databaseUrl, dropSchema, freshSchema, sql } from '../pg-test-env';

/** A progress with nothing personal in it, as the engine would record. */
export function progressOf(rows = 0, cursor: string | null = null): CopyProgress {
  return { fingerprint: 'fp-test', tables: [{ name: 't', rows, done: false, cursor }] };
}

/** Every batch of a read. */
export async function readAll(source: CopySource, table: string, batchSize: number, after?: string): Promise<CopyBatch[]> {
  const batches: CopyBatch[] = [];
  for await (const batch of source.read(table, { batchSize, ...(after === undefined ? {} : { after }) })) batches.push(batch);
  return batches;
}

/** Every table of the source with all its columns kept. */
export async function keepAll(source: CopySource): Promise<CopyTableSpec[]> {
  return (await source.tables()).map((t) => ({ name: t.name, columns: t.columns.map((c) => c.name), dropped: [] }));
}

/** What the engine does, without transforming: schema, rows in batches with progress, finish. */
export async function copyAll(source: CopySource, target: CopyTarget, specs?: readonly CopyTableSpec[], batchSize = 100): Promise<void> {
  const tables = specs ?? await keepAll(source);
  const script = await source.schema(tables);
  await target.create(script, progressOf());
  for (const spec of tables) {
    const all = (await source.tables()).find((t) => t.name === spec.name);
    const keep = spec.columns.map((c) => all?.columns.findIndex((col) => col.name === c) ?? -1);
    for await (const batch of source.read(spec.name, { batchSize })) {
      await target.write(spec, batch.rows.map((row) => keep.map((i) => row[i])), progressOf(batch.rows.length, batch.cursor));
    }
  }
  await target.finish(script);
}

/** Two fresh schemas of the test database, a source on one and a target on the other, cleaned up after each test. */
export function copyFixture(): { readonly source: () => string; readonly target: () => string; openSource(): Promise<CopySource>; openTarget(schema?: string): Promise<CopyTarget> } {
  let sourceSchema = '';
  let targetSchema = '';
  const open: (CopySource | CopyTarget)[] = [];
  beforeEach(async () => {
    sourceSchema = freshSchema();
    targetSchema = freshSchema();
    await sql(`CREATE SCHEMA "${sourceSchema}"`);
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((o) => o.close()));
    await dropSchema(sourceSchema);
    await dropSchema(targetSchema);
  });
  return {
    source: () => sourceSchema,
    target: () => targetSchema,
    async openSource() {
      const source = await openPostgresCopySource({ connectionString: databaseUrl(), schema: sourceSchema });
      open.push(source);
      return source;
    },
    async openTarget(schema?: string) {
      const target = await openPostgresCopyTarget({ connectionString: databaseUrl(), schema: schema ?? targetSchema });
      open.push(target);
      return target;
    },
  };
}

/** Runs statements on the test database with the search path set to a schema. */
export async function inSchema(schema: string, statements: string): Promise<void> {
  await sql(`SET search_path TO "${schema}"; ${statements}`);
}
