import { createHash } from 'node:crypto';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

  function sha256(file: string): string {
    return createHash('sha256').update(readFileSync(file)).digest('hex');
  }

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

  it('fails with the wrong secret rather than vouch for the chain, and says it is the key (exit 4), not tampering', () => {
    const run = runCli(['audit', 'verify', '--db', db, '--json'], { env: { PRIVACY_KIT_SECRET: 'another-secret-of-enough-length-000000000000' } });
    expect(run.status).toBe(4);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: false, problem: 'key' });
  });

  it('names a wrong key as a wrong key in its text output (exit 4)', () => {
    const run = runCli(['audit', 'verify', '--db', db], { env: { PRIVACY_KIT_SECRET: 'another-secret-of-enough-length-000000000000' } });
    expect(run.status).toBe(4);
    expect(run.stdout).toMatch(/^✖ wrong audit key: the log was written under key id \S+, the given key has key id \S+\./);
    expect(run.stdout).not.toMatch(/changed/);
  });

  it('reports a record whose details are not JSON as tampering (exit 1), naming the record', () => {
    const raw = new Database(db);
    raw.exec('DROP TRIGGER audit_log_no_update');
    raw.prepare("UPDATE audit_log SET details = '{not json' WHERE seq = 2").run();
    raw.close();
    const run = runCli(['audit', 'verify', '--db', db], { env: { PRIVACY_KIT_SECRET: SECRET } });
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^✖ audit chain broken at record #2 \(unparsable\): .*record 2 cannot be read: its details column is not JSON/);
  });

  it('leaves the database file byte for byte as it was', () => {
    const before = sha256(db);
    expect(runCli(['audit', 'verify', '--db', db], { env: { PRIVACY_KIT_SECRET: SECRET } }).status).toBe(0);
    expect(sha256(db)).toBe(before);
  });

  it('documents its exit codes, the wrong-key code 4 among them, in --help', () => {
    const run = runCli(['audit', 'verify', '--help']);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/Exit codes:\n  0  .*\n  1  tampering/);
    expect(run.stdout).toMatch(/\n  4  wrong key: the log was written under another audit key/);
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

  it('fails on a log emptied of its records and head (exit 1) unless told the log is new', () => {
    const raw = new Database(db);
    raw.exec('DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log; DELETE FROM audit_head;');
    raw.close();
    const run = runCli(['audit', 'verify', '--db', db], { env: { PRIVACY_KIT_SECRET: SECRET } });
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^✖ the audit log is empty: /);
    expect(run.stdout).toContain('--allow-empty');
  });

  it('accepts an empty, well-formed log with --allow-empty (exit 0)', async () => {
    const fresh = join(dir, 'fresh.db');
    await createSqliteStore({ filename: fresh, auditKey: deriveKey(SECRET, 'audit') }).close();
    const run = runCli(['audit', 'verify', '--db', fresh, '--allow-empty'], { env: { PRIVACY_KIT_SECRET: SECRET } });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^✔ audit chain intact: 0 record\(s\) checked\. The audit log is empty\./);
  });

  it('fails on a store whose audit tables were dropped (exit 1): not a privacy-kit audit log', () => {
    const raw = new Database(db);
    raw.exec('DROP TABLE audit_log; DROP TABLE audit_head;');
    raw.close();
    const run = runCli(['audit', 'verify', '--db', db, '--allow-empty'], { env: { PRIVACY_KIT_SECRET: SECRET } });
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^✖ not a privacy-kit audit log: /);
  });

  it('fails on a 0-byte file (exit 1) and leaves it empty', () => {
    const empty = join(dir, 'zero.db');
    writeFileSync(empty, '');
    const run = runCli(['audit', 'verify', '--db', empty, '--allow-empty'], { env: { PRIVACY_KIT_SECRET: SECRET } });
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^✖ not a privacy-kit audit log: /);
    expect(readFileSync(empty)).toHaveLength(0);
  });

  it('fails on an unrelated SQLite file (exit 1) and creates no table in it', () => {
    const other = join(dir, 'other.db');
    const raw = new Database(other);
    raw.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES (\'n-1\');');
    raw.close();
    const before = sha256(other);
    const run = runCli(['audit', 'verify', '--db', other], { env: { PRIVACY_KIT_SECRET: SECRET } });
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^✖ not a privacy-kit audit log: /);
    expect(sha256(other)).toBe(before);
  });

  it('reaches PostgreSQL through @privacy-kit/postgres and reports an unreachable server (exit 2)', () => {
    const run = runCli(['audit', 'verify', '--database-url', 'postgres://privacy:kit@127.0.0.1:1/none'], { env: { PRIVACY_KIT_SECRET: SECRET } });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^error: privacy-kit: cannot read the audit log: /);
  });
});

describe('privacy-kit audit verify --checkpoint', () => {
  let dir: string;
  let db: string;
  let checkpoints: string;
  const entry = (i: number) => ({
    event: 'access' as const, time: isoTime(), requestId: `r-${i}`, appId: 'test', actor: 'psn_a', subject: 'psn_a', method: 'GET', route: '/me',
    purposes: ['essential.service'], basis: 'contract' as const, categories: ['user.name'], decision: 'allowed' as const, reason: null, status: null, durationMs: null,
  });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pk-cli-anchor-'));
    db = join(dir, 'privacy.db');
    checkpoints = join(dir, 'anchor', 'checkpoints.jsonl');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** A store that checkpoints every 10 records into the anchor file; returns the head row after `keepUpTo` records. */
  async function writeLog(records: number, keepUpTo: number): Promise<Record<string, unknown>> {
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(dir, 'anchor'));
    const store = createSqliteStore({ filename: db, auditKey: deriveKey(SECRET, 'audit'), checkpoints: { file: checkpoints, every: 10 } });
    let oldHead: Record<string, unknown> = {};
    for (let i = 1; i <= records; i++) {
      await store.appendAudit(entry(i));
      if (i === keepUpTo) oldHead = store.db.prepare('SELECT * FROM audit_head WHERE id = 1').get() as Record<string, unknown>;
    }
    await store.close();
    return oldHead;
  }

  it('catches truncation with an older, once-valid head put back (exit 1), naming the truncation', async () => {
    const oldHead = await writeLog(30, 16);
    const raw = new Database(db);
    raw.exec('DROP TRIGGER audit_log_no_delete');
    raw.prepare('DELETE FROM audit_log WHERE seq > 16').run();
    const columns = Object.keys(oldHead);
    raw.prepare(`UPDATE audit_head SET ${columns.map((c) => `${c} = @${c}`).join(', ')} WHERE id = 1`).run(oldHead);
    raw.close();
    const run = runCli(['audit', 'verify', '--db', db, '--checkpoint', checkpoints], { env: { PRIVACY_KIT_SECRET: SECRET } });
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^✖ audit chain broken at record #17 \(truncated\): .*it ends at position 16, but a checkpoint signed at .* shows it reached position 30 \(an older head was put back\)/);
  });

  it('verifies an intact log against its newest checkpoint (exit 0)', async () => {
    await writeLog(25, 0);
    const run = runCli(['audit', 'verify', '--db', db, '--checkpoint', checkpoints], { env: { PRIVACY_KIT_SECRET: SECRET } });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/agrees with the checkpoint of .* \(position 25\)/);
  });

  it('reports a changed checkpoint line (exit 1), naming the line', async () => {
    await writeLog(25, 0);
    const lines = readFileSync(checkpoints, 'utf8').split('\n');
    lines[1] = (lines[1] as string).replace(/"seq":20/, '"seq":21');
    writeFileSync(checkpoints, lines.join('\n'));
    const run = runCli(['audit', 'verify', '--db', db, '--checkpoint', checkpoints], { env: { PRIVACY_KIT_SECRET: SECRET } });
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^✖ checkpoint file broken at line 2: its signature does not match: it was forged or changed/m);
  });

  it('reports a forged checkpoint line appended by someone without the key (exit 1)', async () => {
    await writeLog(12, 0);
    appendFileSync(checkpoints, '{"version":1,"seq":5000,"mac":"x","count":5000,"time":"2026-01-01T00:00:00.000+00:00","keyId":"x","sig":"x"}\n');
    const run = runCli(['audit', 'verify', '--db', db, '--checkpoint', checkpoints], { env: { PRIVACY_KIT_SECRET: SECRET } });
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/checkpoint file broken at line 3: /);
  });

  it('fails when the checkpoint file holds no checkpoint (exit 1): an anchor that was emptied proves nothing', async () => {
    await writeLog(3, 0);
    writeFileSync(checkpoints, '');
    const run = runCli(['audit', 'verify', '--db', db, '--checkpoint', checkpoints], { env: { PRIVACY_KIT_SECRET: SECRET } });
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^✖ no checkpoint: The checkpoint file .* holds no checkpoint/m);
  });

  it('says when the checkpoint file is missing (exit 2)', async () => {
    await writeLog(3, 0);
    const run = runCli(['audit', 'verify', '--db', db, '--checkpoint', join(dir, 'nope.jsonl')], { env: { PRIVACY_KIT_SECRET: SECRET } });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('no checkpoint file');
  });
});
