import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import type { CoverageReport } from '@privacy-kit/core';
import { COVERAGE_AUDIENCE, COVERAGE_ISSUER, createCoverageApp } from './fixtures/coverage-app';
import { FIXTURES, runCli } from './support/run-cli';

describe('privacy-kit coverage', () => {
  let dir: string;
  let db: string;

  beforeAll(async () => {
    // A "test run" of the app: two of its three annotated routes are exercised, one of them refused.
    dir = mkdtempSync(join(tmpdir(), 'pk-cli-coverage-'));
    db = join(dir, 'audit.db');
    const secret = randomBytes(32).toString('base64');
    const { app, kit, store } = createCoverageApp(db, secret);
    const token = jwt.sign({ sub: 'user-1' }, secret, { algorithm: 'HS256', issuer: COVERAGE_ISSUER, audience: COVERAGE_AUDIENCE, expiresIn: '5m' });
    await request(app).get('/me/profile').set('Authorization', `Bearer ${token}`).expect(200);
    await request(app).get('/me/profile').set('Authorization', `Bearer ${token}`).expect(200);
    await request(app).get('/me/recommendations').set('Authorization', `Bearer ${token}`).expect(403);
    await request(app).get('/health').expect(200);
    await new Promise((resolve) => setTimeout(resolve, 50));
    kit.dispose();
    await store.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lists the annotated routes the tests exercised and the ones they did not, with the share', () => {
    const run = runCli(['coverage', `${FIXTURES}/coverage-app.ts`, '--db', db]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^✔ 2 of 3 annotated routes exercised by the tests \(66\.6%\)\.\n/);
    expect(run.stdout).toMatch(/^✔ +GET \/me\/profile +2 +0$/m);
    expect(run.stdout).toMatch(/^✔ +GET \/me\/recommendations +0 +1$/m);
    expect(run.stdout).toMatch(/^✖ +DELETE \/me\/account +0 +0$/m);
    expect(run.stdout).toContain('Not exercised: DELETE /me/account');
  });

  it('fails (exit 1) below --min', () => {
    const run = runCli(['coverage', `${FIXTURES}/coverage-app.ts`, '--db', db, '--min', '80']);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^✖ 2 of 3 annotated routes exercised by the tests \(66\.6%\), below --min 80%\./);
  });

  it('prints JSON with --json', () => {
    const run = runCli(['coverage', `${FIXTURES}/coverage-app.ts`, '--db', db, '--json', '--min', '50']);
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout) as CoverageReport & { min: number };
    expect(report).toMatchObject({ total: 3, percent: 66.6, missed: ['DELETE /me/account'], min: 50 });
    expect(report.exercised).toEqual([{ id: 'GET /me/profile', allowed: 2, denied: 0 }, { id: 'GET /me/recommendations', allowed: 0, denied: 1 }]);
  });

  it('refuses a missing database, a file that is not a store, and a bad --min (exit 2)', () => {
    expect(runCli(['coverage', `${FIXTURES}/coverage-app.ts`, '--db', join(dir, 'none.db')])).toMatchObject({ status: 2, stderr: expect.stringContaining('no database file') });
    const notDb = join(dir, 'text.db');
    writeFileSync(notDb, 'hello');
    expect(runCli(['coverage', `${FIXTURES}/coverage-app.ts`, '--db', notDb])).toMatchObject({ status: 2, stderr: expect.stringContaining('Is it the SQLite file of a privacy-kit store') });
    expect(runCli(['coverage', `${FIXTURES}/coverage-app.ts`, '--db', db, '--min', 'lots'])).toMatchObject({ status: 2, stderr: expect.stringContaining('--min must be a percentage from 0 to 100') });
  });

  it('requires --db', () => {
    const run = runCli(['coverage', `${FIXTURES}/coverage-app.ts`]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("error: required option '--db <file>' not specified");
  });
});
