import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { deriveKey, isoTime } from '@privacy-kit/core';
import { createSqliteStore } from '@privacy-kit/sqlite';
import { runCli } from './support/run-cli';

const SECRET = 'test-only-secret-for-the-audit-verify-suite-0001';

describe('privacy-kit audit verify', () => {
  let dir: string;
  let db: string;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pk-cli-audit-'));
    db = join(dir, 'privacy.db');
    // The store is keyed the way the example app keys it: deriveKey(secret, 'audit').
    const store = createSqliteStore({ filename: db, auditKey: deriveKey(SECRET, 'audit') });
    for (let i = 0; i < 3; i++) {
      await store.appendAudit({
        event: 'access', time: isoTime(), requestId: `r-${i}`, appId: 'test', actor: 'psn_a', subject: 'psn_a', method: 'GET', route: '/me',
        purposes: ['essential.service'], basis: 'contract', categories: ['user.name'], decision: 'allowed', reason: null, status: null, durationMs: null,
      });
    }
    await store.close();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('says the chain is intact (exit 0), with the key derived from PRIVACY_KIT_SECRET', () => {
    const run = runCli(['audit', 'verify', '--db', db], { env: { PRIVACY_KIT_SECRET: SECRET } });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^✔ audit chain intact: 3 record\(s\) checked\./);
  });

  it('reads the secret from the variable named by --key-env, and prints JSON with --json', () => {
    const run = runCli(['audit', 'verify', '--db', db, '--key-env', 'SHOP_AUDIT_SECRET', '--json'], { env: { SHOP_AUDIT_SECRET: SECRET, PRIVACY_KIT_SECRET: undefined } });
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: true, checked: 3 });
  });

  it('finds a changed record (exit 1) and names where the chain breaks', () => {
    const raw = new Database(db);
    raw.exec('DROP TRIGGER audit_log_no_update');
    raw.prepare("UPDATE audit_log SET route = '/admin' WHERE seq = 2").run();
    raw.close();
    const run = runCli(['audit', 'verify', '--db', db], { env: { PRIVACY_KIT_SECRET: SECRET } });
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^✖ audit chain broken at record #2 \(changed\): /);
  });

  it('fails with the wrong secret rather than vouch for the chain', () => {
    const run = runCli(['audit', 'verify', '--db', db, '--json'], { env: { PRIVACY_KIT_SECRET: 'another-secret-of-enough-length-000000000000' } });
    expect(run.status).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: false });
  });

  it('says how to give the key when none is set (exit 2)', () => {
    const run = runCli(['audit', 'verify', '--db', db], { env: { PRIVACY_KIT_SECRET: undefined } });
    expect(run.status).toBe(2);
    expect(run.stderr).toBe("error: privacy-kit: set PRIVACY_KIT_SECRET to the secret the app derives its audit key from (deriveKey(secret, 'audit')), or name another variable with --key-env VAR.\n");
  });

  it('needs exactly one store, and does not create a database that is not there (exit 2)', () => {
    expect(runCli(['audit', 'verify'], { env: { PRIVACY_KIT_SECRET: SECRET } })).toMatchObject({ status: 2, stderr: expect.stringContaining('needs exactly one store: --db FILE (SQLite) or --database-url URL (PostgreSQL)') });
    expect(runCli(['audit', 'verify', '--db', join(dir, 'missing.db')], { env: { PRIVACY_KIT_SECRET: SECRET } })).toMatchObject({ status: 2, stderr: expect.stringContaining('no database file') });
  });

  it('reaches PostgreSQL through @privacy-kit/postgres and reports an unreachable server (exit 2)', () => {
    const run = runCli(['audit', 'verify', '--database-url', 'postgres://privacy:kit@127.0.0.1:1/none'], { env: { PRIVACY_KIT_SECRET: SECRET } });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^error: privacy-kit: cannot read the audit log: /);
  });
});
