import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createPostgresStore } from '@privacy-kit/postgres';
import { appSecrets, request, startAppInstance, tokenFor, type AppInstance, type AppSecrets } from './app-instances';
import { databaseUrl, dropSchema, freshSchema } from './pg-test-env';

// Stops and starts the real server (the throwaway cluster of scripts/with-postgres.sh) in the middle of a
// bounded loopback load against a real app instance.

const run = promisify(execFile);

/** pg_ctl of the throwaway cluster, e.g. pgCtl('stop', '-m', 'fast'). */
async function pgCtl(...args: string[]): Promise<void> {
  const ctl = process.env.PRIVACY_KIT_PG_CTL;
  if (ctl === undefined || ctl === '') {
    throw new Error('PRIVACY_KIT_PG_CTL is not set: run this suite with `npm run test:postgres` (scripts/with-postgres.sh), which owns the server.');
  }
  await run(ctl, args, { timeout: 60_000 });
}

async function serverIsRunning(): Promise<boolean> {
  return pgCtl('status').then(() => true, () => false);
}

interface Sample { readonly startedAt: number; readonly endedAt: number; readonly status: number; readonly requestId: string | null; readonly body: unknown }

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('PostgreSQL restarted under load', () => {
  let secrets: AppSecrets;
  const apps: AppInstance[] = [];

  beforeEach(() => { secrets = appSecrets(freshSchema()); });
  afterEach(async () => {
    // Whatever happened, leave the server running for the suites after this one.
    if (!(await serverIsRunning())) await pgCtl('start');
    await Promise.all(apps.splice(0).map((a) => a.process.kill()));
    await dropSchema(secrets.schema);
  });

  it('answers 503 while the database is down, never a 2xx without its audit record, and recovers by itself, with two instances each on chains of its own', async () => {
    apps.push(await startAppInstance(secrets, 'restart-a', { PK_AUDIT_CHAINS: '2' }), await startAppInstance(secrets, 'restart-b', { PK_AUDIT_CHAINS: '2' }));
    const token = tokenFor(secrets, 'user-restart');
    const samples: Sample[] = [];
    const MAX_REQUESTS = 3000;
    const DEADLINE = Date.now() + 40_000;
    let serverBackAt = Number.POSITIVE_INFINITY;
    let issued = 0;
    const done = (): boolean => {
      if (issued >= MAX_REQUESTS || Date.now() > DEADLINE) return true;
      return samples.filter((s) => s.startedAt > serverBackAt && s.status === 200).length >= 150;
    };
    const lane = async (n: number): Promise<void> => {
      const app = apps[n % apps.length] as AppInstance;
      while (!done()) {
        issued++;
        const startedAt = Date.now();
        const answer = await request(app.url, '/me/profile', token);
        samples.push({ startedAt, endedAt: Date.now(), ...answer });
        await sleep(3);
      }
    };
    const load = Promise.all(Array.from({ length: 6 }, (_, n) => lane(n)));

    await sleep(400);
    const stoppingAt = Date.now();
    await pgCtl('stop', '-m', 'fast');
    const downAt = Date.now();
    await sleep(1200);
    const restartAt = Date.now();
    await pgCtl('start');
    serverBackAt = Date.now();
    await load;

    // Only the two answers privacy-kit gives: served (with its record), or refused because the store is away.
    expect(samples.filter((s) => s.status !== 200 && s.status !== 503)).toEqual([]);
    expect(samples.filter((s) => s.status === 503).every((s) => JSON.stringify(s.body) === '{"error":"privacy_store_unavailable"}')).toBe(true);

    // Load ran before, during and after the outage.
    const before = samples.filter((s) => s.endedAt < stoppingAt);
    const whileDown = samples.filter((s) => s.startedAt >= downAt && s.endedAt <= restartAt);
    const after = samples.filter((s) => s.startedAt > serverBackAt);
    expect(before.length).toBeGreaterThan(10);
    expect(before.filter((s) => s.status !== 200)).toEqual([]);
    expect(whileDown.length).toBeGreaterThan(20);
    expect(whileDown.map((s) => s.status).filter((status) => status !== 503)).toEqual([]);
    // Recovered without a restart of the app: answers after the server is back are served again.
    expect(after.filter((s) => s.status === 200).length).toBeGreaterThanOrEqual(150);
    expect(samples.slice(-30).every((s) => s.status === 200)).toBe(true);

    // Every 2xx has its access record, committed before the handler ran.
    const served = samples.filter((s) => s.status === 200);
    expect(served.every((s) => s.requestId !== null)).toBe(true);
    const store = createPostgresStore({ connectionString: databaseUrl(), auditKey: secrets.auditKey, schema: secrets.schema });
    try {
      const accessed = new Set((await store.readAudit({ event: 'access' })).map((r) => r.requestId));
      expect(served.filter((s) => !accessed.has(s.requestId as string))).toEqual([]);
      const report = await store.verifyAudit();
      expect(report).toEqual(expect.objectContaining({ ok: true }));
      expect(report.chains).toBeGreaterThanOrEqual(2);
    } finally {
      await store.close();
    }
  });
});
