import { existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import type { CheckReport, Inventory } from '@privacy-kit/core';
import { createDriftApp } from './fixtures/drift-app';
import { FIXTURES, runCli } from './support/run-cli';

describe('drift observations from a test run, read by privacy-kit check and map', () => {
  let dir: string;
  let file: string;

  beforeAll(async () => {
    // The app's tests run with drift detection on; it writes what responses contained to the file.
    dir = mkdtempSync(join(tmpdir(), 'pk-cli-drift-'));
    file = join(dir, 'observed.json');
    const { app, kit } = createDriftApp(file);
    await request(app).get('/debug/users').expect(200);
    await request(app).get('/catalogue').expect(401);
    kit.dispose();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the observations file while the app serves', () => {
    expect(existsSync(file)).toBe(true);
  });

  it("finds them through the kit's own drift file when it loads the module", () => {
    const run = runCli(['check', `${FIXTURES}/drift-app.ts`, '--json'], { env: { PRIVACY_KIT_FIXTURE_DRIFT_FILE: file } });
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout) as CheckReport;
    expect(report.errors.map((e) => [e.rule, e.route])).toEqual([['undeclared-personal-data', 'GET /debug/users']]);
    expect(report.errors[0]?.message).toContain('user.contact.email');
  });

  it('reads them with --observed, and shows declared beside observed in the map', () => {
    const run = runCli(['map', `${FIXTURES}/drift-app.ts`, '--format', 'json', '--observed', file]);
    expect(run.status).toBe(0);
    const debug = (JSON.parse(run.stdout) as Inventory).routes.find((r) => r.id === 'GET /debug/users');
    expect(debug).toMatchObject({ annotated: false, observed: { samples: 1 }, undeclared: expect.arrayContaining(['user.contact.email', 'user.contact.phone_number']) });
  });

  it("counts each sample once when --observed names the kit's own drift file", () => {
    const run = runCli(['map', `${FIXTURES}/drift-app.ts`, '--format', 'json', '--observed', file], { env: { PRIVACY_KIT_FIXTURE_DRIFT_FILE: file } });
    expect(run.status).toBe(0);
    expect((JSON.parse(run.stdout) as Inventory).routes.find((r) => r.id === 'GET /debug/users')?.observed?.samples).toBe(1);
  });

  it("counts each sample once when the config's 'observed' and --observed (through a symlink) name the kit's file", () => {
    const config = join(dir, 'same-file.config.json');
    writeFileSync(config, JSON.stringify({ observed: './observed.json' }));
    const link = join(dir, 'observed-link.json');
    symlinkSync(file, link);
    const run = runCli(['map', `${FIXTURES}/drift-app.ts`, '--format', 'json', '--config', config, '--observed', link], { env: { PRIVACY_KIT_FIXTURE_DRIFT_FILE: file } });
    expect(run.status).toBe(0);
    expect((JSON.parse(run.stdout) as Inventory).routes.find((r) => r.id === 'GET /debug/users')?.observed?.samples).toBe(1);
  });

  it("reads the files named by the config's 'observed', relative to the config", () => {
    const config = join(dir, 'privacy-kit.config.json');
    writeFileSync(config, JSON.stringify({ observed: 'observed.json' }));
    const run = runCli(['check', `${FIXTURES}/drift-app.ts`, '--config', config]);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('✖ undeclared-personal-data   GET /debug/users');
  });

  it('warns when the file the config names has not been written yet', () => {
    const config = join(dir, 'later.config.json');
    writeFileSync(config, JSON.stringify({ observed: 'not-yet.json' }));
    const run = runCli(['map', `${FIXTURES}/drift-app.ts`, '--format', 'json', '--config', config]);
    expect(run.status).toBe(0);
    expect((JSON.parse(run.stdout) as Inventory).warnings).toEqual([expect.stringContaining('No observations in')]);
  });
});
