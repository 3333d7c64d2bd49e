import { createHmac } from 'node:crypto';
import { coreError } from '../errors/core.error';
import { defineOptionKeys, rejectUnknownOptions } from '../errors/option-keys';
import { deriveKey } from '../pseudonym/pseudonymizer';
import type { CopyBatch, CopyProgress, CopySource, CopyTableSchema, CopyTarget } from './copy-contracts';
import { CursorSeal } from './copy-cursor';
import type { CopyPlan, CopyPlanTable } from './copy-plan';
import { copyKeyId, type CopyTransformer } from './copy-transformer';

/** Rows per batch by default. */
export const DEFAULT_COPY_BATCH_SIZE = 5000;

/** Where a running copy stands, for a progress bar. */
export interface CopyRunProgress {
  readonly table: string;
  /** Rows of the table in the target so far (resumed rows included). */
  readonly rows: number;
  /** Rows of the table in the source when the table started. */
  readonly total: number;
}

/** Options of {@link runCopy}. */
export interface RunCopyOptions {
  readonly source: CopySource;
  readonly target: CopyTarget;
  /** From `planCopy()` over `source.tables()`. */
  readonly plan: CopyPlan;
  /** From `createCopyTransformer(plan, { secret, ... })`, with the same secret as below. */
  readonly transformer: CopyTransformer;
  /** The copy secret: seals the resume cursors and keys the run's fingerprint. */
  readonly secret: string | Buffer;
  /** Rows per batch (default {@link DEFAULT_COPY_BATCH_SIZE}); one batch is in memory at a time, plus the next being read. */
  readonly batchSize?: number;
  /** Called after every batch written. */
  readonly onProgress?: (progress: CopyRunProgress) => void;
  /** Stops the copy between batches; a run stopped so resumes where it was. */
  readonly signal?: AbortSignal;
}

/** What a copy did. */
export interface CopyReport {
  /** Rows in the target per table, in copy order (rows of an earlier, resumed run included). */
  readonly tables: readonly { readonly name: string; readonly rows: number }[];
  /** Their sum. */
  readonly rows: number;
  /** Whether this run continued an interrupted one. */
  readonly resumed: boolean;
  readonly durationMs: number;
  /** The transformer's key id (a fingerprint of the copy key). */
  readonly keyId: string;
}

const OPTION_KEYS = defineOptionKeys<RunCopyOptions>({ source: true, target: true, plan: true, transformer: true, secret: true, batchSize: true, onProgress: true, signal: true });
const WHERE = 'runCopy()';

function refuse(problem: string): Error {
  return coreError('PK_COPY', `${WHERE}: ${problem}`);
}

/** What the fingerprint covers of a plan: every choice that changes the target's rows. */
function canonicalPlan(plan: CopyPlan): string {
  return JSON.stringify({
    cipherSubject: plan.cipherSubject,
    skipped: plan.skipped.map((t) => t.name),
    tables: plan.tables.map((t) => ({
      name: t.spec.name,
      model: t.model?.name ?? null,
      subject: t.subject?.name ?? null,
      source: t.sourceColumns,
      dropped: t.spec.dropped,
      columns: t.columns.map((c) => [c.name, c.strategy, c.field ?? null, c.sealed, c.shiftDays ?? null]),
    })),
  });
}

/** The source's tables must still be the ones the plan was made from: schema drift stops the copy. */
function checkSchema(plan: CopyPlan, tables: readonly CopyTableSchema[]): void {
  const byName = new Map(tables.map((t) => [t.name, t]));
  const problems: string[] = [];
  for (const table of plan.tables) {
    const now = byName.get(table.spec.name);
    if (now === undefined) problems.push(`table ${table.spec.name} is gone`);
    else if (now.columns.map((c) => c.name).join('\u0000') !== table.sourceColumns.join('\u0000')) problems.push(`the columns of ${table.spec.name} changed`);
  }
  const known = new Set([...plan.tables.map((t) => t.spec.name), ...plan.skipped.map((t) => t.name)]);
  for (const table of tables) if (!known.has(table.name)) problems.push(`table ${table.name} is new`);
  if (problems.length > 0) throw refuse(`the source's schema is not the one the plan was made from (${problems.join('; ')}); nothing was written. Plan again with planCopy() and map what changed.`);
}

interface TableState {
  name: string;
  rows: number;
  done: boolean;
  cursor: string | null;
}

/**
 * Copies a source database into a target through a plan: compares identities (the target is never the source),
 * creates the schema, then reads, transforms and writes batch by batch (never a whole table in memory), and
 * finishes (indexes, constraints). A run that stopped (a crash, an abort) resumes from the target's progress: the
 * tables done are skipped and the current one continues after its last batch, if the source, the plan and the key
 * are those of the first run (another one is refused). Cursors are sealed before the target keeps them.
 *
 * @param options - source, target, plan, transformer, copy secret, batch size, progress callback, abort signal
 * @returns what was copied
 * @throws PrivacyKitError PK_COPY when the copy is refused or stopped
 * @example
 * const report = await runCopy({ source, target, plan, transformer, secret: copySecret, onProgress: (p) => bar.update(p) });
 */
export async function runCopy(options: RunCopyOptions): Promise<CopyReport> {
  const started = Date.now();
  if (typeof options !== 'object' || options === null) throw coreError('PK_INVALID_OPTION', `${WHERE}: needs { source, target, plan, transformer, secret }.`);
  rejectUnknownOptions(options, OPTION_KEYS, WHERE, coreError);
  const { source, target, plan, transformer, secret, onProgress, signal } = options;
  const batchSize = options.batchSize ?? DEFAULT_COPY_BATCH_SIZE;
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) throw coreError('PK_INVALID_OPTION', `${WHERE}: 'batchSize' must be a positive whole number; got ${String(batchSize)}.`);
  if (transformer.keyId !== copyKeyId(secret)) throw refuse('the transformer was made with another secret than the one given here: pass the same copy secret to both.');
  if (source.kind !== target.kind) throw refuse(`the source is ${source.kind} and the target ${target.kind}: a copy goes to a database of the same kind.`);
  if (signal?.aborted === true) throw refuse('aborted before it started; nothing was written.');
  const identity = await source.identity();
  if (identity === (await target.identity())) throw refuse('the target is the source (the same database, maybe through another path or name): refused, give another, empty target.');
  checkSchema(plan, await source.tables());

  const fingerprint = createHmac('sha256', deriveKey(secret, 'pseudonymize'))
    .update(`privacy-kit copy fingerprint\nv1\n${identity}\n${canonicalPlan(plan)}`)
    .digest('base64url');
  const specs = plan.tables.map((t) => t.spec);
  const script = await source.schema(specs);
  const existing = await target.progress();
  const resumed = existing !== undefined;
  let states: TableState[];
  if (existing === undefined) {
    states = plan.tables.map((t) => ({ name: t.spec.name, rows: 0, done: false, cursor: null }));
    await target.create(script, { fingerprint, tables: states.map((s) => ({ ...s })) });
  } else {
    const names = existing.tables.map((t) => t.name).join('\u0000');
    if (existing.fingerprint !== fingerprint || names !== specs.map((s) => s.name).join('\u0000')) {
      throw refuse('the target holds an unfinished copy made from another source, mapping or copy secret: it cannot be resumed with these. Start afresh with an empty target.');
    }
    states = existing.tables.map((t) => ({ name: t.name, rows: t.rows, done: t.done, cursor: t.cursor }));
  }

  const cursors = new CursorSeal(secret);
  for (const [index, table] of plan.tables.entries()) {
    const state = states[index] as TableState;
    if (state.done) continue;
    await copyTable({ source, target, transformer, batchSize, table, state, states, fingerprint, cursors, onProgress, signal });
  }
  await target.finish(script);
  const tables = states.map((s) => ({ name: s.name, rows: s.rows }));
  return { tables, rows: tables.reduce((sum, t) => sum + t.rows, 0), resumed, durationMs: Date.now() - started, keyId: transformer.keyId };
}

interface CopyTableContext {
  readonly source: CopySource;
  readonly target: CopyTarget;
  readonly transformer: CopyTransformer;
  readonly batchSize: number;
  readonly table: CopyPlanTable;
  readonly state: TableState;
  readonly states: readonly TableState[];
  readonly fingerprint: string;
  readonly cursors: CursorSeal;
  readonly onProgress: ((progress: CopyRunProgress) => void) | undefined;
  readonly signal: AbortSignal | undefined;
}

function stopIfAborted(signal: AbortSignal | undefined, state: TableState): void {
  if (signal?.aborted === true) {
    throw refuse(`stopped between batches (table ${state.name}, ${state.rows} rows written). Everything written is kept: run the same copy again with the same target to resume.`);
  }
}

async function copyTable(ctx: CopyTableContext): Promise<void> {
  const { source, target, table, state, states, cursors, signal } = ctx;
  const name = table.spec.name;
  const context = `${ctx.fingerprint}\n${name}`;
  stopIfAborted(signal, state);
  const after = state.cursor === null ? undefined : cursors.open(state.cursor, context);
  const total = await source.countRows(name);
  const transform = ctx.transformer.table(name);
  const progress = (): CopyProgress => ({ fingerprint: ctx.fingerprint, tables: states.map((s) => ({ ...s })) });
  const batches = source.read(name, after === undefined ? { batchSize: ctx.batchSize } : { batchSize: ctx.batchSize, after })[Symbol.asyncIterator]();
  try {
    let current = await batches.next();
    if (current.done === true) {
      state.done = true;
      await target.write(table.spec, [], progress());
      return;
    }
    while (current.done !== true) {
      const batch: CopyBatch = current.value;
      // The next batch is read while this one is transformed: one batch in flight, never the whole table.
      const following = batches.next();
      following.catch(() => undefined);
      const rows = await transform.transform(batch.rows);
      const next = await following;
      state.rows += rows.length;
      state.done = next.done === true;
      state.cursor = cursors.seal(batch.cursor, context);
      await target.write(table.spec, rows, progress());
      ctx.onProgress?.({ table: name, rows: state.rows, total });
      current = next;
      // Sources and targets on a synchronous driver (better-sqlite3) settle every await at once: without a turn of
      // the event loop here a signal (Ctrl-C) would never be delivered, nor a timer fire, until the table is done.
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (!state.done) stopIfAborted(signal, state);
    }
  } finally {
    await batches.return?.();
  }
}
