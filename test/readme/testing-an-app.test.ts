import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Express } from 'express';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import type { PrivacyKit } from '@privacy-kit/express';
import { createSqliteStore, type SqliteStore } from '@privacy-kit/sqlite';
import { run } from '@privacy-kit/cli';
import { AUDIENCE, ISSUER, createApp } from './fixtures/my-api';

/**
 * The README's "Testing an app that uses privacy-kit", as a test: an app built by a factory that takes its store and
 * keys, an in-memory store, minted tokens, consent through the consent API, the audit rows, and
 * `privacy-kit coverage` over a test run that wrote to a file.
 */
describe('README: testing an app that uses privacy-kit', () => {
  const JWT_SECRET = randomBytes(32).toString('base64');
  const token = (sub: string, roles: string[] = []): string =>
    `Bearer ${jwt.sign({ sub, roles }, JWT_SECRET, { algorithm: 'HS256', issuer: ISSUER, audience: AUDIENCE, expiresIn: '5m' })}`;
  let store: SqliteStore;
  let app: Express;
  let kit: PrivacyKit;

  beforeEach(() => {
    store = createSqliteStore({ filename: ':memory:', auditKey: randomBytes(32) });
    ({ app, kit } = createApp({ store, pseudonymKey: randomBytes(32), jwtSecret: JWT_SECRET }));
  });
  afterEach(async () => {
    kit.dispose();
    await store.close();
  });

  it('refuses a caller without a token, serves one with a minted token, and audits both', async () => {
    await request(app).get('/me/profile').expect(401);
    await request(app).get('/me/profile').set('Authorization', token('user-1')).expect(200);
    const records = [...(await store.readAudit({ event: 'denied' })), ...(await store.readAudit({ event: 'access' }))];
    expect(records.map((r) => [r.event, r.reason, r.subject])).toEqual([['denied', 'unauthenticated:token_missing', null], ['access', null, kit.pseudonym('user-1')]]);
  });

  it('grants consent through the consent API, as the person would', async () => {
    await request(app).get('/me/recommendations').set('Authorization', token('user-1')).expect(403);
    await request(app).put('/privacy/me/consents/personalize.content').set('Authorization', token('user-1')).send({ granted: true, policyVersion: 'test' }).expect(200);
    await request(app).get('/me/recommendations').set('Authorization', token('user-1')).expect(200);
  });

  it('measures with privacy-kit coverage which annotated routes a test run exercised, from a store file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pk-readme-coverage-'));
    try {
      const file = join(dir, 'audit.db');
      const onFile = createSqliteStore({ filename: file, auditKey: randomBytes(32) });
      const tested = createApp({ store: onFile, pseudonymKey: randomBytes(32), jwtSecret: JWT_SECRET });
      await request(tested.app).get('/me/profile').set('Authorization', token('user-1')).expect(200);
      tested.kit.dispose();
      await onFile.close();
      let out = '';
      let err = '';
      const code = await run(['coverage', join(__dirname, 'fixtures', 'my-api.ts'), '--export', 'createAppForTools', '--db', file, '--json'], {
        stdout: (s) => { out += s; },
        stderr: (s) => { err += s; },
        isTTY: false,
        env: {},
        cwd: dir,
      });
      expect([code, err]).toEqual([0, '']);
      const report = JSON.parse(out) as { exercised: { id: string }[]; missed: string[] };
      expect([report.exercised.map((e) => e.id), report.missed]).toEqual([['GET /me/profile'], ['GET /me/recommendations']]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
