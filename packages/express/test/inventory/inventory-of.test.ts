import express from 'express';
import { PersonalData, type DriftObservations, type Inventory } from '@privacy-kit/core';
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

  it('does not say that logs are redacted when nothing in the process redacts them', () => {
    const { app, kit } = appWith(t.store);
    expect(inventoryOf(app).app.securityMeasures.join('\n')).not.toMatch(/logs/);
    kit.dispose();
  });

  it.each([
    [true, "Personal data redacted from application logs (stated in the app's privacy-kit configuration)."],
    ['pino with redact paths', 'Personal data redacted from application logs (pino with redact paths).'],
  ])('states log redaction as privacy({ measures: { logRedaction: %j } }) says', (logRedaction, statement) => {
    const { app, kit } = appWith(t.store, { measures: { logRedaction } });
    expect(inventoryOf(app).app.securityMeasures).toContain(statement);
    kit.dispose();
  });

  it('refuses measures it does not know, and a logRedaction that is neither a boolean nor a description', () => {
    expect(() => appWith(t.store, { measures: { encryption: true } as never })).toThrow(/privacy\(\{ measures \}\): unknown option 'encryption'\. .*Known options: logRedaction/);
    expect(() => appWith(t.store, { measures: { logRedaction: 1 } as never })).toThrow(/privacy\(\{ measures \}\): 'logRedaction' must be true, false, or a short description of how logs are redacted/);
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

class Invoice {
  @PersonalData({ category: 'user.financial.bank_account', retention: '10y' })
  iban = '';

  @PersonalData({ category: 'user.contact.email' })
  email = '';

  @PersonalData({ category: 'user.name' })
  holder = '';
}

class Ticket {
  @PersonalData({ category: 'user.content.private' })
  text = '';
}

describe("inventoryOf: each category's time limit for erasure", () => {
  const at = new Date('2026-06-15T00:00:00.000Z');
  const debug: DriftObservations = {
    version: 1,
    updatedAt: '',
    routes: { 'GET /debug': { categories: ['user.device.cookie_id', 'user.contact.phone_number'], samples: 1, firstSeen: 'a', lastSeen: 'a' } },
  };
  const routes = (app: express.Express): void => {
    app.get('/me/invoices', personalData({ models: [Invoice], purpose: 'essential.service', basis: 'contract', retention: '6y' }), ok);
    app.get('/me/devices', personalData({ categories: ['user.device'], purpose: 'essential.service', basis: 'contract', retention: '30d' }), ok);
    app.get('/debug', ok);
  };
  const period = (inventory: Inventory, category: string) => {
    const found = inventory.retention.find((r) => r.category === category);
    return found === undefined ? undefined : [found.retention?.text ?? 'kept until erased', ...found.declaredBy];
  };

  let t: TempStore;
  beforeEach(() => { t = tempStore(); });
  afterEach(() => t.cleanup());

  it("shows the kit's retention policy: the retention.categories option wins, then the longest route or field period", () => {
    const { app, kit } = appWith(t.store, { retention: { categories: { 'user.contact': '90d' } } });
    routes(app);
    const inventory = inventoryOf(app, { generatedAt: at, observations: debug });
    expect(inventory.retention).toEqual(expect.arrayContaining([...kit.retentionPolicy(at).categories]));
    expect(period(inventory, 'user.contact')).toEqual(['90d', 'retention.categories']);
    expect(period(inventory, 'user.contact.email')).toEqual(['90d', 'retention.categories (user.contact)']);
    expect(period(inventory, 'user.financial.bank_account')).toEqual(['10y', 'route GET /me/invoices', 'field Invoice.iban']);
    expect(period(inventory, 'user.name')).toEqual(['6y', 'route GET /me/invoices']);
    expect(period(inventory, 'user.device')).toEqual(['30d', 'route GET /me/devices']);
    kit.dispose();
  });

  it('gives observed categories the kit does not list the period of their broader category', () => {
    const { app, kit } = appWith(t.store, { retention: { categories: { 'user.contact': '90d' } } });
    routes(app);
    const inventory = inventoryOf(app, { generatedAt: at, observations: debug });
    expect(kit.retentionPolicy(at).categories.map((c) => c.category)).not.toContain('user.contact.phone_number');
    expect(period(inventory, 'user.contact.phone_number')).toEqual(['90d', 'retention.categories (user.contact)']);
    expect(period(inventory, 'user.device.cookie_id')).toEqual(['30d', 'route GET /me/devices (user.device)']);
    kit.dispose();
  });

  it('works the periods out from the routes and fields of an app without privacy()', () => {
    const app = express();
    routes(app);
    const inventory = inventoryOf(app, { generatedAt: at, observations: debug });
    expect(period(inventory, 'user.contact')).toBeUndefined();
    expect(period(inventory, 'user.contact.email')).toEqual(['6y', 'route GET /me/invoices']);
    expect(period(inventory, 'user.financial.bank_account')).toEqual(['10y', 'route GET /me/invoices', 'field Invoice.iban']);
    expect(period(inventory, 'user.device.cookie_id')).toEqual(['30d', 'route GET /me/devices (user.device)']);
    expect(period(inventory, 'user.contact.phone_number')).toEqual(['kept until erased']);
  });

  it("falls back to the routes and fields, with a warning, when the kit's retention policy cannot be read", () => {
    const app = express();
    routes(app);
    const kit = { retentionPolicy: () => { throw new Error('no store'); } };
    const inventory = inventoryOf(app, { kit, generatedAt: at });
    expect(inventory.warnings).toEqual([expect.stringContaining("The kit's retention policy could not be read (no store)")]);
    expect(period(inventory, 'user.financial.bank_account')).toEqual(['10y', 'route GET /me/invoices', 'field Invoice.iban']);
  });

  it('shows a category for which nothing declares a period as kept until erased, with or without a kit', () => {
    const { app, kit } = appWith(t.store);
    routes(app);
    const bare = express();
    routes(bare);
    for (const inventory of [inventoryOf(app, { generatedAt: at }), inventoryOf(bare, { generatedAt: at })]) {
      expect(inventory.retention.find((r) => r.category === 'user.content.private')).toEqual({ category: 'user.content.private', retention: null, declaredBy: [] });
      expect(inventory.models.map((m) => m.name)).toContain('Ticket');
    }
    expect(Ticket).toBeDefined();
    kit.dispose();
  });
});
