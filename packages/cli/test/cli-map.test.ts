import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv';
import { INVENTORY_SCHEMA, type Inventory } from '@privacy-kit/core';
import { FIXTURES, runCli } from './support/run-cli';

const validate = new Ajv({ allErrors: true, allowUnionTypes: true }).compile(INVENTORY_SCHEMA);

function mapJson(module: string, ...args: string[]): Inventory {
  const run = runCli(['map', `${FIXTURES}/${module}`, '--format', 'json', ...args]);
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  const inventory = JSON.parse(run.stdout) as Inventory;
  expect(validate(inventory)).toBe(true);
  return inventory;
}

const ids = (inventory: Inventory): string[] => inventory.routes.map((r) => `${r.id}${r.annotated ? '' : ' (bare)'}`);

describe('privacy-kit map: each kind of app and mount', () => {
  it('maps a plain Express 5 app that uses only the function twins, named after its kit', () => {
    const inventory = mapJson('twins-app.ts');
    expect(inventory.app.name).toBe('twins-shop');
    expect(ids(inventory)).toEqual(['GET /health (bare)', 'GET /me/profile', 'GET /users/:id', 'GET /me/recommendations', 'POST /me/newsletter']);
    const profile = inventory.routes[1];
    expect(profile).toMatchObject({ handler: 'getProfile', source: { file: `${FIXTURES}/twins-app.ts`, line: 16 } });
    expect(profile?.processing).toMatchObject({ categories: ['user.name', 'user.contact.email'], basis: 'contract', retention: { text: '2y' } });
    expect(inventory.routes[2]?.processing?.subject).toEqual({ resolution: 'resolver', resolver: expect.stringMatching(/req\.params\.id/) });
    expect(inventory.routes[4]?.processing).toMatchObject({ consentRequired: true, recipients: ['Mailer Ltd (e-mail delivery)'] });
    expect(inventory.warnings).toEqual([]);
  });

  it('maps an Express 4 app in JavaScript: parameter and array mounts and star paths', () => {
    const inventory = mapJson('express4-app.js');
    expect(ids(inventory)).toEqual(['GET /accounts/:accountId/orders/:orderId', 'GET /a/status (bare)', 'GET /legacy/* (bare)']);
    expect(inventory.routes[1]?.aliases).toEqual(['/b/status']);
    expect(inventory.routes[0]?.problems).toEqual([]);
  });

  it('maps nested routers, a router-level declaration and a sub-app mounted with app.use(path, app)', () => {
    const inventory = mapJson('nested-routers-app.ts');
    expect(ids(inventory)).toEqual(['GET /api/v1/account/settings', 'GET /api/v1/account/address', 'GET /api/v1/ping (bare)', 'GET /reports/monthly']);
    expect(inventory.routes[1]?.processing?.categories).toEqual(['user.account', 'user.contact.address']);
    expect(inventory.warnings).toEqual([]);
  });

  it('maps a decorated controller class mounted on a router, with its models', () => {
    const inventory = mapJson('controller-app.ts');
    expect(ids(inventory)).toEqual(['GET /shop/customers/me', 'POST /shop/customers/me/offers', 'GET /shop/customers/count (bare)']);
    expect(inventory.routes[0]).toMatchObject({ handler: 'CustomerController.me', processing: { models: ['CustomerDto'], special: true, specialCategories: ['user.health_and_medical'] } });
    expect(inventory.models.map((m) => [m.name, m.fields.map((f) => f.property)])).toEqual([['CustomerDto', ['name', 'email', 'allergies']]]);
  });
});

describe('privacy-kit map: ES modules', () => {
  it.each([['esm-app.mjs'], ['esm-ts-app.mts']])('maps an app exported by the ES module %s', (module) => {
    const inventory = mapJson(module);
    expect(inventory.routes.map((r) => [r.id, r.handler, r.source?.file])).toEqual([['GET /me', 'me', `${FIXTURES}/${module}`]]);
  });
});

describe('privacy-kit map: formats and output', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'pk-cli-map-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the Art. 30 record as markdown, with the controller from the config file', () => {
    const run = runCli(['map', `${FIXTURES}/twins-app.ts`, '--format', 'md', '--config', `${FIXTURES}/allow-health.config.json`]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^# Record of processing activities: twins-shop\n/);
    expect(run.stdout).toContain('| Name | Twins Shop Ltd |');
    expect(run.stdout).toContain('- Mailer Ltd (e-mail delivery): for `marketing.communications.email` (POST /me/newsletter)');
  });

  it('writes the Mermaid data-flow diagram', () => {
    const run = runCli(['map', `${FIXTURES}/twins-app.ts`, '--format', 'mermaid']);
    expect(run.status).toBe(0);
    expect(run.stdout.split('\n')[0]).toBe('flowchart LR');
    expect((run.stdout.match(/\["(GET|POST) /g) ?? []).length).toBe(4);
  });

  it('writes to --out, taking the format from the extension, and says what it wrote', () => {
    const file = join(dir, 'nested', 'map.html');
    const run = runCli(['map', `${FIXTURES}/twins-app.ts`, '--out', file]);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(`Wrote ${file} (html): 5 routes, 4 annotated, 1 without annotation.\n`);
    expect(readFileSync(file, 'utf8')).toMatch(/^<!doctype html>/);
  });

  it('prints JSON when piped and no format is given', () => {
    const run = runCli(['map', `${FIXTURES}/nested-routers-app.ts`]);
    expect(run.status).toBe(0);
    expect((JSON.parse(run.stdout) as Inventory).summary.routes).toBe(4);
  });

  it('prints a table with --format table', () => {
    const run = runCli(['map', `${FIXTURES}/twins-app.ts`, '--format', 'table']);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('twins-shop: 5 routes (4 annotated, 1 without annotation)');
    expect(run.stdout).toMatch(/^METHOD\s+PATH\s+HANDLER\s+CATEGORIES\s+PURPOSES\s+BASIS\s+OBSERVED$/m);
    expect(run.stdout).toMatch(/^GET\s+\/health\s+health\s+\(no annotation\)$/m);
  });

  it('refuses an --out name it cannot tell the format of', () => {
    const run = runCli(['map', `${FIXTURES}/twins-app.ts`, '--out', join(dir, 'map.txt')]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("cannot tell the format from");
    expect(existsSync(join(dir, 'map.txt'))).toBe(false);
  });
});

describe('privacy-kit map: modules that are not what it needs', () => {
  it('says when the module does not exist (exit 3)', () => {
    const run = runCli(['map', `${FIXTURES}/nope.ts`]);
    expect(run.status).toBe(3);
    expect(run.stderr).toBe(`error: privacy-kit: no such module: ${FIXTURES}/nope.ts. Give the path of a module that exports your Express app, e.g. src/app.ts.\n`);
  });

  it('says when the module fails to load, with its error and where (exit 3)', () => {
    const run = runCli(['map', `${FIXTURES}/throws-on-load.ts`]);
    expect(run.status).toBe(3);
    expect(run.stderr).toBe(
      `error: privacy-kit: cannot load ${FIXTURES}/throws-on-load.ts: DATABASE_URL is not set (at ${FIXTURES}/throws-on-load.ts:3:7). ` +
        'Fix the error, or point privacy-kit at a module that builds the app without starting it.\n',
    );
  });

  it('lists what a module exports when none is an app, and says how to call a factory (exit 3)', () => {
    const run = runCli(['map', `${FIXTURES}/no-app.ts`]);
    expect(run.status).toBe(3);
    expect(run.stderr).toContain('does not export an Express app. It exports: createApp (a function (createApp)), version (a string).');
    expect(run.stderr).toContain("'createApp' is a function, not an app: if it builds the app, name it with --export createApp and privacy-kit calls it (with no argument, or with the JSON of --app-config FILE).");
  });

  it('takes the app from --export and says when that export is not an app', () => {
    const chosen = mapJson('rules-apps.ts', '--export', 'undeclared');
    expect(chosen.routes.map((r) => r.id)).toEqual(['GET /me', 'GET /debug', 'GET /health']);
    const run = runCli(['map', `${FIXTURES}/rules-apps.ts`, '--export', 'nothing']);
    expect(run.status).toBe(3);
    expect(run.stderr).toContain("export 'nothing' is missing, not an Express app or a function that builds one. Exports: consentWithoutPurpose, invalidDeclaration, missingBasis, undeclared.");
  });

  it('asks to choose when a module exports several apps', () => {
    const run = runCli(['map', `${FIXTURES}/rules-apps.ts`]);
    expect(run.status).toBe(3);
    expect(run.stderr).toBe(`error: privacy-kit: ${FIXTURES}/rules-apps.ts exports several Express apps (consentWithoutPurpose, invalidDeclaration, missingBasis, undeclared): choose one with --export <name>.\n`);
  });
});

describe('privacy-kit map: apps built by a factory or exported as a promise', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'pk-cli-factory-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const factory = (...args: string[]) => runCli(['map', `${FIXTURES}/factory-app.ts`, '--format', 'json', ...args]);

  it('calls the factory --export names with no argument and maps the app it returns', () => {
    expect(mapJson('factory-app.ts', '--export', 'createApp').app.name).toBe('factory-shop');
  });

  it('passes the parsed JSON of --app-config to the factory', () => {
    const config = join(dir, 'app.json');
    writeFileSync(config, JSON.stringify({ appId: 'configured-shop' }));
    expect(mapJson('factory-app.ts', '--export', 'createApp', '--app-config', config).app.name).toBe('configured-shop');
  });

  it('awaits a factory that returns a promise', () => {
    expect(mapJson('factory-app.ts', '--export', 'createAppAsync').app.name).toBe('async-shop');
  });

  it('takes the app from an object a factory returns ({ app, ... })', () => {
    expect(mapJson('factory-app.ts', '--export', 'createShop').app.name).toBe('shop-object');
  });

  it('awaits an app exported as a promise', () => {
    expect(mapJson('factory-app.ts', '--export', 'ready').app.name).toBe('promised-shop');
  });

  it('says when the factory throws, with its error and where (exit 3)', () => {
    const run = factory('--export', 'createBroken');
    expect(run.status).toBe(3);
    expect(run.stderr).toBe(
      `error: privacy-kit: ${FIXTURES}/factory-app.ts: createBroken() failed: SHOP_DB_URL is not set (at ${FIXTURES}/factory-app.ts:33:9). ` +
        'Fix the error, or point privacy-kit at a module that builds the app without starting it.\n',
    );
  });

  it("says when the factory's promise rejects (exit 3)", () => {
    const run = factory('--export', 'createRejecting');
    expect(run.status).toBe(3);
    expect(run.stderr).toContain(`error: privacy-kit: ${FIXTURES}/factory-app.ts: createRejecting() failed: the shop database refused the connection (at ${FIXTURES}/factory-app.ts:39:9).`);
  });

  it('says when what the factory returns is not an app (exit 3)', () => {
    const run = factory('--export', 'version');
    expect(run.status).toBe(3);
    expect(run.stderr).toBe(`error: privacy-kit: ${FIXTURES}/factory-app.ts: version() returned a string, not an Express app. Return the app (or an object with an \`app\`) from the factory.\n`);
  });

  it('says when the export is neither an app nor a function (exit 3)', () => {
    const run = factory('--export', 'port');
    expect(run.status).toBe(3);
    expect(run.stderr).toContain(`${FIXTURES}/factory-app.ts: export 'port' is a number, not an Express app or a function that builds one. Exports: createApp, createAppAsync, createBroken, createRejecting, createShop, port, ready, version.`);
  });

  it('refuses --app-config without --export, or for an export that is an app already (exit 2)', () => {
    const config = join(dir, 'app.json');
    writeFileSync(config, '{}');
    const alone = factory('--app-config', config);
    expect(alone).toMatchObject({ status: 2, stderr: 'error: privacy-kit: --app-config is the argument of a factory: name the factory with --export NAME (e.g. --export createApp).\n' });
    const app = runCli(['map', `${FIXTURES}/twins-app.ts`, '--export', 'app', '--app-config', config]);
    expect(app).toMatchObject({ status: 2, stderr: `error: privacy-kit: ${FIXTURES}/twins-app.ts: export 'app' is an Express app already, not a factory: drop --app-config, or --export the function that builds the app.\n` });
  });

  it('refuses an --app-config file that is missing or not JSON (exit 2)', () => {
    const missing = factory('--export', 'createApp', '--app-config', join(dir, 'none.json'));
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain(`--app-config: no such file ${join(dir, 'none.json')}.`);
    writeFileSync(join(dir, 'broken.json'), '{ appId: ');
    const broken = factory('--export', 'createApp', '--app-config', join(dir, 'broken.json'));
    expect(broken.status).toBe(2);
    expect(broken.stderr).toContain(`--app-config: ${join(dir, 'broken.json')} is not JSON (`);
  });
});
