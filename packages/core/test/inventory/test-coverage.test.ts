import { buildInventory, coverageOf, type AuditRouteHit } from '@privacy-kit/core';

const declared = { categories: ['user.name'], purpose: 'essential.service', basis: 'contract' as const };
const inventory = buildInventory({
  models: [],
  routes: [
    { method: 'GET', path: '/me', parts: [declared] },
    { method: 'GET', path: '/users/:id', parts: [{ ...declared, subject: 'self' }] },
    { method: 'GET', path: '/a/status', aliases: ['/b/status'], parts: [declared] },
    { method: 'ALL', path: '/any', parts: [declared] },
    { method: 'GET', path: '/health' },
  ],
});

const hit = (event: string, method: string | null, route: string | null, decision = 'allowed'): AuditRouteHit => ({ event, method, route, decision });

describe('coverageOf', () => {
  it('counts allowed and denied accesses per annotated route and lists the routes never reached', () => {
    const report = coverageOf(inventory, [
      hit('access', 'GET', '/me'),
      hit('outcome', 'GET', '/me'),
      hit('access', 'GET', '/me'),
      hit('denied', 'GET', '/users/:id', 'denied'),
      hit('access', 'GET', '/b/status'),
      hit('access', 'POST', '/any'),
    ]);
    expect(report.exercised).toEqual([
      { id: 'GET /me', allowed: 2, denied: 0 },
      { id: 'GET /users/:id', allowed: 0, denied: 1 },
      { id: 'GET /a/status', allowed: 1, denied: 0 },
      { id: 'ALL /any', allowed: 1, denied: 0 },
    ]);
    expect(report).toMatchObject({ total: 4, missed: [], percent: 100 });
  });

  it('gives the exercised share of annotated routes, rounded down to one decimal', () => {
    const report = coverageOf(inventory, [hit('access', 'GET', '/me')]);
    expect(report).toMatchObject({ total: 4, percent: 25, missed: ['GET /users/:id', 'GET /a/status', 'ALL /any'] });
    const three = buildInventory({ models: [], routes: ['/a', '/b', '/c'].map((path) => ({ method: 'GET', path, parts: [declared] })) });
    expect(coverageOf(three, [hit('access', 'GET', '/a')]).percent).toBe(33.3);
  });

  it('lists audited routes that are not annotated routes of the app, and ignores records without a route', () => {
    const report = coverageOf(inventory, [hit('access', 'GET', '/privacy/me/consents'), hit('consent', null, null), hit('access', 'GET', '/health')]);
    expect(report.unmatched).toEqual(['GET /health', 'GET /privacy/me/consents']);
    expect(report.exercised).toEqual([]);
  });

  it('counts an app without annotated routes as fully covered', () => {
    expect(coverageOf(buildInventory({ models: [], routes: [] }), []).percent).toBe(100);
  });
});
