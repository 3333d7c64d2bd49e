import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import { createSqliteStore } from '@privacy-kit/sqlite';
import { run } from '@privacy-kit/cli';
import { createProgressBar } from '../src/commands/sweep.command';

const FIXTURE = join(__dirname, 'fixtures', 'sweep-app.ts');

describe('privacy-kit sweep <module>', () => {
  let dir: string;
  let key: Buffer;
  let out: string;
  let err: string;

  beforeEach(() => {
    jest.resetModules();
    dir = mkdtempSync(join(tmpdir(), 'pk-sweep-'));
    key = randomBytes(32);
    process.env.SWEEP_FIXTURE_DB = join(dir, 'privacy.db');
    process.env.SWEEP_FIXTURE_KEY = key.toString('hex');
    delete process.env.SWEEP_FIXTURE_FAIL;
    out = '';
    err = '';
  });
  afterEach(() => {
    delete process.env.SWEEP_FIXTURE_DB;
    delete process.env.SWEEP_FIXTURE_KEY;
    delete process.env.SWEEP_FIXTURE_FAIL;
    rmSync(dir, { recursive: true, force: true });
  });

  const sweep = (...args: string[]) => run(['sweep', ...args], { stdout: (s) => { out += s; }, stderr: (s) => { err += s; }, isTTY: false, env: {}, cwd: dir });

  it('purges what is past its period, prints the report as JSON and records it in the audit', async () => {
    const code = await sweep(FIXTURE, '--json');
    expect(err).toBe('');
    expect(code).toBe(0);
    const report = JSON.parse(out);
    expect(report).toEqual(expect.objectContaining({ ok: true, skipped: [] }));
    expect(report.results).toEqual([expect.objectContaining({ source: 'visits', retention: '30d', fields: ['ip'], status: 'done', removed: 2 })]);
    const store = createSqliteStore({ filename: process.env.SWEEP_FIXTURE_DB, auditKey: key });
    const records = await store.readAudit({ event: 'retention' });
    expect(records.map((r) => [r.requestId, r.details?.source, r.details?.removed])).toEqual([[report.sweepId, 'visits', 2]]);
    expect((await store.verifyAudit()).ok).toBe(true);
    await store.close();
  });

  it('prints a table for people and draws no progress bar when standard error is not a terminal', async () => {
    const code = await sweep(FIXTURE);
    expect(code).toBe(0);
    expect(out).toMatch(/SOURCE\s+KEPT\s+PURGED BEFORE\s+FIELDS\s+REMOVED/);
    expect(out).toMatch(/✔\s+visits\s+30d\s+\S+\s+ip\s+2/);
    expect(out).toMatch(/1 purge\(s\) done, recorded in the audit/);
    expect(err).toBe('');
  });

  it('exits 1 when a purge fails, naming the source but not the error text', async () => {
    process.env.SWEEP_FIXTURE_FAIL = '1';
    const code = await sweep(FIXTURE);
    expect(code).toBe(1);
    expect(out).toMatch(/✖\s+visits/);
    expect(out).toMatch(/purge\(\) of source 'visits' failed \(Error\)/);
    expect(out).not.toContain('visit store offline');
  });

  it("refuses an app whose store is in memory, purging nothing, and says how to point it at the app's store (exit 2)", async () => {
    process.env.SWEEP_FIXTURE_DB = ':memory:';
    const code = await sweep(FIXTURE);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toBe(
      `error: privacy-kit: ${FIXTURE}: the app's privacy() store is in memory, so the sweep's audit records would vanish when this command ends, and nothing was purged. ` +
        "Build the app with the store it runs with: e.g. createSqliteStore({ filename: process.env.PRIVACY_KIT_DB ?? 'privacy-kit.db', auditKey }) with the app's secret, " +
        'or export a factory and pass the real database with --export createApp --app-config FILE.\n',
    );
    const { remainingVisits } = (await import(FIXTURE)) as { remainingVisits: number[][] };
    expect(remainingVisits.map((visits) => visits.length)).toEqual([3]);
  });

  it("sweeps the app a factory builds from --app-config, recording the purge in that app's store", async () => {
    const db = join(dir, 'factory.db');
    writeFileSync(join(dir, 'sweep.config.json'), JSON.stringify({ db, auditKeyHex: key.toString('hex') }));
    const code = await sweep(FIXTURE, '--export', 'createSweepApp', '--app-config', 'sweep.config.json', '--json');
    expect(err).toBe('');
    expect(code).toBe(0);
    const report = JSON.parse(out);
    const store = createSqliteStore({ filename: db, auditKey: key });
    const records = await store.readAudit({ event: 'retention' });
    expect(records.map((r) => [r.requestId, r.details?.source, r.details?.removed])).toEqual([[report.sweepId, 'visits', 2]]);
    await store.close();
  });

  it('exits 3 when the app has no privacy() mounted', async () => {
    const code = await sweep(join(__dirname, 'fixtures', 'no-kit-app.ts'));
    expect(code).toBe(3);
    expect(err).toMatch(/has no privacy\(\) mounted/);
  });
});

describe('the sweep progress bar', () => {
  it('redraws one line in place and clears it when done', () => {
    const written: string[] = [];
    const bar = createProgressBar({ write: (s: string) => written.push(s), columns: 60 });
    bar.update({ done: 0, total: 2 });
    bar.update({ done: 1, total: 2, source: 'orders', retention: '10y' });
    bar.done();
    expect(written[0]).toMatch(/^\r\u001b\[Ksweeping \[-+\] 0\/2 starting$/);
    expect(written[1]).toMatch(/^\r\u001b\[Ksweeping \[#+-+\] 1\/2 orders \(10y\)$/);
    expect(written[2]).toBe('\r\u001b[K');
    expect(written.every((line) => line.length <= 60 + 4)).toBe(true);
  });
});
