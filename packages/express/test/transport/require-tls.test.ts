import { createServer } from 'node:https';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { personalData } from '@privacy-kit/express';
import { appWith, bearer, tempStore, type TempStore } from '../support/test-app';

// Personal data only over TLS: privacy({ requireTls }) refuses plain HTTP on personal-data routes (audited) and
// sends HSTS on their responses; on by default in production.

const profileRoute = personalData({ categories: ['user.name'], purpose: 'essential.service', basis: 'contract' });

describe('privacy({ requireTls })', () => {
  let t: TempStore;
  beforeEach(() => { t = tempStore(); });
  afterEach(() => t.cleanup());

  function appRequiringTls(options: Parameters<typeof appWith>[1] = { requireTls: true }): ReturnType<typeof appWith> {
    const setup = appWith(t.store, options);
    setup.app.get('/me', profileRoute, (_req, res) => { res.json({ name: 'Test Person' }); });
    setup.app.get('/health', (_req, res) => { res.json({ ok: true }); });
    return setup;
  }

  it('refuses a personal-data route over plain HTTP with a JSON refusal, runs no handler, and audits it', async () => {
    const { app, kit } = appRequiringTls();
    const res = await request(app).get('/me').set('Authorization', bearer('user-a'));
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ error: 'tls_required' });
    expect(await t.store.readAudit({ event: 'denied' })).toEqual([expect.objectContaining({ reason: 'tls_required', status: 403, route: '/me' })]);
    expect(await t.store.readAudit({ event: 'access' })).toEqual([]);
    kit.dispose();
  });

  it('serves it behind a proxy that ended TLS (trust proxy, X-Forwarded-Proto: https), with HSTS', async () => {
    const { app, kit } = appRequiringTls();
    app.set('trust proxy', 'loopback');
    const res = await request(app).get('/me').set('Authorization', bearer('user-a')).set('X-Forwarded-Proto', 'https');
    expect(res.status).toBe(200);
    expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    kit.dispose();
  });

  it('does not trust X-Forwarded-Proto from a client when the app does not trust a proxy', async () => {
    const { app, kit } = appRequiringTls();
    const res = await request(app).get('/me').set('Authorization', bearer('user-a')).set('X-Forwarded-Proto', 'https');
    expect(res.status).toBe(403);
    kit.dispose();
  });

  it('serves it over real TLS (an HTTPS server with a generated certificate)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pk-tls-'));
    try {
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=localhost'], { stdio: 'ignore' });
      const { app, kit } = appRequiringTls({ requireTls: { hstsMaxAgeSeconds: 600 } });
      const server = createServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, app);
      const res = await request(server).get('/me').set('Authorization', bearer('user-a')).trustLocalhost(true).ca(readFileSync(join(dir, 'cert.pem')));
      expect(res.status).toBe(200);
      expect(res.headers['strict-transport-security']).toBe('max-age=600; includeSubDomains');
      kit.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('leaves routes without personal data alone', async () => {
    const { app, kit } = appRequiringTls();
    expect((await request(app).get('/health')).status).toBe(200);
    kit.dispose();
  });

  it('is on by default when NODE_ENV=production, off otherwise', async () => {
    const before = process.env.NODE_ENV;
    try {
      process.env.NODE_ENV = 'production';
      const prod = appRequiringTls({});
      expect((await request(prod.app).get('/me').set('Authorization', bearer('user-a'))).status).toBe(403);
      prod.kit.dispose();
      process.env.NODE_ENV = 'development';
      const dev = appRequiringTls({});
      expect((await request(dev.app).get('/me').set('Authorization', bearer('user-a'))).status).toBe(200);
      dev.kit.dispose();
    } finally {
      process.env.NODE_ENV = before;
    }
  });

  it('refuses a bad requireTls option, saying what it takes', () => {
    expect(() => appWith(t.store, { requireTls: { hstsMaxAgeSeconds: -1 } })).toThrow(/'requireTls.hstsMaxAgeSeconds' must be a whole number of seconds/);
    expect(() => appWith(t.store, { requireTls: 'yes' as never })).toThrow(/'requireTls' must be true, false or \{ hstsMaxAgeSeconds \}/);
  });
});
