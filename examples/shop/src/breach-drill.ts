import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jwt from 'jsonwebtoken';
import winston from 'winston';
import { createShopApp, SUPPORT_READS_ALERT } from './app';
import { JWT_AUDIENCE, JWT_ISSUER, loadConfig } from './config';

/** Generated customers the drill seeds: more than a support account may read in 10 minutes without an alert. */
const CUSTOMERS = SUPPORT_READS_ALERT + 10;

/**
 * `npm run shop:breach-drill`: a breach drill on a throwaway copy of the shop (its own temporary store and data,
 * generated customers, nothing of a running shop touched). A support account reads one customer's profile after
 * another; the monitor raises a mass-access alert; an admin opens an incident from it through the incident API,
 * computes its scope from the audit log and gets the Art. 33 draft, which lists how many customers were reached and
 * which categories of their data. Prints each step, then removes its files.
 */
async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'shop-breach-drill-'));
  const base = loadConfig({});
  const config = { ...base, jwtSecret: randomBytes(32).toString('hex'), privacySecret: randomBytes(32).toString('hex'), dbFile: join(dir, 'privacy-kit.db'), shopDbFile: join(dir, 'shop-data.db') };
  const quiet = winston.createLogger({ silent: true });
  const shop = createShopApp(config, quiet);
  const server = shop.app.listen(0, '127.0.0.1');
  try {
    await new Promise<void>((resolve) => server.once('listening', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const token = (sub: string, roles: string[]): string => `Bearer ${jwt.sign({ sub, roles }, config.jwtSecret, { algorithm: 'HS256', issuer: JWT_ISSUER, audience: JWT_AUDIENCE, expiresIn: '5m' })}`;
    await shop.data.ready();
    for (let n = 1; n <= CUSTOMERS; n++) {
      await shop.data.addUser({ id: `drill-customer-${n}`, name: `Drill Customer ${n}`, email: `drill-customer-${n}@example.com`, city: 'Sampletown', dateOfBirth: '1990-01-01' });
    }
    process.stdout.write(`1. ${CUSTOMERS} generated customers; the support account drill-agent reads each profile (GET /users/:id)\n`);
    const agent = token('drill-agent', ['support']);
    for (let n = 1; n <= CUSTOMERS; n++) {
      const response = await fetch(`${url}/users/drill-customer-${n}`, { headers: { authorization: agent } });
      if (response.status !== 200) throw new Error(`GET /users/drill-customer-${n} answered ${response.status}`);
    }
    await shop.kit.monitoring?.flush();
    const alerts = await shop.store.readAudit({ event: 'alert' });
    const alert = alerts[0];
    if (alert === undefined) throw new Error('no alert was raised');
    process.stdout.write(`2. alert ${alert.requestId}: ${String(alert.details?.explanation)}\n`);

    const admin = { authorization: token('drill-dpo', ['privacy-admin']), 'content-type': 'application/json' };
    const api = async (method: string, path: string, body?: unknown): Promise<Response> => {
      const response = await fetch(`${url}/privacy/admin/incidents${path}`, { method, headers: admin, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
      if (!response.ok) throw new Error(`${method} /privacy/admin/incidents${path} answered ${response.status}: ${await response.text()}`);
      return response;
    };
    const { incident } = await (await api('POST', '', { title: 'A support account read many customer profiles', alertId: alert.requestId })).json() as { incident: { id: string; deadline: string } };
    process.stdout.write(`3. incident ${incident.id} opened from the alert; notify the supervisory authority by ${incident.deadline}\n`);
    const { scope } = await (await api('POST', `/${incident.id}/scope`, {})).json() as { scope: { subjects: number; records: number; categories: { category: string; subjects: number }[] } };
    process.stdout.write(`4. scope from the audit log: ${scope.subjects} customers, ${scope.records} accesses; categories: ${scope.categories.map((c) => c.category).join(', ')}\n`);
    const draft = await (await api('GET', `/${incident.id}/draft?format=md`)).text();
    process.stdout.write(`5. the Art. 33 draft (GET /privacy/admin/incidents/${incident.id}/draft?format=md):\n\n${draft}\n`);
  } finally {
    await new Promise((resolve) => server.close(resolve));
    await shop.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`examples/shop: the breach drill failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
