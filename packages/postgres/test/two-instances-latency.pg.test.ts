import { appSecrets, startAppInstance, tokenFor, withdrawalLatencies, type AppInstance, type AppSecrets } from './app-instances';
import { startDelayProxy, targetOf, throughProxy, type DelayProxy } from './delay-proxy';
import { databaseUrl, dropSchema, freshSchema } from './pg-test-env';

// The two-instance consent test of two-instances.pg.test.ts, with the database a few milliseconds away: both app
// processes reach PostgreSQL (queries and the LISTEN connection alike) through a loopback proxy that delays every
// chunk by 5 ms each way (issue 15, item 4).

const DELAY_MS = 5;

describe('two app instances on one PostgreSQL store 5 ms away (each way)', () => {
  let secrets: AppSecrets;
  let proxy: DelayProxy;
  const instances: AppInstance[] = [];

  beforeEach(async () => {
    secrets = appSecrets(freshSchema());
    proxy = await startDelayProxy({ target: targetOf(databaseUrl()), delayMs: DELAY_MS });
  });
  afterEach(async () => {
    await Promise.all(instances.splice(0).map((i) => i.process.kill()));
    await proxy.close();
    await dropSchema(secrets.schema);
  });

  async function start(appId: string): Promise<AppInstance> {
    const instance = await startAppInstance(secrets, appId, { DATABASE_URL: throughProxy(databaseUrl(), proxy) });
    instances.push(instance);
    return instance;
  }

  it('enforces a withdrawal made through instance A on instance B within 100 ms of A answering, though B had the grant cached and the database is 5 ms away', async () => {
    const a = await start('instance-a');
    const b = await start('instance-b');
    const token = tokenFor(secrets, 'user-1');
    const { latencies, answers } = await withdrawalLatencies(a, b, token);
    for (const answer of answers) expect(answer).toEqual(expect.objectContaining({ status: 403, body: { error: 'consent_required', purpose: 'personalize.content' } }));
    expect(Math.max(...latencies)).toBeLessThan(100);
  });
});
