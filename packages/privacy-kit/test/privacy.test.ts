import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import request from 'supertest';
import { createPseudonymizer, deriveKey, type PrivacyKitError } from '@privacy-kit/core';
import { createSqliteStore } from '@privacy-kit/sqlite';
import { personalData, privacy, type PrivacyKit } from 'privacy-kit';

const ENV_KEYS = ['PRIVACY_KIT_DB', 'PRIVACY_KIT_SECRET', 'NODE_ENV'] as const;

/** A plain app whose own middleware sets req.user from X-Test-User, with privacy() mounted as the README says. */
function appWith(kit: PrivacyKit): express.Express {
  const app = express();
  app.use((req: Request, _res: Response, next: NextFunction) => {
    const id = req.get('x-test-user');
    if (id !== undefined) (req as Request & { user?: unknown }).user = { id };
    next();
  });
  app.use(kit);
  app.get('/me', personalData({ categories: ['user.name'], purpose: 'essential.service', basis: 'contract' }), (_req, res) => { res.json({ ok: true }); });
  return app;
}

describe('privacy() of the privacy-kit package, with no options', () => {
  let dir: string;
  let saved: Partial<Record<(typeof ENV_KEYS)[number], string>>;
  let kits: PrivacyKit[];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pk-umbrella-'));
    saved = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));
    for (const key of ENV_KEYS) delete process.env[key];
    process.env.PRIVACY_KIT_DB = join(dir, 'privacy-kit.db');
    kits = [];
  });
  afterEach(async () => {
    for (const kit of kits) {
      kit.dispose();
      await kit.store.close();
    }
    for (const key of ENV_KEYS) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
    rmSync(dir, { recursive: true, force: true });
  });

  const start = (options?: Parameters<typeof privacy>[0]): PrivacyKit => {
    const kit = privacy(options);
    kits.push(kit);
    return kit;
  };

  it('keeps its records in the SQLite file PRIVACY_KIT_DB names', async () => {
    process.env.PRIVACY_KIT_SECRET = randomBytes(32).toString('base64');
    const kit = start({ onError: () => undefined });
    expect((await request(appWith(kit)).get('/me').set('x-test-user', 'user-1')).status).toBe(200);
    expect(existsSync(join(dir, 'privacy-kit.db'))).toBe(true);
    expect((await kit.store.readAudit())[0]).toEqual(expect.objectContaining({ event: 'access', route: '/me' }));
  });

  it("chains the audit with deriveKey(PRIVACY_KIT_SECRET, 'audit'), as the CLI verifies it", async () => {
    const secret = randomBytes(32).toString('base64');
    process.env.PRIVACY_KIT_SECRET = secret;
    const kit = start({ onError: () => undefined });
    await request(appWith(kit)).get('/me').set('x-test-user', 'user-1');
    const reader = createSqliteStore({ filename: join(dir, 'privacy-kit.db'), auditKey: deriveKey(secret, 'audit') });
    try {
      expect(await reader.verifyAudit()).toEqual(expect.objectContaining({ ok: true }));
    } finally {
      await reader.close();
    }
  });

  it("pseudonymizes with deriveKey(PRIVACY_KIT_SECRET, 'pseudonym')", () => {
    const secret = randomBytes(32).toString('base64');
    process.env.PRIVACY_KIT_SECRET = secret;
    const kit = start({ onError: () => undefined });
    expect(kit.pseudonym('user-1')).toBe(createPseudonymizer(deriveKey(secret, 'pseudonym'))('user-1'));
  });

  it('identifies the caller from req.user (401 without it)', async () => {
    process.env.PRIVACY_KIT_SECRET = randomBytes(32).toString('base64');
    const app = appWith(start({ onError: () => undefined }));
    expect((await request(app).get('/me')).status).toBe(401);
    expect((await request(app).get('/me').set('x-test-user', 'user-1')).status).toBe(200);
  });

  it('uses the store and pseudonym key it is given, and needs no secret then', () => {
    process.env.NODE_ENV = 'production';
    const store = createSqliteStore({ filename: join(dir, 'own.db'), auditKey: randomBytes(32) });
    const kit = start({ store, pseudonymKey: randomBytes(32) });
    expect(kit.store).toBe(store);
    expect(readdirSync(dir).filter((name) => !name.startsWith('own.db'))).toEqual([]);
  });

  it('refuses to start in production without PRIVACY_KIT_SECRET, saying how to make one', () => {
    process.env.NODE_ENV = 'production';
    expect(() => privacy()).toThrow(expect.objectContaining({
      code: 'PK_SECRET_MISSING',
      message: expect.stringMatching(/^privacy-kit: privacy\(\): NODE_ENV is production and PRIVACY_KIT_SECRET is not set\..*openssl rand -base64 32/s),
    }));
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses a PRIVACY_KIT_SECRET shorter than 32 bytes, naming the variable', () => {
    process.env.PRIVACY_KIT_SECRET = 'too-short';
    expect(() => privacy()).toThrow(expect.objectContaining({ code: 'PK_AUDIT_KEY', message: expect.stringMatching(/PRIVACY_KIT_SECRET must be at least 32 bytes.*openssl rand -base64 32/s) }));
  });

  it('outside production without a secret, creates one, says so once through onError, and reuses it on the next start', async () => {
    const told: PrivacyKitError[] = [];
    const first = start({ onError: (e) => told.push(e) });
    const pseudonym = first.pseudonym('user-1');
    first.dispose();
    await first.store.close();
    kits.splice(kits.indexOf(first), 1);
    const second = start({ onError: (e) => told.push(e) });
    expect(second.pseudonym('user-1')).toBe(pseudonym);
    expect(told.map((e) => e.code)).toEqual(['PK_SECRET_MISSING']);
    expect(told[0]?.message).toContain(join(dir, '.privacy-kit-secret'));
  });
});
