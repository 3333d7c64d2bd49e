import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import winston from 'winston';
import { INVENTORY_SCHEMA, type Inventory } from '@privacy-kit/core';
import { readSqliteAudit } from '@privacy-kit/sqlite';
import { createShopApp } from '../../../examples/shop/src/app';
import { JWT_AUDIENCE, JWT_ISSUER, loadConfig } from '../../../examples/shop/src/config';
import { runCli } from './support/run-cli';

const MODULE = 'examples/shop/src/privacy-map.ts';

describe('privacy-kit on the example shop', () => {
  it('maps it: every route, valid against the schema, the controller route among them', () => {
    const run = runCli(['map', MODULE, '--format', 'json']);
    expect(run.status).toBe(0);
    const inventory = JSON.parse(run.stdout) as Inventory;
    expect(new Ajv({ allowUnionTypes: true }).validate(INVENTORY_SCHEMA, inventory)).toBe(true);
    expect(inventory.app.name).toBe('shop');
    expect(inventory.routes.filter((r) => r.annotated).map((r) => r.id)).toEqual(expect.arrayContaining(['GET /me/profile', 'GET /users/:id', 'GET /me/recommendations']));
    expect(inventory.routes.find((r) => r.id === 'GET /users/:id')?.processing).toMatchObject({ roles: ['support'], basis: 'legitimate_interests', subject: { resolution: 'resolver' } });
    expect(inventory.models.length).toBeGreaterThan(0);
  });

  it("records each category's time limit for erasure in the Art. 30 record: the birth date 2 years, the order data 10", () => {
    const run = runCli(['map', MODULE, '--format', 'md']);
    expect(run.status).toBe(0);
    const section = run.stdout.slice(run.stdout.indexOf('## 6. Time limits for erasure (Art. 30(1)(f))'), run.stdout.indexOf('## 7. '));
    const rows = section.split('\n').filter((l) => l.startsWith('| `'));
    expect(rows).toEqual(expect.arrayContaining([
      '| `user.demographic.date_of_birth` | `2y` | field UserProfile.dateOfBirth |',
      '| `user.behavior.purchase_history` | `10y` | route GET /me/orders, field Order.lines |',
      '| `user.contact.address.street` | `10y` | route GET /me/orders, field Order.shipTo |',
      '| `user.unique_id` | `10y` | route GET /me/orders |',
      '| `user.name` | none declared: kept until erased | – |',
    ]));
    expect(rows).toHaveLength(8);
  });

  it('checks it: complete declarations pass', () => {
    const run = runCli(['check', MODULE]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^✔ privacy-kit check passed: \d+ routes, no problems/);
  });

  it('sweeps the store the server uses through the createShopApp factory, recording each purge in it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pk-shop-sweep-'));
    try {
      const db = join(dir, 'shop.db');
      const run = runCli(['sweep', 'examples/shop/src/app.ts', '--export', 'createShopApp', '--json'], { env: { PRIVACY_KIT_DB: db, PRIVACY_KIT_SECRET: randomBytes(32).toString('base64') } });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      const report = JSON.parse(run.stdout) as { sweepId: string; results: { source: string }[] };
      expect(report.results.map((r) => r.source)).toEqual(['orders']);
      const records = await readSqliteAudit({ filename: db, query: { event: 'retention' } });
      expect(records.map((r) => [r.requestId, r.details?.source])).toEqual([[report.sweepId, 'orders']]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses to sweep through the map module, whose store is in memory (exit 2)', () => {
    const run = runCli(['sweep', MODULE]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("the app's privacy() store is in memory");
  });

  it('measures which annotated routes a test run exercised', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pk-shop-coverage-'));
    try {
      const config = { ...loadConfig({}), jwtSecret: 'test-only-jwt-secret-0123456789abcdefghij', dbFile: join(dir, 'shop.db') };
      const logger = winston.createLogger({ silent: true, transports: [new winston.transports.Console()] });
      const shop = createShopApp(config, logger);
      const token = (sub: string, roles: string[] = []) => `Bearer ${jwt.sign({ sub, roles }, config.jwtSecret, { algorithm: 'HS256', issuer: JWT_ISSUER, audience: JWT_AUDIENCE, expiresIn: '5m' })}`;
      await request(shop.app).get('/me/profile').set('Authorization', token('user-1')).expect(200);
      await request(shop.app).get('/users/user-2').set('Authorization', token('staff-1', ['support'])).expect(200);
      await new Promise((resolve) => setTimeout(resolve, 50));
      await shop.close();
      const run = runCli(['coverage', MODULE, '--db', config.dbFile, '--json']);
      expect(run.status).toBe(0);
      const report = JSON.parse(run.stdout) as { exercised: { id: string }[]; missed: string[]; total: number };
      expect(report.exercised.map((e) => e.id)).toEqual(['GET /me/profile', 'GET /users/:id']);
      expect(report.missed).toEqual(expect.arrayContaining(['GET /me/recommendations']));
      expect(report.total).toBe(report.exercised.length + report.missed.length);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
