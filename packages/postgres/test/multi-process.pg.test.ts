import { randomBytes } from 'node:crypto';
import { POSTGRES_SCHEMA_VERSION, createPostgresStore, type PostgresStore } from '@privacy-kit/postgres';
import { databaseUrl, dropSchema, freshSchema, sql } from './pg-test-env';
import { WorkerProcess } from './worker-process';

// Each worker is a separate Node process using the built package (dist), like one app instance of several.

describe('several app processes on one PostgreSQL store', () => {
  let schema: string;
  let auditKey: Buffer;
  const workers: WorkerProcess[] = [];
  const stores: PostgresStore[] = [];

  const startWorkers = async (n: number): Promise<WorkerProcess[]> => {
    const started = Array.from({ length: n }, () => new WorkerProcess('store-worker.js'));
    workers.push(...started);
    await Promise.all(started.map((w) => w.call('open', { connectionString: databaseUrl(), schema, auditKey: auditKey.toString('hex') })));
    return started;
  };

  beforeEach(() => {
    schema = freshSchema();
    auditKey = randomBytes(32);
  });
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.kill()));
    await Promise.all(stores.splice(0).map((s) => s.close()));
    await dropSchema(schema);
  });

  it('migrates an empty database once when four processes start at the same moment', async () => {
    await startWorkers(4);
    const applied = await sql<{ version: number }>(`SELECT version FROM "${schema}".privacy_kit_migrations`);
    expect(applied).toHaveLength(POSTGRES_SCHEMA_VERSION);
  });

  it('keeps one verifiable audit chain while four processes append concurrently', async () => {
    const appenders = await startWorkers(4);
    const verifier = createPostgresStore({ connectionString: databaseUrl(), auditKey, schema });
    stores.push(verifier);
    const perWorker = 150;
    let appending = true;
    const appends = Promise.all(appenders.map((w, i) => w.call<{ seqs: number[] }>('append', { count: perWorker, concurrency: 4, prefix: `w${i}` }, 60_000)))
      .finally(() => { appending = false; });
    // Verification reads one consistent snapshot, so it holds at every moment of the concurrent appends.
    const reports = [];
    while (appending) {
      reports.push(await verifier.verifyAudit());
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const results = await appends;
    expect(reports.length).toBeGreaterThan(0);
    expect(reports.filter((r) => !r.ok)).toEqual([]);

    const total = appenders.length * perWorker;
    const seqs = results.flatMap((r) => r.seqs).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    expect(await verifier.verifyAudit()).toEqual(expect.objectContaining({ ok: true, checked: total }));
    const records = await verifier.readAudit();
    for (let w = 0; w < appenders.length; w++) {
      expect(records.filter((r) => r.requestId.startsWith(`w${w}-`))).toHaveLength(perWorker);
    }
  });

  it("delivers a withdrawal made through one process to the other's consent watcher within 100 ms", async () => {
    const [writer, watcher] = (await startWorkers(2)) as [WorkerProcess, WorkerProcess];
    await watcher.call('watch');
    const latencies: number[] = [];
    for (let round = 0; round < 10; round++) {
      const subject = `psn_round_${round}`;
      const { startedAt } = await writer.call<{ startedAt: number }>('record', { subject, action: 'withdrawn' });
      const heard = await watcher.nextEvent((e) => e.event === 'consent-changed' && e.subject === subject, 1000);
      latencies.push((heard.at as number) - startedAt);
    }
    expect(latencies).toHaveLength(10);
    expect(Math.max(...latencies)).toBeLessThan(100);
  });
});
