import { randomBytes } from 'node:crypto';
import express from 'express';
import request from 'supertest';
import jwt from 'jsonwebtoken';
import winston from 'winston';
import { createSqliteStore } from '@privacy-kit/sqlite';
import { inventoryOf, personalData, privacy, type PrivacyKit } from '@privacy-kit/express';
import { redactPii } from '@privacy-kit/winston';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The security measures of the record come from what the app configured: an app whose logger uses redactPii() gets
 * "Personal data redacted from application logs" in the live record and in what the CLI maps (inventoryOf).
 */
describe('the record states log redaction when the app logs through redactPii()', () => {
  const secret = randomBytes(32).toString('base64');
  const jwtOptions = { secret, algorithms: ['HS256' as const], issuer: 'https://auth.test.invalid', audience: 'measures-test' };
  const admin = jwt.sign({ sub: 'admin-1', roles: ['privacy-admin'] }, secret, { algorithm: 'HS256', issuer: jwtOptions.issuer, audience: jwtOptions.audience, expiresIn: '5m' });
  const statement = "Personal data redacted from application logs (privacy-kit's redactPii() winston format).";
  let dir: string;
  let kits: PrivacyKit[];

  function appWith(measures?: { logRedaction: boolean | string }): express.Express {
    const app = express();
    const store = createSqliteStore({ filename: join(dir, `${kits.length}.db`), auditKey: randomBytes(32) });
    const kit = privacy({ store, pseudonymKey: randomBytes(32), jwt: jwtOptions, onError: () => undefined, ...(measures === undefined ? {} : { measures }) });
    kits.push(kit);
    app.use(kit);
    app.get('/me', personalData({ categories: ['user.name'], purpose: 'essential.service', basis: 'contract' }), (_req, res) => { res.json({}); });
    return app;
  }

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'pk-measures-'));
    kits = [];
    // The app's logger, made the way the README shows.
    winston.createLogger({ format: winston.format.combine(redactPii(), winston.format.json()), transports: [new winston.transports.Console({ silent: true })] });
  });
  afterAll(async () => {
    for (const kit of kits) {
      kit.dispose();
      await kit.store.close();
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('in the live /privacy/admin/inventory.md', async () => {
    const res = await request(appWith()).get('/privacy/admin/inventory.md').set('Authorization', `Bearer ${admin}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain(`- ${statement}`);
  });

  it('in the inventory the CLI maps', () => {
    expect(inventoryOf(appWith()).app.securityMeasures).toContain(statement);
  });

  it('not when the app says its logs are not redacted (privacy({ measures: { logRedaction: false } }))', () => {
    expect(inventoryOf(appWith({ logRedaction: false })).app.securityMeasures.join('\n')).not.toMatch(/logs/);
  });
});
