import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deriveKey, type AuditEntry } from '@privacy-kit/core';
import { createSqliteStore } from '@privacy-kit/sqlite';
import { runCli, type CliRun } from './support/run-cli';

function access(n: number, actor: string, subject: string, time: string): AuditEntry {
  return {
    event: 'access', time, requestId: `req-${n}`, appId: 'test-app', actor, subject, method: 'GET', route: '/customers/:id',
    purposes: ['essential.service'], basis: 'contract', categories: ['user.contact.email', 'user.health_and_medical'], decision: 'allowed', reason: null, status: null, durationMs: null,
  };
}

describe('privacy-kit incidents', () => {
  let dir: string;
  let db: string;
  let secret: string;
  const cli = (...args: string[]): CliRun => runCli(['incidents', ...args, '--db', db], { env: { PRIVACY_KIT_SECRET: secret } });
  const json = <T>(run: CliRun): T => {
    expect(run.stderr).toBe('');
    return JSON.parse(run.stdout) as T;
  };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pk-cli-incidents-'));
    db = join(dir, 'privacy-kit.db');
    secret = randomBytes(32).toString('base64url');
    const store = createSqliteStore({ filename: db, auditKey: deriveKey(secret, 'audit') });
    const start = Date.parse('2026-12-01T09:00:00Z');
    // Ordinary traffic: 40 customers reading their own data over a day; then one agent reading 60 customers in 6 minutes.
    let n = 0;
    for (let c = 0; c < 40; c++) await store.appendAudit(access(n++, `psn_customer-${c}`, `psn_customer-${c}`, new Date(start + c * 30 * 60_000).toISOString()));
    for (let c = 0; c < 60; c++) await store.appendAudit(access(n++, 'psn_agent', `psn_customer-${c}`, new Date(start + 24 * 3600_000 + c * 6_000).toISOString()));
    await store.close();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('alerts: runs the monitoring rules over the whole audit log and finds the agent who read 60 customers', () => {
    const { alerts } = json<{ alerts: { rule: string; actor: string; count: number }[] }>(cli('alerts', '--json'));
    const mass = alerts.filter((a) => a.rule === 'massAccess');
    expect(mass).toHaveLength(1);
    expect(mass[0]).toMatchObject({ actor: 'psn_agent', count: 50 });
  });

  it('alerts exits 1 when it finds an alert, and 0 with "no alerts" over ordinary traffic', () => {
    const found = cli('alerts');
    expect(found.status).toBe(1);
    expect(found.stdout).toMatch(/massAccess/);
    const quiet = cli('alerts', '--to', '2026-12-01T23:59:59Z');
    expect(quiet).toMatchObject({ status: 0, stdout: 'no alerts\n', stderr: '' });
  });

  it('alerts --from and --to read only their window (a schedule of runs over a fleet\'s store): the burst\'s day fires, an overlapping run gives the same alert id, the next day is quiet', () => {
    const burst = json<{ alerts: { rule: string; actor: string; id: string }[] }>(cli('alerts', '--from', '2026-12-02T00:00:00Z', '--to', '2026-12-02T23:59:59Z', '--json'));
    expect(burst.alerts.filter((a) => a.rule === 'massAccess')).toEqual([expect.objectContaining({ actor: 'psn_agent' })]);
    // An overlapping run (from the day before) reports the same burst under the same id, to deduplicate on.
    const overlapping = json<{ alerts: { rule: string; id: string }[] }>(cli('alerts', '--from', '2026-12-01T00:00:00Z', '--json'));
    expect(overlapping.alerts.find((a) => a.rule === 'massAccess')?.id).toBe(burst.alerts.find((a) => a.rule === 'massAccess')?.id);
    expect(json<{ alerts: unknown[] }>(cli('alerts', '--from', '2026-12-03T00:00:00Z', '--json')).alerts).toEqual([]);
  });

  it("alerts takes its rules from the 'monitoring' of privacy-kit.config.json (the rules the app gives privacy({ monitoring }))", () => {
    const alertsWith = (monitoring: unknown): { rule: string; count: number; threshold: number }[] => {
      writeFileSync(join(dir, 'privacy-kit.config.json'), JSON.stringify({ monitoring }));
      const run = runCli(['incidents', 'alerts', '--db', db, '--json'], { env: { PRIVACY_KIT_SECRET: secret }, cwd: dir });
      expect(run.stderr).toBe('');
      return (JSON.parse(run.stdout) as { alerts: { rule: string; count: number; threshold: number }[] }).alerts.filter((a) => a.rule === 'massAccess');
    };
    expect(alertsWith({ massAccess: { threshold: 70 } })).toEqual([]);
    expect(alertsWith({ massAccess: { threshold: 10 } })).toEqual([expect.objectContaining({ count: 10, threshold: 10 })]);
    expect(alertsWith({ massAccess: false })).toEqual([]);
  });

  it("refuses a 'monitoring' in privacy-kit.config.json that the rules cannot take (exit 2), naming the file and the option", () => {
    writeFileSync(join(dir, 'privacy-kit.config.json'), JSON.stringify({ monitoring: { massAccess: { threshold: 0 } } }));
    const run = runCli(['incidents', 'alerts', '--db', db], { env: { PRIVACY_KIT_SECRET: secret }, cwd: dir });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/privacy-kit\.config\.json/);
    expect(run.stderr).toMatch(/'monitoring'.*massAccess\.threshold.*whole number/);
    expect(run.stdout).toBe('');
  });

  it('refuses a --from that is not an instant (exit 2)', () => {
    const run = cli('alerts', '--from', 'yesterday');
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/--from must be an ISO 8601 time with offset/);
    expect(run.stdout).toBe('');
  });

  it('open, scope and draft: the register counts the subjects and categories the agent reached, and the draft says so', () => {
    const { incident } = json<{ incident: { id: string; deadline: string; knownAt: string } }>(cli('open', '--title', 'An agent read many customers', '--known-at', '2026-12-02T10:00:00Z', '--json'));
    expect(Date.parse(incident.deadline)).toBe(Date.parse('2026-12-02T10:00:00Z') + 72 * 3600_000);
    const { scope } = json<{ scope: { subjects: number; records: number; special: boolean; categories: { category: string; subjects: number }[] } }>(
      cli('scope', incident.id, '--actor', 'psn_agent', '--from', '2026-12-02T00:00:00Z', '--to', '2026-12-02T23:59:59Z', '--json'));
    expect(scope).toMatchObject({ subjects: 60, records: 60, special: true });
    expect(scope.categories.map((c) => c.category).sort()).toEqual(['user.contact.email', 'user.health_and_medical']);
    const draft = cli('draft', incident.id);
    expect(draft.status).toBe(0);
    expect(draft.stdout).toMatch(/60/);
    expect(draft.stdout).toMatch(/user\.health_and_medical/);
    expect(draft.stdout).not.toMatch(/psn_customer-/);
  });

  it("scope without an incident, as an alert's command gives it, shows what the actor reached and records nothing", () => {
    const { alerts } = json<{ alerts: { rule: string; command: string }[] }>(cli('alerts', '--json'));
    const command = alerts.find((a) => a.rule === 'massAccess')?.command ?? '';
    // The alert's command, as a shell would split it (single quotes around a route with a space).
    const args = (command.replace(/^privacy-kit incidents scope --db FILE /, '').match(/'[^']*'|\S+/g) ?? []).map((a) => a.replace(/^'(.*)'$/, '$1'));
    const { scope } = json<{ scope: { subjects: number } }>(cli('scope', ...args, '--json'));
    expect(scope.subjects).toBeGreaterThanOrEqual(50);
    expect(json<{ incidents: unknown[] }>(cli('list', '--json')).incidents).toEqual([]);
  });

  it("names the controller of privacy-kit.config.json in the draft", () => {
    writeFileSync(join(dir, 'privacy-kit.config.json'), JSON.stringify({ controller: { name: 'Example Shop Ltd', contact: 'privacy@shop.example', dpo: 'dpo@shop.example' } }));
    const opened = runCli(['incidents', 'open', '--title', 'x', '--db', db, '--json'], { env: { PRIVACY_KIT_SECRET: secret }, cwd: dir });
    const id = (JSON.parse(opened.stdout) as { incident: { id: string } }).incident.id;
    const draft = runCli(['incidents', 'draft', id, '--db', db], { env: { PRIVACY_KIT_SECRET: secret }, cwd: dir });
    expect(draft.status).toBe(0);
    expect(draft.stdout).toMatch(/Example Shop Ltd/);
    expect(draft.stdout).toMatch(/dpo@shop\.example/);
  });

  it('list shows the 72-hour clock and exits 1 while an incident is overdue', () => {
    const known = new Date(Date.now() - 4 * 24 * 3600_000).toISOString();
    json(cli('open', '--title', 'Old breach', '--known-at', known, '--json'));
    const list = cli('list');
    expect(list.status).toBe(1);
    expect(list.stdout).toMatch(/OVERDUE\s+Old breach/);
  });

  it('records an assessment and a status, appended, and refuses a kind that cannot be written by hand', () => {
    const { incident } = json<{ incident: { id: string } }>(cli('open', '--title', 'Lost laptop', '--json'));
    expect(cli('record', incident.id, 'status', '--data', '{"status": "contained"}').status).toBe(0);
    const shown = json<{ incident: { status: string; events: { kind: string }[] } }>(cli('show', incident.id, '--json'));
    expect(shown.incident.status).toBe('contained');
    expect(shown.incident.events.map((e) => e.kind)).toEqual(['opened', 'status']);
    const refused = cli('record', incident.id, 'scope', '--data', '{}');
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/cannot be written by hand/);
  });

  it('stops with exit 4 and writes nothing when the store is keyed with another secret', () => {
    secret = randomBytes(32).toString('base64url');
    const run = cli('open', '--title', 'x');
    expect(run.status).toBe(4);
    expect(run.stderr).toMatch(/keyed with another secret/);
  });

  it('refuses a file that is not a privacy-kit store, and creates nothing in it', () => {
    const run = runCli(['incidents', 'list', '--db', join(dir, 'missing.db')], { env: { PRIVACY_KIT_SECRET: secret } });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/no database file/);
  });

  it('names an incident that does not exist (exit 2)', () => {
    const run = cli('show', 'inc-20261205-nothing1');
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/no incident/);
  });
});
