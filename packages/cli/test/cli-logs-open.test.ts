import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deriveKey, sealLogLine } from '@privacy-kit/core';
import { runCli } from './support/run-cli';

// privacy-kit logs open: a log file sealed at rest, read back by someone who holds the secret.

describe('privacy-kit logs open', () => {
  let dir: string;
  const secret = randomBytes(32).toString('base64');
  const key = deriveKey(secret, 'log-encryption');
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'pk-logs-open-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('prints every sealed line in the clear and exits 0', () => {
    const file = join(dir, 'app.log');
    writeFileSync(file, `${sealLogLine(key, '{"level":"info","message":"one"}')}\n${sealLogLine(key, '{"level":"warn","message":"two"}')}\n`);
    const run = runCli(['logs', 'open', file], { env: { PRIVACY_KIT_SECRET: secret } });
    expect(run).toMatchObject({ status: 0, stdout: '{"level":"info","message":"one"}\n{"level":"warn","message":"two"}\n', stderr: '' });
  });

  it('reports a line under another key or a changed line by its number, never prints it, and exits 1', () => {
    const file = join(dir, 'app.log');
    const other = sealLogLine(randomBytes(32), '{"message":"not yours"}');
    writeFileSync(file, `${sealLogLine(key, '{"message":"ok"}')}\n${other}\n{"message":"clear"}\n`);
    const run = runCli(['logs', 'open', file], { env: { PRIVACY_KIT_SECRET: secret } });
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('{"message":"ok"}\n');
    expect(run.stderr).toMatch(/line 2: sealed under another log key[\s\S]*line 3: not a sealed log line[\s\S]*2 of 3 line\(s\) could not be opened/);
    expect(run.stderr).not.toContain('not yours');
  });

  it('refuses a missing file or a missing secret with a usage error (exit 2)', () => {
    expect(runCli(['logs', 'open', join(dir, 'none.log')], { env: { PRIVACY_KIT_SECRET: secret } })).toMatchObject({ status: 2, stderr: expect.stringContaining('no such file') });
    writeFileSync(join(dir, 'a.log'), '');
    expect(runCli(['logs', 'open', join(dir, 'a.log')], { env: { PRIVACY_KIT_SECRET: undefined } }).status).toBe(2);
  });
});
