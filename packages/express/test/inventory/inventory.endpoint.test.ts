import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import Ajv from 'ajv';
import { INVENTORY_SCHEMA, type PrivacyKitError } from '@privacy-kit/core';
import { personalData } from '@privacy-kit/express';
import { appWith, bearer, tempStore, type TempStore } from '../support/test-app';

describe('GET /privacy/admin/inventory', () => {
  let t: TempStore;
  beforeEach(() => { t = tempStore(); });
  afterEach(() => t.cleanup());

  function shop(options = {}) {
    const { app, kit } = appWith(t.store, options);
    app.get('/me', personalData({ categories: ['user.name'], purpose: 'essential.service', basis: 'contract' }), (_req, res) => { res.json({}); });
    app.get('/health', (_req, res) => { res.json({ ok: true }); });
    return { app, kit };
  }

  it('answers 401 to a caller who is not identified', async () => {
    const res = await request(shop().app).get('/privacy/admin/inventory');
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'unauthenticated', reason: 'token_missing' });
  });

  it('answers 403 to a caller without an admin role', async () => {
    const res = await request(shop().app).get('/privacy/admin/inventory').set('Authorization', bearer('user-a', { roles: ['support'] }));
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ error: 'forbidden' });
  });

  it('serves the JSON inventory of the app to a privacy-admin, valid against the schema', async () => {
    const res = await request(shop().app).get('/privacy/admin/inventory').set('Authorization', bearer('dpo', { roles: ['privacy-admin'] }));
    expect(res.status).toBe(200);
    expect(res.type).toBe('application/json');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body.routes.map((r: { id: string }) => r.id)).toEqual(['GET /me', 'GET /health']);
    expect(new Ajv({ allowUnionTypes: true }).validate(INVENTORY_SCHEMA, res.body)).toBe(true);
  });

  it('uses the adminRoles option', async () => {
    const { app } = shop({ adminRoles: ['dpo'] });
    expect((await request(app).get('/privacy/admin/inventory').set('Authorization', bearer('a', { roles: ['privacy-admin'] }))).status).toBe(403);
    expect((await request(app).get('/privacy/admin/inventory').set('Authorization', bearer('b', { roles: ['dpo'] }))).status).toBe(200);
  });

  it('serves markdown, HTML and Mermaid by extension', async () => {
    const { app } = shop();
    const auth = bearer('dpo', { roles: ['privacy-admin'] });
    const md = await request(app).get('/privacy/admin/inventory.md').set('Authorization', auth);
    expect(md.type).toBe('text/markdown');
    expect(md.text).toMatch(/^# Record of processing activities: test-app/);
    const html = await request(app).get('/privacy/admin/inventory.html').set('Authorization', auth);
    expect(html.type).toBe('text/html');
    expect(html.text).toContain('data-route-id="GET /me"');
    const mmd = await request(app).get('/privacy/admin/inventory.mmd').set('Authorization', auth);
    expect(mmd.text.startsWith('flowchart LR')).toBe(true);
  });

  it('serves the format the Accept header prefers', async () => {
    const { app } = shop();
    const auth = bearer('dpo', { roles: ['privacy-admin'] });
    expect((await request(app).get('/privacy/admin/inventory').set('Authorization', auth).set('Accept', 'text/html')).type).toBe('text/html');
    expect((await request(app).get('/privacy/admin/inventory').set('Authorization', auth).set('Accept', 'text/markdown')).type).toBe('text/markdown');
  });

  it('is served under a custom base path and leaves other extensions to the app', async () => {
    const { app } = shop({ basePath: '/gdpr' });
    const auth = bearer('dpo', { roles: ['privacy-admin'] });
    expect((await request(app).get('/gdpr/admin/inventory.json').set('Authorization', auth)).status).toBe(200);
    expect((await request(app).get('/gdpr/admin/inventory.xml').set('Authorization', auth)).status).toBe(404);
    expect((await request(app).post('/gdpr/admin/inventory').set('Authorization', auth)).status).toBe(404);
  });

  describe("the record fields of the app's privacy-kit configuration, found like the CLI finds them", () => {
    const startedIn = process.cwd();
    let project: string;
    beforeEach(() => {
      project = mkdtempSync(join(tmpdir(), 'pk-record-config-'));
      process.chdir(project);
    });
    afterEach(() => {
      process.chdir(startedIn);
      rmSync(project, { recursive: true, force: true });
    });

    it("reads the controller, name and measures from the 'privacy-kit' key of package.json", async () => {
      writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'clinic', 'privacy-kit': {
        name: 'Clinic appointments',
        controller: { name: 'Clinic Ltd', contact: 'privacy@clinic.example', dpo: 'dpo@clinic.example' },
        additionalSecurityMeasures: ['Encrypted backups.'],
        allow: [{ route: 'GET /health', reason: 'liveness probe' }],
      } }));
      const res = await request(shop().app).get('/privacy/admin/inventory.md').set('Authorization', bearer('dpo', { roles: ['privacy-admin'] }));
      expect(res.status).toBe(200);
      expect(res.text).toContain('# Record of processing activities: Clinic appointments');
      expect(res.text).toContain('| Name | Clinic Ltd |');
      expect(res.text).toContain('| Data protection officer | dpo@clinic.example |');
      expect(res.text).toContain('- Encrypted backups.');
    });

    it('prefers privacy-kit.config.json, as the CLI does', async () => {
      writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'clinic', 'privacy-kit': { controller: { name: 'From package.json' } } }));
      writeFileSync(join(project, 'privacy-kit.config.json'), JSON.stringify({ controller: { name: 'From the config file' } }));
      const res = await request(shop().app).get('/privacy/admin/inventory.json').set('Authorization', bearer('dpo', { roles: ['privacy-admin'] }));
      expect(res.body.app.controller).toEqual({ name: 'From the config file', contact: null, representative: null, dpo: null });
    });

    it('answers 500 and reports a configuration it cannot use, naming the file and the field', async () => {
      writeFileSync(join(project, 'privacy-kit.config.json'), JSON.stringify({ controller: { contact: 'privacy@clinic.example' } }));
      const reported: PrivacyKitError[] = [];
      const res = await request(shop({ onError: (e: PrivacyKitError) => { reported.push(e); } }).app).get('/privacy/admin/inventory.md').set('Authorization', bearer('dpo', { roles: ['privacy-admin'] }));
      expect(res.status).toBe(500);
      expect(res.body).toEqual({ error: 'privacy_misconfigured' });
      expect(reported).toEqual([expect.objectContaining({ code: 'PK_INVALID_OPTION', message: expect.stringMatching(/privacy-kit\.config\.json: 'controller' must be an object with at least a 'name'/) })]);
    });
  });
});
