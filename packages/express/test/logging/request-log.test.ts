import express from 'express';
import express4 from 'express4';
import request from 'supertest';
import type { PrivacyKitError } from '@privacy-kit/core';
import { UNMATCHED_ROUTE, personalData, type RequestLogLine } from '@privacy-kit/express';
import { appWith, bearer, tempStore, type TempStore } from '../support/test-app';

describe.each([
  ['Express 5', express],
  ['Express 4', express4],
])('kit.logRequests() on %s', (_name, expressModule) => {
  let temp: TempStore;
  beforeEach(() => { temp = tempStore(); });
  afterEach(() => temp.cleanup());

  function loggedApp(write?: (line: RequestLogLine) => void): { app: ReturnType<typeof appWith>['app']; lines: RequestLogLine[]; errors: PrivacyKitError[] } {
    const lines: RequestLogLine[] = [];
    const errors: PrivacyKitError[] = [];
    const { app, kit } = appWith(temp.store, { onError: (e) => errors.push(e) }, expressModule);
    app.use(kit.logRequests(write ?? ((line) => lines.push(line))));
    app.get('/users/:id', personalData({ categories: ['user.contact.email'], purpose: 'essential.service', basis: 'contract', subject: (req) => String(req.params.id) }), (_req, res) => res.json({ ok: true }));
    const tenants = expressModule.Router();
    tenants.get('/orders/:orderId', (_req, res) => res.json({ ok: true }));
    app.use('/tenants/:tenant', tenants);
    return { app, lines, errors };
  }

  it('logs the route pattern of an annotated route, never the id in its path', async () => {
    const { app, lines } = loggedApp();
    await request(app).get('/users/user-2?name=Testname%20Generated').set('authorization', bearer('user-2')).expect(200);
    expect(lines).toEqual([{ method: 'GET', route: '/users/:id', status: 200, durationMs: expect.any(Number) as number, requestId: expect.any(String) as string }]);
    expect(JSON.stringify(lines)).not.toMatch(/user-2|Testname/);
  });

  it('logs the full pattern of a route in a router mounted on a path with parameters', async () => {
    const { app, lines } = loggedApp();
    await request(app).get('/tenants/tenant-9/orders/order-77').expect(200);
    expect(lines.map((l) => l.route)).toEqual(['/tenants/:tenant/orders/:orderId']);
    expect(JSON.stringify(lines)).not.toMatch(/tenant-9|order-77/);
  });

  it('logs a request no route answered as (unmatched), not its path', async () => {
    const { app, lines } = loggedApp();
    await request(app).get('/people/person-5/profile').expect(404);
    expect(lines).toEqual([expect.objectContaining({ method: 'GET', route: UNMATCHED_ROUTE, status: 404 })]);
  });

  it('logs refusals with their status (401 without a token)', async () => {
    const { app, lines } = loggedApp();
    await request(app).get('/users/user-3').expect(401);
    expect(lines).toEqual([expect.objectContaining({ route: '/users/:id', status: 401 })]);
  });

  it('reports a writer that throws through onError, and the request is answered as usual', async () => {
    const { app, errors } = loggedApp(() => {
      throw new Error('log sink down');
    });
    await request(app).get('/tenants/t-1/orders/o-1').expect(200);
    await new Promise((r) => setImmediate(r));
    expect(errors).toEqual([expect.objectContaining({ message: expect.stringContaining('writing the request log line') as string })]);
  });
});

describe('kit.logRequests() given no writer', () => {
  it('refuses it, saying what it needs', async () => {
    const temp = tempStore();
    const { kit } = appWith(temp.store);
    expect(() => kit.logRequests(undefined as never)).toThrow(/logRequests\(write\) needs a function that receives each line/);
    await temp.cleanup();
  });
});
