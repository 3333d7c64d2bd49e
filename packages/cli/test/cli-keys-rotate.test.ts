import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createFieldCipher, definePersonalData, deriveKey, localKeyProvider } from '@privacy-kit/core';
import { createSqliteStore, type SqliteStore } from '@privacy-kit/sqlite';
import { runCli } from './support/run-cli';

class Member {
  email!: string;
}
definePersonalData(Member, 'email', { category: 'user.contact.email', encrypt: true });

const SUBJECTS = 6;
const subjectOf = (n: number): string => `psn_member-${n}`;
const emailOf = (n: number): string => `user-${n}@example.invalid`;

describe('privacy-kit keys rotate', () => {
  let dir: string;
  let db: string;
  let OLD: string;
  let NEW: string;
  /** Each subject's sealed row, as the app stored it under the old secret. */
  let rows: Map<number, Member>;

  const openStore = (secret: string): SqliteStore => createSqliteStore({ filename: db, auditKey: deriveKey(secret, 'audit') });
  const env = (): NodeJS.ProcessEnv => ({ OLD_SECRET: OLD, PRIVACY_KIT_SECRET: NEW });
  const rotate = (...extra: string[]) => runCli(['keys', 'rotate', '--db', db, '--previous-key-env', 'OLD_SECRET', ...extra], { env: env() });

  function kekIdsOnDisk(): string[] {
    const raw = new Database(db, { readonly: true });
    try {
      return (raw.prepare('SELECT kek_id FROM data_keys ORDER BY subject, key_id').all() as { kek_id: string }[]).map((r) => r.kek_id);
    } finally {
      raw.close();
    }
  }

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pk-cli-keys-'));
    db = join(dir, 'privacy.db');
    OLD = randomBytes(32).toString('base64url');
    NEW = randomBytes(32).toString('base64url');
    const store = openStore(OLD);
    const cipher = createFieldCipher({ keys: store, keyProvider: localKeyProvider({ secret: OLD }) });
    rows = new Map();
    for (let n = 0; n < SUBJECTS; n++) rows.set(n, await cipher.seal(Member, subjectOf(n), { email: emailOf(n) }));
    await store.close();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function openAllWithNewSecretOnly(): Promise<string[]> {
    const store = openStore(OLD);
    try {
      const cipher = createFieldCipher({ keys: store, keyProvider: localKeyProvider({ secret: NEW }) });
      const opened: string[] = [];
      for (const [n, row] of rows) opened.push((await cipher.open(Member, subjectOf(n), row)).email);
      return opened;
    } finally {
      await store.close();
    }
  }

  it('re-wraps every data key under the new secret: sealed values then open with a cipher that holds only the new secret', async () => {
    const run = rotate();
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^✔ re-wrapped 6 data key\(s\) under key-encryption key local-\S+ in \d+\.\d s\./);
    expect(new Set(kekIdsOnDisk())).toEqual(new Set([localKeyProvider({ secret: NEW }).kekId]));
    await expect(openAllWithNewSecretOnly()).resolves.toEqual([...rows.keys()].map(emailOf));
  });

  it('prints only the final report as JSON with --json, and nothing on standard error', () => {
    const run = rotate('--json');
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({
      ok: true, operation: 'rotate-kek', kekId: localKeyProvider({ secret: NEW }).kekId, keys: 6, rewrapped: 6, skipped: 0, durationMs: expect.any(Number),
    });
  });

  it('prints a plain progress line per page on standard error when it is not a terminal', () => {
    const run = rotate('--page-size', '2');
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('re-wrapping data keys: 2/6\nre-wrapping data keys: 4/6\nre-wrapping data keys: 6/6\n');
  });

  it('resumes after a run that stopped part-way: the second run re-wraps only what is left and every key ends under the new KEK', async () => {
    // A wrapped key that does not open stops the first run after the keys before it (in subject order) were re-wrapped.
    const raw = new Database(db);
    const stuck = raw.prepare('SELECT wrapped FROM data_keys WHERE subject = ?').get(subjectOf(3)) as { wrapped: string };
    raw.prepare('UPDATE data_keys SET wrapped = ? WHERE subject = ?').run(`${stuck.wrapped.slice(0, -4)}AAAA`, subjectOf(3));
    raw.close();

    const first = rotate('--page-size', '2');
    expect(first.status).toBe(1);
    expect(first.stderr).toMatch(/error: privacy-kit: the rotation stopped after re-wrapping 3 of 6 data key\(s\): .*does not authenticate.* run the same command again/);
    const newKek = localKeyProvider({ secret: NEW }).kekId;
    expect(kekIdsOnDisk().filter((k) => k === newKek)).toHaveLength(3);

    const repair = new Database(db);
    repair.prepare('UPDATE data_keys SET wrapped = ? WHERE subject = ?').run(stuck.wrapped, subjectOf(3));
    repair.close();
    const second = rotate('--json');
    expect(second.status).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ rewrapped: 3, skipped: 3, keys: 6 });
    expect(new Set(kekIdsOnDisk())).toEqual(new Set([newKek]));
    await expect(openAllWithNewSecretOnly()).resolves.toEqual([...rows.keys()].map(emailOf));
  });

  it("appends one audit record (event 'keys') with what it did, and the app's audit chain stays intact", async () => {
    expect(rotate().status).toBe(0);
    const store = openStore(OLD);
    try {
      const records = await store.readAudit();
      expect(records.filter((r) => r.event === 'keys')).toEqual([expect.objectContaining({
        event: 'keys', appId: 'privacy-kit-cli', actor: null, subject: null, reason: null,
        details: { operation: 'rotate-kek', rewrapped: 6, skipped: 0, kekId: localKeyProvider({ secret: NEW }).kekId, status: 'done' },
      })]);
      await expect(store.verifyAudit()).resolves.toMatchObject({ ok: true });
    } finally {
      await store.close();
    }
  });

  it('audits a run that stopped part-way too, with what it had re-wrapped', async () => {
    const raw = new Database(db);
    raw.prepare("UPDATE data_keys SET wrapped = 'AAAA.AAAA.AAAA' WHERE subject = ?").run(subjectOf(0));
    raw.close();
    expect(rotate().status).toBe(1);
    const store = openStore(OLD);
    try {
      const [record] = (await store.readAudit()).filter((r) => r.event === 'keys');
      expect(record).toMatchObject({ reason: 'rotation_failed', details: { operation: 'rotate-kek', rewrapped: 0, status: 'failed' } });
    } finally {
      await store.close();
    }
  });

  it('gives one subject a new data key with --subject: new seals use it, earlier values still open, and it is audited', async () => {
    const run = runCli(['keys', 'rotate', '--db', db, '--subject', subjectOf(2), '--key-env', 'OLD_SECRET', '--json'], { env: env() });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout) as { keyId: string; kekId: string };
    expect(report).toMatchObject({ ok: true, operation: 'rotate-subject-key', kekId: localKeyProvider({ secret: OLD }).kekId });
    const store = openStore(OLD);
    try {
      const cipher = createFieldCipher({ keys: store, keyProvider: localKeyProvider({ secret: OLD }) });
      expect((await store.currentDataKey(subjectOf(2)))?.keyId).toBe(report.keyId);
      await expect(cipher.open(Member, subjectOf(2), rows.get(2) as Member)).resolves.toEqual({ email: emailOf(2) });
      const [record] = (await store.readAudit()).filter((r) => r.event === 'keys');
      expect(record).toMatchObject({ subject: subjectOf(2), details: { operation: 'rotate-subject-key', keyId: report.keyId } });
    } finally {
      await store.close();
    }
  });

  it('refuses --subject for a subject the store holds no data key for (exit 2), and writes nothing', () => {
    const run = runCli(['keys', 'rotate', '--db', db, '--subject', 'psn_nobody', '--key-env', 'OLD_SECRET'], { env: env() });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/privacy-kit: the store holds no data key for the given subject/);
    expect(kekIdsOnDisk()).toHaveLength(SUBJECTS);
  });

  describe('bad input', () => {
    it('names the missing new secret (exit 2)', () => {
      const run = runCli(['keys', 'rotate', '--db', db, '--previous-key-env', 'OLD_SECRET'], { env: { OLD_SECRET: OLD, PRIVACY_KIT_SECRET: undefined } });
      expect(run.status).toBe(2);
      expect(run.stderr).toMatch(/privacy-kit: set PRIVACY_KIT_SECRET to the new secret .* or name another variable with --key-env VAR\./);
    });

    it('names the missing previous secret (exit 2)', () => {
      const run = runCli(['keys', 'rotate', '--db', db, '--previous-key-env', 'NOT_SET_ANYWHERE'], { env: env() });
      expect(run.status).toBe(2);
      expect(run.stderr).toMatch(/privacy-kit: set NOT_SET_ANYWHERE to a secret the data keys are wrapped under now/);
    });

    it('asks for --previous-key-env when neither it nor --subject is given (exit 2)', () => {
      const run = runCli(['keys', 'rotate', '--db', db], { env: env() });
      expect(run.status).toBe(2);
      expect(run.stderr).toMatch(/keys rotate needs --previous-key-env VAR/);
    });

    it('refuses the same old and new secret (exit 2)', () => {
      const run = runCli(['keys', 'rotate', '--db', db, '--previous-key-env', 'OLD_SECRET'], { env: { OLD_SECRET: OLD, PRIVACY_KIT_SECRET: OLD } });
      expect(run.status).toBe(2);
      expect(run.stderr).toMatch(/OLD_SECRET and PRIVACY_KIT_SECRET hold the same secret: there is nothing to rotate/);
    });

    it('never creates a database for a file that is not there (exit 2)', () => {
      const missing = join(dir, 'no-such.db');
      const run = runCli(['keys', 'rotate', '--db', missing, '--previous-key-env', 'OLD_SECRET'], { env: env() });
      expect(run.status).toBe(2);
      expect(run.stderr).toMatch(/no database file .*no-such\.db/);
      expect(existsSync(missing)).toBe(false);
    });

    it('asks for exactly one store (exit 2)', () => {
      const run = runCli(['keys', 'rotate', '--previous-key-env', 'OLD_SECRET'], { env: env() });
      expect(run.status).toBe(2);
      expect(run.stderr).toMatch(/needs exactly one store: --db FILE \(SQLite\) or --database-url URL \(PostgreSQL\)/);
    });

    it('refuses keys wrapped under a KEK none of the given secrets derive, before changing anything (exit 2)', () => {
      const run = runCli(['keys', 'rotate', '--db', db, '--previous-key-env', 'OTHER_SECRET', '--audit-key-env', 'OLD_SECRET'], {
        env: { ...env(), OTHER_SECRET: randomBytes(32).toString('base64url') },
      });
      expect(run.status).toBe(2);
      expect(run.stderr).toMatch(/6 data key\(s\) are wrapped under key-encryption key\(s\) local-\S+, which none of the given secrets derive .* Nothing was changed\./);
      expect(new Set(kekIdsOnDisk())).toEqual(new Set([localKeyProvider({ secret: OLD }).kekId]));
    });

    it("refuses to write when the audit log is keyed with another secret (exit 4), so the app's chain is never broken", async () => {
      const seeded = openStore(OLD);
      await seeded.appendAudit({
        event: 'access', time: new Date().toISOString(), requestId: 'r-1', appId: 'test', actor: null, subject: null, method: null, route: null,
        purposes: [], basis: null, categories: [], decision: 'allowed', reason: null, status: null, durationMs: null,
      });
      await seeded.close();
      const run = runCli(['keys', 'rotate', '--db', db, '--previous-key-env', 'OLD_SECRET', '--audit-key-env', 'PRIVACY_KIT_SECRET'], { env: env() });
      expect(run.status).toBe(4);
      expect(run.stderr).toMatch(/audit log is keyed with another secret .*--audit-key-env VAR\. Nothing was changed\./);
      expect(new Set(kekIdsOnDisk())).toEqual(new Set([localKeyProvider({ secret: OLD }).kekId]));
    });
  });
});
