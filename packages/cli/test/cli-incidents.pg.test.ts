import { randomBytes } from 'node:crypto';
import { deriveKey, type AuditEntry } from '@privacy-kit/core';
import { createPostgresStore, type PostgresStore } from '@privacy-kit/postgres';
import { databaseUrl, dropSchema, freshSchema, sql } from '../../postgres/test/pg-test-env';
import { runCli, type CliRun } from './support/run-cli';

function access(n: number, actor: string, subject: string, time: string): AuditEntry {
  return {
    event: 'access', time, requestId: `req-${n}`, appId: 'test-app', actor, subject, method: 'GET', route: '/customers/:id',
    purposes: ['essential.service'], basis: 'contract', categories: ['user.contact.email', 'user.financial.bank_account'], decision: 'allowed', reason: null, status: null, durationMs: null,
  };
}

describe('privacy-kit incidents --database-url (the register on PostgreSQL)', () => {
  let schema: string;
  let secret: string;
  const cli = (...args: string[]): CliRun => runCli(['incidents', ...args, '--database-url', databaseUrl(), '--schema', schema], { env: { PRIVACY_KIT_SECRET: secret } });
  const json = <T>(run: CliRun, status = 0): T => {
    expect(run.stderr).toBe('');
    expect(run.status).toBe(status);
    return JSON.parse(run.stdout) as T;
  };

  beforeEach(async () => {
    schema = freshSchema();
    secret = randomBytes(32).toString('base64url');
    const store = createPostgresStore({ connectionString: databaseUrl(), auditKey: deriveKey(secret, 'audit'), schema });
    await store.ready();
    const start = Date.parse('2026-12-02T09:00:00Z');
    for (let c = 0; c < 60; c++) await store.appendAudit(access(c, 'psn_agent', `psn_customer-${c}`, new Date(start + c * 6_000).toISOString()));
    await store.close();
  });
  afterEach(async () => {
    await dropSchema(schema);
  });

  it('finds the alert, opens an incident with its 72-hour deadline, computes its scope and drafts the notification', () => {
    const { alerts } = json<{ alerts: { rule: string; id: string }[] }>(cli('alerts', '--json'), 1);
    expect(alerts.map((a) => a.rule)).toContain('massAccess');
    const { incident } = json<{ incident: { id: string; knownAt: string; deadline: string } }>(cli('open', '--title', 'Agent read many customers', '--known-at', '2026-11-30T10:00:00Z', '--json'));
    expect(Date.parse(incident.deadline)).toBe(Date.parse('2026-11-30T10:00:00Z') + 72 * 3600_000);
    const { scope } = json<{ scope: { subjects: number; records: number; categories: { category: string }[] } }>(
      cli('scope', incident.id, '--actor', 'psn_agent', '--from', '2026-12-02T00:00:00Z', '--to', '2026-12-02T23:59:59Z', '--json'));
    expect(scope).toMatchObject({ subjects: 60, records: 60 });
    expect(scope.categories.map((c) => c.category).sort()).toEqual(['user.contact.email', 'user.financial.bank_account']);
    const draft = cli('draft', incident.id);
    expect(draft.status).toBe(0);
    expect(draft.stdout).toMatch(/60/);
    expect(draft.stdout).toMatch(/user\.financial\.bank_account/);
    // Known more than 72 hours ago and not notified: overdue, and list says so (exit 1).
    const list = cli('list');
    expect(list.status).toBe(1);
    expect(list.stdout).toMatch(/OVERDUE/);
  });

  it("alerts sees every instance's records: two instances (two chains) each read 30 customers, 60 in all fire massAccess", async () => {
    const fleetSchema = freshSchema();
    const [a, b] = [0, 1].map(() => createPostgresStore({ connectionString: databaseUrl(), auditKey: deriveKey(secret, 'audit'), schema: fleetSchema })) as [PostgresStore, PostgresStore];
    try {
      await a.ready(); // one after the other: the second instance finds the first's chain taken and registers its own
      await b.ready();
      const start = Date.parse('2026-12-03T09:00:00Z');
      // Behind a load balancer, one agent's reads alternate between the instances: each sees 30, under the threshold of 50.
      for (let c = 0; c < 60; c++) await (c % 2 === 0 ? a : b).appendAudit(access(c, 'psn_agent', `psn_customer-${c}`, new Date(start + c * 6_000).toISOString()));
      const written = await sql<{ chains: string }>(`SELECT count(DISTINCT chain) AS chains FROM "${fleetSchema}".audit_log`);
      expect(Number(written[0]?.chains)).toBe(2);
      const fleet = (...args: string[]): CliRun => runCli(['incidents', ...args, '--database-url', databaseUrl(), '--schema', fleetSchema], { env: { PRIVACY_KIT_SECRET: secret } });
      const { alerts } = json<{ alerts: { rule: string; actor: string; count: number }[] }>(fleet('alerts', '--from', '2026-12-03T00:00:00Z', '--json'), 1);
      expect(alerts.filter((x) => x.rule === 'massAccess')).toEqual([expect.objectContaining({ actor: 'psn_agent', count: 50 })]);
      const later = json<{ alerts: unknown[] }>(fleet('alerts', '--from', '2026-12-04T00:00:00Z', '--json'));
      expect(later.alerts).toEqual([]);
    } finally {
      await Promise.all([a.close(), b.close()]);
      await dropSchema(fleetSchema);
    }
  });
});
