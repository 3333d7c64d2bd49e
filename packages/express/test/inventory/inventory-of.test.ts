import express from 'express';
import { inventoryOf, personalData, requiresConsent } from '@privacy-kit/express';
import { appWith, tempStore, type TempStore } from '../support/test-app';

const ok = (_req: unknown, res: { end(): void }) => res.end();

describe('inventoryOf', () => {
  let t: TempStore;
  beforeEach(() => { t = tempStore(); });
  afterEach(() => t.cleanup());

  it("maps an app's routes with their declarations and names the app after the kit's appId", () => {
    const { app, kit } = appWith(t.store);
    const api = express.Router();
    api.get('/me', personalData({ categories: ['user.name'], purpose: 'essential.service', basis: 'contract' }), function me(_req, res) { res.end(); });
    api.get('/feed', requiresConsent('personalize.content'), ok);
    app.use('/api', api);
    app.get('/health', ok);
    const inventory = inventoryOf(app);
    expect(inventory.app.name).toBe('test-app');
    expect(inventory.routes.map((r) => [r.id, r.annotated, r.handler])).toEqual([
      ['GET /api/me', true, 'me'],
      ['GET /api/feed', true, 'ok'],
      ['GET /health', false, 'ok'],
    ]);
    expect(inventory.routes[1]?.processing).toMatchObject({ basis: 'consent', purposes: ['personalize.content'], consentRequired: true });
    kit.dispose();
  });

  it('reports what the engine would refuse: a path parameter without a data subject', () => {
    const app = express();
    app.get('/users/:id', personalData({ categories: ['user.name'], purpose: 'essential.service', basis: 'contract' }), ok);
    const [route] = inventoryOf(app).routes;
    expect(route?.problems).toEqual([{ rule: 'invalid-declaration', message: expect.stringContaining('declares no data subject') }]);
  });

  it('takes the app facts and observations it is given, and source locations on request', () => {
    const app = express();
    app.get('/debug', ok);
    const inventory = inventoryOf(app, {
      app: { name: 'shop', controller: { name: 'Shop Ltd' } },
      observations: { version: 1, updatedAt: '', routes: { 'GET /debug': { categories: ['user.contact.email'], samples: 1, firstSeen: 'a', lastSeen: 'a' } } },
      sourceLocations: true,
    });
    expect(inventory.app).toMatchObject({ name: 'shop', controller: { name: 'Shop Ltd' } });
    expect(inventory.routes[0]).toMatchObject({ undeclared: ['user.contact.email'], source: { file: 'packages/express/test/inventory/inventory-of.test.ts', line: expect.any(Number) } });
  });
});
