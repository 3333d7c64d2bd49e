import { createPostgresStore } from '@privacy-kit/postgres';
import { appSecrets, request, startAppInstance, tokenFor, withdrawalLatencies, type AppInstance, type AppSecrets } from './app-instances';
import { databaseUrl, dropSchema, freshSchema, sql } from './pg-test-env';

// Two (and a control third) real app processes on loopback ports, sharing one PostgreSQL store.

describe('two app instances on one PostgreSQL store', () => {
  let secrets: AppSecrets;
  const instances: AppInstance[] = [];

  beforeEach(() => { secrets = appSecrets(freshSchema()); });
  afterEach(async () => {
    await Promise.all(instances.splice(0).map((i) => i.process.kill()));
    await dropSchema(secrets.schema);
  });

  async function start(appId: string, env: NodeJS.ProcessEnv = {}): Promise<AppInstance> {
    const instance = await startAppInstance(secrets, appId, env);
    instances.push(instance);
    return instance;
  }

  const consent = (granted: boolean) => ({ method: 'PUT', body: { granted, policyVersion: 'v1' } });

  it('enforces a withdrawal made through instance A on instance B within 100 ms of A answering, though B had the grant cached', async () => {
    const a = await start('instance-a');
    const b = await start('instance-b');
    const token = tokenFor(secrets, 'user-1');
    const { latencies, answers } = await withdrawalLatencies(a, b, token);
    for (const answer of answers) expect(answer).toEqual(expect.objectContaining({ status: 403, body: { error: 'consent_required', purpose: 'personalize.content' } }));
    expect(Math.max(...latencies)).toBeLessThan(100);
  });

  it('without the store notifications an instance keeps its cached grant: the control for the test above', async () => {
    const a = await start('instance-a');
    const deaf = await start('instance-deaf', { PK_NO_WATCH: '1' });
    const token = tokenFor(secrets, 'user-2');
    expect((await request(a.url, '/privacy/me/consents/personalize.content', token, consent(true))).status).toBe(200);
    expect((await request(deaf.url, '/me/recommendations', token)).status).toBe(200);
    expect((await request(a.url, '/privacy/me/consents/personalize.content', token, consent(false))).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect((await request(deaf.url, '/me/recommendations', token)).status).toBe(200);
    expect((await request(a.url, '/me/recommendations', token)).status).toBe(403);
  });

  it('writes the audit records of each instance into chains of its own, and the whole log verifies', async () => {
    const a = await start('instance-a');
    const b = await start('instance-b');
    const token = tokenFor(secrets, 'user-3');
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => request(i % 2 === 0 ? a.url : b.url, '/me/profile', token)));
    expect(answers.every((r) => r.status === 200)).toBe(true);
    const store = createPostgresStore({ connectionString: databaseUrl(), auditKey: secrets.auditKey, schema: secrets.schema });
    try {
      const access = await store.readAudit({ event: 'access' });
      expect(new Set(access.map((r) => r.appId))).toEqual(new Set(['instance-a', 'instance-b']));
      expect(access.map((r) => r.requestId).sort()).toEqual(answers.map((r) => r.requestId).sort());
      const report = await store.verifyAudit();
      expect(report).toEqual(expect.objectContaining({ ok: true }));
      expect(report.chains).toBeGreaterThanOrEqual(2);
      const chainsOfApps = await sql<{ app_id: string; chain: string }>(`SELECT DISTINCT app_id, chain FROM "${secrets.schema}".audit_log WHERE event = 'access'`);
      const appsOfChain = new Map<string, Set<string>>();
      for (const r of chainsOfApps) appsOfChain.set(r.chain, (appsOfChain.get(r.chain) ?? new Set()).add(r.app_id));
      expect([...appsOfChain.values()].every((apps) => apps.size === 1)).toBe(true);
    } finally {
      await store.close();
    }
  });
});
