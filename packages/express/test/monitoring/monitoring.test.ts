import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import type { Alert, PrivacyKitError } from '@privacy-kit/core';
import { personalData, type PrivacyOptions } from '@privacy-kit/express';
import { appWith, bearer, tempStore, type TempStore } from '../support/test-app';

/** A support app: agents read customers' profiles by id. */
function supportApp(store: TempStore['store'], monitoring: PrivacyOptions['monitoring'], onError: (e: PrivacyKitError) => void = () => undefined) {
  const { app, kit } = appWith(store, { monitoring, onError });
  app.get('/customers/:id', personalData({ categories: ['user.contact.email'], purpose: 'essential.service', basis: 'contract', subject: (req) => req.params.id, roles: ['support'] }), (req, res) => {
    res.json({ id: req.params.id });
  });
  app.get('/me', personalData({ categories: ['user.contact.email'], purpose: 'essential.service', basis: 'contract' }), (_req, res) => {
    res.json({ ok: true });
  });
  return { app, kit };
}

/** A loopback receiver that answers each POST with the next status of a script (the last one repeats). */
async function receiver(statuses: readonly (number | 'hang')[]): Promise<{ server: Server; url: string; bodies: unknown[] }> {
  const bodies: unknown[] = [];
  let n = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let text = '';
    req.on('data', (chunk: Buffer) => { text += chunk.toString(); });
    req.on('end', () => {
      bodies.push(JSON.parse(text));
      const status = statuses[Math.min(n++, statuses.length - 1)];
      if (status === 'hang') return;
      res.statusCode = status as number;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/alerts`, bodies };
}

const MASS = { massAccess: { threshold: 5, windowMs: 60_000 } } as const;

describe('privacy({ monitoring }): alerts on unusual access', () => {
  let temp: TempStore;
  const servers: Server[] = [];
  beforeEach(() => { temp = tempStore(); });
  afterEach(async () => {
    for (const server of servers.splice(0)) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
    await temp.cleanup();
  });

  it('raises one mass-access alert when a support account reads many customers, and audits it', async () => {
    const alerts: Alert[] = [];
    const { app, kit } = supportApp(temp.store, { rules: MASS, onAlert: (alert) => { alerts.push(alert); } });
    for (let n = 1; n <= 8; n++) await request(app).get(`/customers/customer-${n}`).set('Authorization', bearer('agent-1', { roles: ['support'] })).expect(200);
    await kit.monitoring?.flush();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ rule: 'massAccess', actor: kit.pseudonym('agent-1'), threshold: 5, count: 5 });
    expect(alerts[0]?.explanation).toMatch(/5/);
    const audited = (await temp.store.readAudit({ event: 'alert' }));
    expect(audited).toHaveLength(1);
    expect(audited[0]).toMatchObject({ actor: kit.pseudonym('agent-1'), reason: 'massAccess', details: { rule: 'massAccess', count: 5, threshold: 5 } });
  });

  it('stays quiet on ordinary traffic: customers reading their own profile', async () => {
    const alerts: Alert[] = [];
    const { app, kit } = supportApp(temp.store, { rules: MASS, onAlert: (alert) => { alerts.push(alert); } });
    for (let n = 1; n <= 20; n++) await request(app).get('/me').set('Authorization', bearer(`customer-${n}`)).expect(200);
    await kit.monitoring?.flush();
    expect(alerts).toEqual([]);
    expect(await temp.store.readAudit({ event: 'alert' })).toEqual([]);
  });

  it('posts each alert as JSON to a loopback webhook, retrying after a 5xx', async () => {
    const hook = await receiver([503, 200]);
    servers.push(hook.server);
    const { app, kit } = supportApp(temp.store, { rules: MASS, webhook: { url: hook.url, timeoutMs: 2_000, retries: 2 } });
    for (let n = 1; n <= 5; n++) await request(app).get(`/customers/customer-${n}`).set('Authorization', bearer('agent-2', { roles: ['support'] })).expect(200);
    await kit.monitoring?.flush();
    expect(hook.bodies).toHaveLength(2);
    expect(hook.bodies[1]).toMatchObject({ alert: { rule: 'massAccess', count: 5 } });
  });

  it('answers requests while a webhook hangs, and reports the delivery it gave up on', async () => {
    const hook = await receiver(['hang']);
    servers.push(hook.server);
    const errors: PrivacyKitError[] = [];
    const { app, kit } = supportApp(temp.store, { rules: MASS, webhook: { url: hook.url, timeoutMs: 300, retries: 0 } }, (e) => errors.push(e));
    for (let n = 1; n <= 5; n++) await request(app).get(`/customers/customer-${n}`).set('Authorization', bearer('agent-3', { roles: ['support'] })).expect(200);
    // The delivery hangs now; requests are answered all the same.
    await new Promise((resolve) => setTimeout(resolve, 50));
    await request(app).get('/me').set('Authorization', bearer('customer-1')).expect(200);
    await kit.monitoring?.flush();
    expect(hook.bodies).toHaveLength(1);
    expect(errors.map((e) => e.code)).toContain('PK_ALERT_DELIVERY');
    expect(errors.map((e) => e.message).join('\n')).toMatch(/no answer within 300 ms/);
  });

  it('reports an onAlert that throws and still audits the alert and answers the request', async () => {
    const errors: PrivacyKitError[] = [];
    const { app, kit } = supportApp(temp.store, { rules: MASS, onAlert: () => { throw new Error('sink down'); } }, (e) => errors.push(e));
    for (let n = 1; n <= 5; n++) await request(app).get(`/customers/customer-${n}`).set('Authorization', bearer('agent-4', { roles: ['support'] })).expect(200);
    await kit.monitoring?.flush();
    expect(errors.map((e) => e.code)).toEqual(['PK_ALERT_DELIVERY']);
    expect(await temp.store.readAudit({ event: 'alert' })).toHaveLength(1);
  });

  it("writes a line that explains the alert to the app's logger, without a real identifier", async () => {
    const lines: string[] = [];
    const { app, kit } = supportApp(temp.store, { rules: MASS, logger: { warn: (message: string) => lines.push(message) } });
    for (let n = 1; n <= 5; n++) await request(app).get(`/customers/customer-${n}`).set('Authorization', bearer('agent-5', { roles: ['support'] })).expect(200);
    await kit.monitoring?.flush();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\[privacy-kit\] alert massAccess: /);
    expect(lines[0]).not.toMatch(/agent-5|customer-/);
  });

  it('refuses a webhook that is not an http(s) URL, and retries out of range, naming the option', () => {
    expect(() => supportApp(temp.store, { webhook: { url: 'ftp://alerts.invalid/x' } })).toThrow(/'webhook.url' must be an http\(s\) URL/);
    expect(() => supportApp(temp.store, { webhook: { url: 'https://alerts.invalid/x', retries: 11 } })).toThrow(/'webhook.retries' must be a whole number from 0 to 10/);
    expect(() => supportApp(temp.store, { onAlert: 'yes' as never })).toThrow(/'onAlert' must be a function/);
  });
});
