import {
  PersonalData,
  buildInventory,
  resolveTerm,
  type DriftObservations,
  type InventoryRoute,
  type Retention,
} from '@privacy-kit/core';
import { INVENTORY_SCHEMA_ID } from '../../src/inventory/inventory.model';
import { DEFAULT_SECURITY_MEASURES } from '../../src/inventory/inventory.builder';

class Shopper {
  @PersonalData({ category: 'user.name' })
  name = '';

  @PersonalData({ category: 'user.health_and_medical', retention: '1y', description: 'Allergies' })
  allergies = '';
}

class NeverUsed {
  @PersonalData({ category: 'user.device.ip_address' })
  ip = '';
}

const at = new Date('2026-11-22T10:00:00Z');

function route(inventory: ReturnType<typeof buildInventory>, id: string): InventoryRoute {
  const found = inventory.routes.find((r) => r.id === id);
  if (found === undefined) throw new Error(`no route ${id} in ${inventory.routes.map((r) => r.id).join(', ')}`);
  return found;
}

function observed(routes: DriftObservations['routes']): DriftObservations {
  return { version: 1, updatedAt: '2026-11-22T09:00:00.000+00:00', routes };
}

describe('buildInventory: an annotated route', () => {
  const inventory = buildInventory({
    generatedAt: at,
    app: { name: 'shop', controller: { name: 'Shop Ltd', contact: 'privacy@shop.example' } },
    models: [Shopper],
    routes: [
      {
        method: 'get',
        path: '/users/:id',
        handler: 'getUser',
        source: { file: 'src/app.ts', line: 12, column: 3 },
        parts: [
          {
            categories: ['user.contact.email'],
            models: [Shopper],
            purpose: 'essential.service.operations.support',
            basis: 'legitimate_interests',
            subject: (req: { params: { id: string } }) => req.params.id,
            subjectTypes: ['employee'],
            roles: ['support'],
            retention: '30d',
            recipients: ['Helpdesk Inc. (support tool)'],
            specialCategoryCondition: 'health_care',
          },
        ],
      },
      {
        method: 'GET',
        path: '/me/recommendations',
        handler: 'recommend',
        parts: [{ categories: ['user.behavior.purchase_history'], purpose: 'personalize.content' }, { consent: ['personalize.content'] }],
      },
    ],
  });

  it('records method, path, handler, source and every part of the declaration', () => {
    const r = route(inventory, 'GET /users/:id');
    expect(r).toMatchObject({ method: 'GET', path: '/users/:id', handler: 'getUser', annotated: true, source: { file: 'src/app.ts', line: 12, column: 3 }, problems: [] });
    expect(r.processing).toEqual({
      categories: ['user.contact.email', 'user.name', 'user.health_and_medical'],
      declaredCategories: ['user.contact.email'],
      models: ['Shopper'],
      purposes: ['essential.service.operations.support'],
      basis: 'legitimate_interests',
      consentRequired: false,
      consentPurposes: [],
      subject: { resolution: 'resolver', resolver: expect.stringContaining('req.params.id') },
      subjectTypes: ['employee'],
      caller: 'required',
      roles: ['support'],
      retention: { text: '30d', amount: 30, unit: 'day' },
      recipients: ['Helpdesk Inc. (support tool)'],
      special: true,
      specialCategories: ['user.health_and_medical'],
      specialCategoryConditions: ['health_care'],
      description: null,
    });
  });

  it('describes each Art. 9(2) condition the routes name, with its article', () => {
    expect(inventory.terms.specialCategoryConditions).toEqual({
      health_care: 'Art. 9(2)(h): Preventive or occupational medicine, medical diagnosis, or the provision of health or social care or treatment',
    });
  });

  it("shows special category data without its condition as a problem of rule 'special-category-condition', the declaration still readable", () => {
    const without = buildInventory({ models: [], routes: [{ method: 'GET', path: '/me/health', parts: [{ categories: ['user.health_and_medical'], purpose: 'essential.service', basis: 'contract' }] }] });
    const r = route(without, 'GET /me/health');
    expect(r.problems).toEqual([{ rule: 'special-category-condition', message: expect.stringMatching(/GET \/me\/health: processes user\.health_and_medical, special category data \(Art\. 9\), but names no Art\. 9\(2\) condition/) }]);
    expect(r.processing).toMatchObject({ basis: 'contract', special: true, specialCategories: ['user.health_and_medical'], specialCategoryConditions: [] });
    expect(without.summary.withProblems).toBe(1);
  });

  it('records consent and its purposes, with the caller as the subject by default', () => {
    const p = route(inventory, 'GET /me/recommendations').processing;
    expect(p).toMatchObject({ basis: 'consent', consentRequired: true, consentPurposes: ['personalize.content'], subject: { resolution: 'self', resolver: null }, subjectTypes: ['customer'] });
  });

  it('lists annotated model classes with their fields and the routes that name them', () => {
    expect(inventory.models).toEqual([
      {
        name: 'Shopper',
        fields: [
          { property: 'name', categories: ['user.name'], retention: null, special: false, description: null },
          { property: 'allergies', categories: ['user.health_and_medical'], retention: { text: '1y', amount: 1, unit: 'year' }, special: true, description: 'Allergies' },
        ],
        categories: ['user.name', 'user.health_and_medical'],
        special: true,
        usedBy: ['GET /users/:id'],
      },
    ]);
  });

  it('carries the app facts, the vocabulary descriptions and a summary', () => {
    expect(inventory.$schema).toBe(INVENTORY_SCHEMA_ID);
    expect(inventory.generatedAt).toBe('2026-11-22T10:00:00.000+00:00');
    expect(inventory.app.controller).toEqual({ name: 'Shop Ltd', contact: 'privacy@shop.example', representative: null, dpo: null });
    expect(inventory.terms.categories['user.contact.email']).toBe('E-mail address');
    expect(inventory.terms.purposes['personalize.content']).toBe('Personalised content and recommendations');
    expect(inventory.summary).toMatchObject({
      routes: 2,
      annotated: 2,
      unannotated: 0,
      bases: ['consent', 'legitimate_interests'],
      specialCategories: ['user.health_and_medical'],
      recipients: ['Helpdesk Inc. (support tool)'],
      subjectTypes: ['customer', 'employee'],
    });
  });
});

describe('buildInventory: routes without annotation and models', () => {
  it('lists a route without annotation with no processing', () => {
    const inventory = buildInventory({ routes: [{ method: 'GET', path: '/health' }], models: [] });
    expect(route(inventory, 'GET /health')).toMatchObject({ annotated: false, processing: null, handler: '<anonymous>', source: null, problems: [] });
    expect(inventory.summary.unannotated).toBe(1);
  });

  it('lists every annotated class the registry knows when no models are given', () => {
    const inventory = buildInventory({ routes: [] });
    expect(inventory.models.map((m) => m.name)).toEqual(expect.arrayContaining(['Shopper', 'NeverUsed']));
    expect(inventory.models.find((m) => m.name === 'NeverUsed')?.usedBy).toEqual([]);
    expect(NeverUsed).toBeDefined();
  });

  it('keeps ids unique when two routes share a method and path', () => {
    const inventory = buildInventory({ routes: [{ method: 'GET', path: '/x' }, { method: 'GET', path: '/x' }], models: [] });
    expect(inventory.routes.map((r) => r.id)).toEqual(['GET /x', 'GET /x#2']);
  });
});

describe('buildInventory: declarations that do not resolve', () => {
  it("flags personal data without a lawful basis as 'missing-basis', still showing what is declared", () => {
    const inventory = buildInventory({ models: [], routes: [{ method: 'POST', path: '/orders', parts: [{ categories: ['user.contact.address'], purpose: 'essential.service' }] }] });
    const r = route(inventory, 'POST /orders');
    expect(r.problems).toEqual([{ rule: 'missing-basis', message: expect.stringContaining('no lawful basis') }]);
    expect(r.processing).toMatchObject({ categories: ['user.contact.address'], purposes: ['essential.service'], basis: null });
    expect(inventory.summary.withProblems).toBe(1);
  });

  it("flags a consent basis without a purpose as 'consent-without-purpose'", () => {
    const inventory = buildInventory({ models: [], routes: [{ method: 'GET', path: '/me/feed', parts: [{ categories: ['user.behavior'], basis: 'consent' }] }] });
    expect(route(inventory, 'GET /me/feed').problems).toEqual([{ rule: 'consent-without-purpose', message: expect.stringContaining('declares no purpose') }]);
  });

  it("flags a contract basis without a purpose as 'missing-purpose'", () => {
    const inventory = buildInventory({ models: [], routes: [{ method: 'GET', path: '/me', parts: [{ categories: ['user.name'], basis: 'contract' }] }] });
    expect(route(inventory, 'GET /me').problems.map((p) => p.rule)).toEqual(['missing-purpose']);
  });

  it("flags a key that is not in the vocabulary as 'unknown-key' with a suggestion", () => {
    const inventory = buildInventory({ models: [], routes: [{ method: 'GET', path: '/me', parts: [{ categories: ['user.contact.emial'], purpose: 'essential.service', basis: 'contract' }] }] });
    expect(route(inventory, 'GET /me').problems).toEqual([{ rule: 'unknown-key', message: expect.stringContaining("Did you mean 'user.contact.email'?") }]);
  });

  it("adds the adapter's own problems as 'invalid-declaration', without repeating one it found itself", () => {
    const inventory = buildInventory({
      models: [],
      routes: [
        { method: 'GET', path: '/users/:id', parts: [{ categories: ['user.name'], purpose: 'essential.service', basis: 'contract' }], problems: ['GET /users/:id: the path names someone but the route declares no data subject.'] },
        { method: 'GET', path: '/a', parts: [{ categories: ['user.name'], purpose: 'essential.service' }], problems: [] },
      ],
    });
    expect(route(inventory, 'GET /users/:id').problems).toEqual([{ rule: 'invalid-declaration', message: 'GET /users/:id: the path names someone but the route declares no data subject.' }]);
    const missing = route(inventory, 'GET /a').problems[0]?.message ?? '';
    const again = buildInventory({ models: [], routes: [{ method: 'GET', path: '/a', parts: [{ categories: ['user.name'], purpose: 'essential.service' }], problems: [missing] }] });
    expect(route(again, 'GET /a').problems).toHaveLength(1);
  });
});

describe('buildInventory: observed personal data (drift)', () => {
  const seen = (categories: string[], samples = 3) => ({ categories, samples, firstSeen: '2026-11-22T08:00:00.000+00:00', lastSeen: '2026-11-22T09:00:00.000+00:00' });

  it('shows observed categories beside the declared ones and flags what is not declared', () => {
    const inventory = buildInventory({
      models: [],
      routes: [
        { method: 'GET', path: '/me', parts: [{ categories: ['user.contact'], purpose: 'essential.service', basis: 'contract' }] },
        { method: 'GET', path: '/debug' },
        { method: 'GET', path: '/health' },
      ],
      observations: observed({ 'GET /me': seen(['user.contact.email', 'user.name']), 'GET /debug': seen(['user.contact.email']), 'GET /health': seen([]) }),
    });
    const me = route(inventory, 'GET /me');
    expect(me.observed).toEqual(seen(['user.contact.email', 'user.name']));
    expect(me.undeclared).toEqual(['user.name']);
    expect(me.problems).toEqual([{ rule: 'undeclared-personal-data', message: expect.stringContaining('user.name') }]);
    const debug = route(inventory, 'GET /debug');
    expect(debug.undeclared).toEqual(['user.contact.email']);
    expect(debug.problems[0]?.message).toContain('carries no annotation');
    expect(route(inventory, 'GET /health')).toMatchObject({ undeclared: [], problems: [], observed: { samples: 3 } });
    expect(inventory.summary.withUndeclared).toBe(2);
  });

  it('merges several observation sources and matches aliases of a route', () => {
    const inventory = buildInventory({
      models: [],
      routes: [{ method: 'GET', path: '/a/status', aliases: ['/b/status'] }],
      observations: [observed({ 'GET /a/status': seen([], 2) }), observed({ 'GET /b/status': seen(['user.device.ip_address'], 1) })],
    });
    expect(route(inventory, 'GET /a/status').observed).toMatchObject({ categories: ['user.device.ip_address'], samples: 3 });
  });

  it('warns about observations of routes the app does not have', () => {
    const inventory = buildInventory({ models: [], routes: [], observations: observed({ 'GET /gone': seen(['user.name']) }) });
    expect(inventory.warnings).toEqual([expect.stringContaining("'GET /gone'")]);
  });
});

describe("buildInventory: each category's time limit for erasure", () => {
  const period = (text: string, amount: number, unit: Retention['unit']): Retention => ({ text, amount, unit });
  const entry = (inventory: ReturnType<typeof buildInventory>, category: string) => inventory.retention.find((r) => r.category === category);

  class Order {
    @PersonalData({ category: 'user.behavior.purchase_history', retention: '10y' })
    lines = '';

    @PersonalData({ category: 'user.contact.address.street', retention: '1y' })
    shipTo = '';

    @PersonalData({ category: 'user.unique_id' })
    customerId = '';
  }

  const inventory = buildInventory({
    generatedAt: at,
    models: [Order],
    routes: [
      { method: 'GET', path: '/me/orders', parts: [{ models: [Order], purpose: 'essential.service', basis: 'contract', retention: '18m' }] },
      { method: 'GET', path: '/me/contact', parts: [{ categories: ['user.contact'], purpose: 'essential.service', basis: 'contract', retention: '400d' }] },
      { method: 'GET', path: '/me/name', parts: [{ categories: ['user.name'], purpose: 'essential.service', basis: 'contract' }] },
      { method: 'GET', path: '/debug' },
    ],
    observations: observed({ 'GET /debug': { categories: ['user.contact.email', 'user.device.ip_address'], samples: 1, firstSeen: 'a', lastSeen: 'a' } }),
  });

  it('covers every category the inventory mentions, declared, in a model or observed, sorted', () => {
    expect(inventory.retention.map((r) => r.category)).toEqual(inventory.summary.categories);
    expect(inventory.retention.map((r) => r.category)).toEqual([
      'user.behavior.purchase_history',
      'user.contact',
      'user.contact.address.street',
      'user.contact.email',
      'user.device.ip_address',
      'user.name',
      'user.unique_id',
    ]);
  });

  it('gives a category the longest period its routes and fields declare, naming each of them', () => {
    expect(entry(inventory, 'user.behavior.purchase_history')).toEqual({
      category: 'user.behavior.purchase_history',
      retention: period('10y', 10, 'year'),
      declaredBy: ['route GET /me/orders', 'field Order.lines'],
    });
    expect(entry(inventory, 'user.unique_id')).toEqual({ category: 'user.unique_id', retention: period('18m', 18, 'month'), declaredBy: ['route GET /me/orders'] });
  });

  it('compares periods of different units as calendar time: 18 months outlast a year, 400 days outlast 12 months', () => {
    expect(entry(inventory, 'user.contact.address.street')?.retention).toEqual(period('18m', 18, 'month'));
    expect(entry(inventory, 'user.contact.address.street')?.declaredBy).toEqual(['route GET /me/orders', 'field Order.shipTo']);
    const days = buildInventory({
      generatedAt: at,
      models: [],
      routes: [
        { method: 'GET', path: '/a', parts: [{ categories: ['user.name'], purpose: 'essential.service', basis: 'contract', retention: '12m' }] },
        { method: 'GET', path: '/b', parts: [{ categories: ['user.name'], purpose: 'essential.service', basis: 'contract', retention: '400d' }] },
      ],
    });
    expect(entry(days, 'user.name')).toEqual({ category: 'user.name', retention: period('400d', 400, 'day'), declaredBy: ['route GET /a', 'route GET /b'] });
  });

  it("lets a broader category's period cover a narrower one that declares none, naming where it comes from", () => {
    expect(entry(inventory, 'user.contact.email')).toEqual({ category: 'user.contact.email', retention: period('400d', 400, 'day'), declaredBy: ['route GET /me/contact (user.contact)'] });
  });

  it('shows a category that nothing gives a period as kept until erased: no period, no declarer', () => {
    expect(entry(inventory, 'user.name')).toEqual({ category: 'user.name', retention: null, declaredBy: [] });
    expect(entry(inventory, 'user.device.ip_address')).toEqual({ category: 'user.device.ip_address', retention: null, declaredBy: [] });
  });

  it('takes the retention it is given (e.g. the kit\'s policy), narrower categories inheriting from it, and works out the rest', () => {
    const given = buildInventory({
      generatedAt: at,
      models: [Order],
      routes: [{ method: 'GET', path: '/me/orders', parts: [{ models: [Order], purpose: 'essential.service', basis: 'contract' }] }, { method: 'GET', path: '/debug' }],
      observations: observed({ 'GET /debug': { categories: ['user.behavior.browsing_history'], samples: 1, firstSeen: 'a', lastSeen: 'a' } }),
      retention: [
        { category: 'user.behavior', retention: period('90d', 90, 'day'), declaredBy: ['retention.categories'] },
        { category: 'user.behavior.purchase_history', retention: period('10y', 10, 'year'), declaredBy: ['field Order.lines'] },
      ],
    });
    expect(given.retention).toEqual([
      { category: 'user.behavior', retention: period('90d', 90, 'day'), declaredBy: ['retention.categories'] },
      { category: 'user.behavior.browsing_history', retention: period('90d', 90, 'day'), declaredBy: ['retention.categories (user.behavior)'] },
      { category: 'user.behavior.purchase_history', retention: period('10y', 10, 'year'), declaredBy: ['field Order.lines'] },
      { category: 'user.contact.address.street', retention: period('1y', 1, 'year'), declaredBy: ['field Order.shipTo'] },
      { category: 'user.unique_id', retention: null, declaredBy: [] },
    ]);
    expect(given.terms.categories['user.behavior']).toBe(resolveTerm('category', 'user.behavior', 'test').description);
  });

  it('keeps the name of the broader category a given entry already inherits from', () => {
    const given = buildInventory({
      models: [],
      routes: [{ method: 'GET', path: '/debug' }],
      observations: observed({ 'GET /debug': { categories: ['user.contact.address.city'], samples: 1, firstSeen: 'a', lastSeen: 'a' } }),
      retention: [{ category: 'user.contact.address', retention: period('30d', 30, 'day'), declaredBy: ['retention.categories (user.contact)', 'route GET /me'] }],
    });
    expect(entry(given, 'user.contact.address.city')?.declaredBy).toEqual(['retention.categories (user.contact)', 'route GET /me (user.contact.address)']);
  });
});

describe('buildInventory: the security measures the record states', () => {
  it("states only what privacy-kit itself does by default, never that logs are redacted", () => {
    const measures = buildInventory({ routes: [], models: [] }).app.securityMeasures;
    expect(measures).toEqual(DEFAULT_SECURITY_MEASURES);
    expect(measures.join('\n')).not.toMatch(/logs/);
  });

  it('states log redaction, and how, when the app input says it is in place', () => {
    const measures = buildInventory({ routes: [], models: [], app: { measures: { logRedaction: "privacy-kit's redactPii() winston format" } } }).app.securityMeasures;
    expect(measures).toEqual([...DEFAULT_SECURITY_MEASURES, "Personal data redacted from application logs (privacy-kit's redactPii() winston format)."]);
  });

  it('lets the app replace the defaults and add its own measures, the stated ones still added', () => {
    const measures = buildInventory({ routes: [], models: [], app: { securityMeasures: ['Disk encryption.'], additionalSecurityMeasures: ['Quarterly access review.'], measures: { logRedaction: 'pino redact paths' } } }).app.securityMeasures;
    expect(measures).toEqual(['Disk encryption.', 'Personal data redacted from application logs (pino redact paths).', 'Quarterly access review.']);
  });
});

