import { randomBytes } from 'node:crypto';
import { createCopyTransformer, planCopy, runCopy, type CopyMapping, type CopyPlan, type RunCopyOptions } from '@privacy-kit/core';
import { memoryCopySource, memoryCopyTarget, type MemoryCopySource, type MemoryCopyTarget } from '@privacy-kit/core/testing';
import { col, rejectionOf, shopMapping, shopSchema } from './copy-fixtures';

// runCopy(): identity checks, batches, sealed cursors, abort and resume, fingerprint of source, mapping and key.

const scrub = (text: string): string => text.replace(/user-\d+@mail\.invalid/g, '[REDACTED:email]');
const USERS = 23;
const ORDERS = 41;

function source(schema = shopSchema(), identity = 'db-1'): MemoryCopySource {
  const [users, orders] = schema;
  return memoryCopySource({
    identity,
    tables: [
      { schema: users!, rows: Array.from({ length: USERS }, (_, i) => [i + 1, `user-${i + 1}@mail.invalid`, `Test Person ${i + 1}`, `+44 20 0000 ${String(i + 1).padStart(4, '0')}`, '1990-06-15', 'pro'].concat(users!.columns.length > 6 ? ['extra'] : [])) },
      { schema: orders!, rows: Array.from({ length: ORDERS }, (_, i) => [i + 1, (i % USERS) + 1, 'XX00 0000 0000 0000 0000 00', `for user-${(i % USERS) + 1}@mail.invalid`, i * 1.5]) },
    ],
  });
}

function setup(options: { secret?: Buffer; mapping?: CopyMapping; src?: MemoryCopySource; target?: MemoryCopyTarget } = {}): RunCopyOptions & { target: MemoryCopyTarget; plan: CopyPlan } {
  const secret = options.secret ?? key;
  const plan = planCopy(options.mapping ?? shopMapping(), shopSchema());
  return { source: options.src ?? source(), target: options.target ?? memoryCopyTarget(), plan, transformer: createCopyTransformer(plan, { secret, scrub }), secret, batchSize: 10 };
}

const key = randomBytes(32);

describe('runCopy', () => {
  it('creates the schema, copies every table batch by batch, transformed, and finishes', async () => {
    const run = setup();
    const report = await runCopy(run);
    expect(report).toMatchObject({ tables: [{ name: 'users', rows: USERS }, { name: 'orders', rows: ORDERS }], rows: USERS + ORDERS, resumed: false, keyId: run.transformer.keyId });
    expect(run.target.calls).toEqual(['create', 'write users 10', 'write users 10', 'write users 3', 'write orders 10', 'write orders 10', 'write orders 10', 'write orders 10', 'write orders 1', 'finish']);
    expect(run.target.finished).toBe(true);
    expect(JSON.stringify([...run.target.rows.values()])).not.toMatch(/user-\d+@|Test Person/);
  });

  it('keeps joins: every order points to a copied user', async () => {
    const run = setup();
    await runCopy(run);
    const userIds = new Set(run.target.rows.get('users')!.map((r) => r[0]));
    expect(run.target.rows.get('orders')!.every((r) => userIds.has(r[1]))).toBe(true);
  });

  it('refuses a target that is the source, before writing anything', async () => {
    const run = setup({ target: memoryCopyTarget({ identity: 'db-1' }) });
    const error = await rejectionOf(runCopy(run));
    expect(error.code).toBe('PK_COPY');
    expect(error.message).toContain('runCopy(): the target is the source');
    expect(run.target.calls).toEqual([]);
  });

  it('writes nothing when aborted before it starts', async () => {
    const run = setup();
    const error = await rejectionOf(runCopy({ ...run, signal: AbortSignal.abort() }));
    expect(error.message).toContain('aborted before it started; nothing was written');
    expect(run.target.calls).toEqual([]);
  });

  it('refuses a target of another kind', async () => {
    const run = setup({ target: memoryCopyTarget({ kind: 'postgres' }) });
    expect((await rejectionOf(runCopy(run))).message).toContain('the source is sqlite and the target postgres');
  });

  it('refuses a source whose schema changed since the plan, naming what changed, and writes nothing', async () => {
    const schema = shopSchema();
    schema[0] = { ...schema[0]!, columns: [...schema[0]!.columns, col('nickname')] };
    const run = setup({ src: source(schema) });
    const error = await rejectionOf(runCopy(run));
    expect(error.message).toContain("the source's schema is not the one the plan was made from (the columns of users changed)");
    expect(run.target.calls).toEqual([]);
  });

  it('leaves the target untouched when a column is unmapped: planCopy refuses before any run', async () => {
    const schema = shopSchema();
    schema[1] = { ...schema[1]!, columns: [...schema[1]!.columns, col('coupon')] };
    const target = memoryCopyTarget();
    expect(() => planCopy(shopMapping(), schema)).toThrow(/orders\.coupon/);
    expect(target.calls).toEqual([]);
    expect(await target.progress()).toBeUndefined();
  });

  it('seals the cursors the target keeps', async () => {
    const run = setup();
    run.target.failWriteAt(3);
    await rejectionOf(runCopy(run)).catch(() => undefined);
    const cursor = run.target.record!.tables[0]!.cursor!;
    expect(cursor).toMatch(/^c1\.[A-Za-z0-9_-]+$/);
    expect(cursor).not.toContain('19');
  });

  it('stops between batches on abort with an error saying it can be resumed, and the resumed copy equals an uninterrupted one', async () => {
    const whole = setup();
    await runCopy(whole);

    const controller = new AbortController();
    const target = memoryCopyTarget();
    const first = setup({ target });
    const error = await rejectionOf(runCopy({ ...first, onProgress: (p) => { if (p.table === 'orders' && p.rows >= 20) controller.abort(); }, signal: controller.signal }));
    expect(error.code).toBe('PK_COPY');
    expect(error.message).toContain('stopped between batches (table orders, 20 rows written)');
    expect(error.message).toContain('run the same copy again with the same target to resume');
    expect(target.finished).toBe(false);

    const second = setup({ target });
    const report = await runCopy(second);
    expect(report.resumed).toBe(true);
    expect(report.rows).toBe(USERS + ORDERS);
    expect(target.calls.filter((c) => c.startsWith('write users'))).toHaveLength(3);
    expect(target.rows.get('users')).toEqual(whole.target.rows.get('users'));
    expect(target.rows.get('orders')).toEqual(whole.target.rows.get('orders'));
    expect((second.source as MemoryCopySource).reads.find((r) => r.table === 'orders')?.after).toBe('19');
  });

  it('resumes after a write that failed (a lost connection), without duplicating rows', async () => {
    const target = memoryCopyTarget();
    const first = setup({ target });
    target.failWriteAt(5);
    await rejectionOf(runCopy(first));
    await runCopy(setup({ target }));
    expect(target.rows.get('orders')!.map((r) => r[0])).toEqual(Array.from({ length: ORDERS }, (_, i) => i + 1));
  });

  it('refuses to resume with another copy secret', async () => {
    const target = memoryCopyTarget();
    target.failWriteAt(2);
    await rejectionOf(runCopy(setup({ target })));
    const error = await rejectionOf(runCopy(setup({ target, secret: randomBytes(32) })));
    expect(error.message).toContain('the target holds an unfinished copy made from another source, mapping or copy secret');
  });

  it('refuses to resume with another mapping', async () => {
    const target = memoryCopyTarget();
    target.failWriteAt(2);
    await rejectionOf(runCopy(setup({ target })));
    const mapping = shopMapping();
    const users = mapping.tables.users!;
    const other = { tables: { ...mapping.tables, users: { ...users, columns: { ...users.columns, phone: { strategy: 'nullify' as const } } } } };
    expect((await rejectionOf(runCopy(setup({ target, mapping: other })))).message).toContain('Start afresh with an empty target');
  });

  it('refuses to resume from another source', async () => {
    const target = memoryCopyTarget();
    target.failWriteAt(2);
    await rejectionOf(runCopy(setup({ target })));
    expect((await rejectionOf(runCopy(setup({ target, src: source(shopSchema(), 'db-2') })))).message).toContain('another source, mapping or copy secret');
  });

  it('refuses a resume cursor that does not open, saying to start afresh', async () => {
    const target = memoryCopyTarget();
    target.failWriteAt(2);
    await rejectionOf(runCopy(setup({ target })));
    const record = target.record!;
    const tampered = { ...target, progress: () => Promise.resolve({ ...record, tables: record.tables.map((t) => ({ ...t, cursor: t.cursor === null ? null : `${t.cursor.slice(0, -2)}AA` })) }) };
    const error = await rejectionOf(runCopy({ ...setup({ target }), target: tampered }));
    expect(error.code).toBe('PK_COPY');
    expect(error.message).toContain("the target's resume cursor does not open under this copy secret");
  });

  it('refuses a transformer made with another secret than the run', async () => {
    const run = setup();
    const error = await rejectionOf(runCopy({ ...run, secret: randomBytes(32) }));
    expect(error.message).toContain('the transformer was made with another secret');
  });

  it('reports progress per batch with the table total', async () => {
    const seen: string[] = [];
    await runCopy({ ...setup(), onProgress: (p) => seen.push(`${p.table} ${p.rows}/${p.total}`) });
    expect(seen).toEqual(['users 10/23', 'users 20/23', 'users 23/23', 'orders 10/41', 'orders 20/41', 'orders 30/41', 'orders 40/41', 'orders 41/41']);
  });

  it('writes an empty table as done', async () => {
    const empty = memoryCopySource({ identity: 'db-1', tables: shopSchema().map((schema) => ({ schema, rows: [] })) });
    const run = setup({ src: empty });
    const report = await runCopy(run);
    expect(report.rows).toBe(0);
    expect(run.target.calls).toEqual(['create', 'write users 0', 'write orders 0', 'finish']);
  });
});
