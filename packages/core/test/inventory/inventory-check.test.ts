import { buildInventory, checkInventory, matchesRoutePattern, parseAllowList, type InventoryRouteInput } from '@privacy-kit/core';

const seen = (categories: string[]) => ({ categories, samples: 2, firstSeen: '2026-11-22T08:00:00.000+00:00', lastSeen: '2026-11-22T09:00:00.000+00:00' });

function inventoryWith(routes: InventoryRouteInput[], observed: Record<string, string[]> = {}) {
  const entries = Object.fromEntries(Object.entries(observed).map(([id, c]) => [id, seen(c)]));
  return buildInventory({ models: [], routes, observations: { version: 1, updatedAt: '', routes: entries } });
}

const good: InventoryRouteInput = { method: 'GET', path: '/me', parts: [{ categories: ['user.name'], purpose: 'essential.service', basis: 'contract' }] };

describe('checkInventory: one rule each', () => {
  it('passes an app whose annotated routes all resolve', () => {
    const report = checkInventory(inventoryWith([good]));
    expect(report).toMatchObject({ ok: true, errors: [], warnings: [], routes: 1 });
  });

  it("fails 'missing-basis': a route handles personal data with no lawful basis", () => {
    const report = checkInventory(inventoryWith([{ method: 'POST', path: '/orders', parts: [{ categories: ['user.contact.address'], purpose: 'essential.service' }] }]));
    expect(report.ok).toBe(false);
    expect(report.errors).toEqual([{ rule: 'missing-basis', severity: 'error', route: 'POST /orders', message: expect.stringContaining("Add basis: 'contract'") }]);
  });

  it("fails 'consent-without-purpose': a consent route names no purpose", () => {
    const report = checkInventory(inventoryWith([{ method: 'GET', path: '/me/feed', parts: [{ categories: ['user.behavior'], basis: 'consent' }] }]));
    expect(report.errors.map((e) => [e.rule, e.route])).toEqual([['consent-without-purpose', 'GET /me/feed']]);
  });

  it("fails 'unknown-key': a key is not in the vocabulary", () => {
    const report = checkInventory(inventoryWith([{ method: 'GET', path: '/me', parts: [{ categories: ['user.name'], purpose: 'essential.servce', basis: 'contract' }] }]));
    expect(report.errors.map((e) => e.rule)).toEqual(['unknown-key']);
    expect(report.errors[0]?.message).toContain("Did you mean 'essential.service'?");
  });

  it("fails 'special-category-condition': a route processes special category data (Art. 9) without its Art. 9(2) condition", () => {
    const health: InventoryRouteInput = { method: 'GET', path: '/me/health', parts: [{ categories: ['user.health_and_medical'], purpose: 'essential.service', basis: 'contract' }] };
    const report = checkInventory(inventoryWith([health]));
    expect(report.ok).toBe(false);
    expect(report.errors).toEqual([{ rule: 'special-category-condition', severity: 'error', route: 'GET /me/health', message: expect.stringContaining("Add specialCategoryCondition: 'health_care'") }]);
    const named = checkInventory(inventoryWith([{ ...health, parts: [{ ...health.parts?.[0], specialCategoryCondition: 'health_care' }] }]));
    expect(named).toMatchObject({ ok: true, errors: [] });
  });

  it("fails 'undeclared-personal-data': a route returned personal data it does not declare", () => {
    const report = checkInventory(inventoryWith([good, { method: 'GET', path: '/debug' }], { 'GET /debug': ['user.contact.email'], 'GET /me': ['user.name'] }));
    expect(report.errors.map((e) => [e.rule, e.route])).toEqual([['undeclared-personal-data', 'GET /debug']]);
    expect(report.errors[0]?.message).toContain('user.contact.email');
  });

  it("warns 'unannotated' by default and fails it with strict", () => {
    const inventory = inventoryWith([good, { method: 'GET', path: '/health' }]);
    const relaxed = checkInventory(inventory);
    expect(relaxed.ok).toBe(true);
    expect(relaxed.warnings.map((w) => [w.rule, w.severity, w.route])).toEqual([['unannotated', 'warning', 'GET /health']]);
    const strict = checkInventory(inventory, { strict: true });
    expect(strict.ok).toBe(false);
    expect(strict.errors.map((e) => [e.rule, e.severity, e.route])).toEqual([['unannotated', 'error', 'GET /health']]);
  });

  it('orders errors by rule', () => {
    const report = checkInventory(inventoryWith([{ method: 'GET', path: '/debug' }, { method: 'POST', path: '/x', parts: [{ categories: ['user.name'], purpose: 'essential.service' }] }], { 'GET /debug': ['user.name'] }), { strict: true });
    expect(report.errors.map((e) => e.rule)).toEqual(['missing-basis', 'undeclared-personal-data', 'unannotated']);
  });
});

describe('checkInventory: the allow-list', () => {
  const inventory = inventoryWith([good, { method: 'GET', path: '/health' }, { method: 'GET', path: '/internal/dump' }], { 'GET /internal/dump': ['user.contact.email'] });

  it('excuses a route for every rule, keeping the finding and its reason', () => {
    const report = checkInventory(inventory, { strict: true, allow: [{ route: 'GET /health', reason: 'returns no personal data' }, { route: '/internal/*', reason: 'operator-only debugging, behind the VPN' }] });
    expect(report.ok).toBe(true);
    expect(report.allowed.map((a) => [a.route, a.rule, a.allowedBecause])).toEqual([
      ['GET /health', 'unannotated', 'returns no personal data'],
      ['GET /internal/dump', 'undeclared-personal-data', 'operator-only debugging, behind the VPN'],
      ['GET /internal/dump', 'unannotated', 'operator-only debugging, behind the VPN'],
    ]);
  });

  it('excuses only the rules an entry names', () => {
    const report = checkInventory(inventory, { strict: true, allow: [{ route: 'GET /internal/dump', rules: ['unannotated'], reason: 'not a product route' }, { route: 'GET /health', reason: 'no data' }] });
    expect(report.errors.map((e) => [e.rule, e.route])).toEqual([['undeclared-personal-data', 'GET /internal/dump']]);
  });

  it('reports entries that match nothing', () => {
    const report = checkInventory(inventory, { allow: [{ route: 'DELETE /gone', reason: 'was removed' }] });
    expect(report.unusedAllow).toEqual([{ route: 'DELETE /gone', reason: 'was removed' }]);
  });
});

describe('parseAllowList and matchesRoutePattern', () => {
  it('requires a reason for every entry', () => {
    expect(() => parseAllowList([{ route: 'GET /health' }], 'privacy-kit.config.json')).toThrow(/allow\[0\] \(GET \/health\) needs a 'reason'/);
  });

  it('refuses unknown rules and keys, naming the known ones', () => {
    expect(() => parseAllowList([{ route: '/x', reason: 'r', rules: ['no-basis'] }], 'cfg')).toThrow(/rules must list rules among missing-basis, /);
    expect(() => parseAllowList([{ route: '/x', reason: 'r', why: 'x' }], 'cfg')).toThrow(/unknown key 'why'/);
    expect(() => parseAllowList([{ route: 'health', reason: 'r' }], 'cfg')).toThrow(/must look like 'GET \/health'/);
  });

  it('suggests the key a misspelt one meant', () => {
    expect(() => parseAllowList([{ route: '/x', reason: 'r', rule: ['unannotated'] }], 'cfg')).toThrow(/allow\[0\] has an unknown key 'rule'\. Did you mean 'rules'\? \(known: route, rules, reason\)/);
  });

  it('matches a method and path, any method, a prefix, and aliases', () => {
    const route = { method: 'GET', path: '/a/status', aliases: ['/b/status'] };
    expect(matchesRoutePattern('GET /a/status', route)).toBe(true);
    expect(matchesRoutePattern('POST /a/status', route)).toBe(false);
    expect(matchesRoutePattern('* /b/status', route)).toBe(true);
    expect(matchesRoutePattern('/a/*', route)).toBe(true);
    expect(matchesRoutePattern('get /c/*', route)).toBe(false);
  });
});
