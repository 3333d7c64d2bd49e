import { existsSync, mkdtempSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import express from 'express';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import type { PrivacyKitError } from '@privacy-kit/core';
import { personalData, privacy } from '@privacy-kit/express';
import { createSqliteStore, type SqliteStore } from '@privacy-kit/sqlite';

// Attack 4 of issue 11: the database files are deleted while the app runs. Before, requests kept getting 200 and
// their audit records went into the unlinked file; the store must notice and fail closed.

const JWT = { secret: randomBytes(32).toString('base64'), algorithms: ['HS256'] as const, issuer: 'https://auth.test.invalid', audience: 'privacy-kit-tests' };
const bearer = (sub: string): string =>
  `Bearer ${jwt.sign({ sub }, JWT.secret, { algorithm: 'HS256', issuer: JWT.issuer, audience: JWT.audience, expiresIn: '5m' })}`;

describe('an app whose SQLite store file is deleted while it runs', () => {
  let dir: string;
  let file: string;
  let store: SqliteStore;
  let errors: PrivacyKitError[];
  let handled: number;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pk-deleted-'));
    file = join(dir, 'privacy-kit.db');
    store = createSqliteStore({ filename: file, auditKey: randomBytes(32) });
    errors = [];
    handled = 0;
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function app(): express.Express {
    const a = express();
    a.use(privacy({ store, pseudonymKey: randomBytes(32), jwt: JWT, appId: 'deleted-file-test', onError: (e) => errors.push(e) }));
    a.get('/me/profile', personalData({ categories: ['user.name'], purpose: 'essential.service', basis: 'contract' }), (_req, res) => {
      handled++;
      res.json({ ok: true });
    });
    return a;
  }

  it('answers 503 to the next annotated request, without running the handler, and tells onError why', async () => {
    const served = app();
    expect((await request(served).get('/me/profile').set('Authorization', bearer('user-1'))).status).toBe(200);
    for (const suffix of ['', '-wal', '-shm']) if (existsSync(file + suffix)) unlinkSync(file + suffix);
    const res = await request(served).get('/me/profile').set('Authorization', bearer('user-1'));
    expect(res.status).toBe(503);
    expect(handled).toBe(1);
    expect(errors).toContainEqual(expect.objectContaining({ code: 'PK_STORE_UNAVAILABLE', message: expect.stringContaining('was deleted or replaced while the store had it open') }));
  });
});
