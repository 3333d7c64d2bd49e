import express from 'express';
import express4 from 'express4';
import { randomBytes } from 'node:crypto';
import { Get, discoverApp, discoverRoutes, mountController, personalData, privacy, requiresConsent, trackSubApps, type DiscoveredRoute } from '@privacy-kit/express';
import { tempStore, JWT_OPTIONS, type TempStore } from '../support/test-app';

const declared = personalData({ categories: ['user.name'], purpose: 'essential.service', basis: 'contract' });
const ok = (_req: unknown, res: { end(): void }) => res.end();

function summary(routes: readonly DiscoveredRoute[]): string[] {
  return routes.map((r) => `${r.method} ${r.path}${r.aliases.length > 0 ? ` (+${r.aliases.join(', ')})` : ''}`);
}

describe('discoverApp: Express 5', () => {
  it('resolves nested routers and their app.use prefixes, with parameters', () => {
    const app = express();
    const inner = express.Router();
    inner.get('/items/:itemId', ok);
    const outer = express.Router();
    outer.use('/carts/:cartId', inner);
    outer.post('/carts', ok);
    app.use('/api/v2', outer);
    app.get('/', ok);
    expect(summary(discoverRoutes(app))).toEqual(['GET /api/v2/carts/:cartId/items/:itemId', 'POST /api/v2/carts', 'GET /']);
  });

  it('lists one route per method of app.route() and app.all() as ALL', () => {
    const app = express();
    app.route('/books').get(ok).post(ok);
    app.all('/any', ok);
    expect(summary(discoverRoutes(app))).toEqual(['GET /books', 'POST /books', 'ALL /any']);
  });

  it('lists a route with an array of paths once, with the other paths as aliases', () => {
    const app = express();
    app.get(['/p1', '/p2/:k'], ok);
    const shared = express.Router();
    shared.get('/status', ok);
    app.use(['/a', '/b'], shared);
    expect(summary(discoverRoutes(app))).toEqual(['GET /p1 (+/p2/:k)', 'GET /a/status (+/b/status)']);
  });

  it('names the answering handler and collects the declarations of twins on the route', () => {
    const app = express();
    app.get('/me/feed', declared, requiresConsent('personalize.content'), function getFeed(_req, res) { res.end(); });
    app.get('/anon', (_req, res) => { res.end(); });
    const [feed, anon] = discoverRoutes(app);
    expect(feed?.handlerName).toBe('getFeed');
    expect(feed?.markers.map((m) => m.where)).toEqual(['personalData()', 'requiresConsent()']);
    expect(anon?.handlerName).toBe('<anonymous>');
    expect(anon?.markers).toEqual([]);
  });

  it('applies a use() declaration to the later routes under its prefix only', () => {
    const app = express();
    const router = express.Router();
    router.get('/before', ok);
    router.use('/secure', declared);
    router.get('/secure/data', ok);
    router.get('/open', ok);
    app.use('/r', router);
    app.get('/r2/secure/data', ok);
    const markers = Object.fromEntries(discoverRoutes(app).map((r) => [r.path, r.markers.length]));
    expect(markers).toEqual({ '/r/before': 0, '/r/secure/data': 1, '/r/open': 0, '/r2/secure/data': 0 });
  });

  it('finds routes of a mounted controller class under the router prefix', () => {
    class Catalog {
      @Get('/products')
      list(): string[] { return []; }
    }
    const router = express.Router();
    mountController(router, new Catalog());
    const app = express();
    app.use('/shop', router);
    expect(discoverRoutes(app).map((r) => [r.method, r.path, r.handlerName])).toEqual([['GET', '/shop/products', 'Catalog.list']]);
  });

  it('keeps a RegExp mount as regexp:<source>', () => {
    const app = express();
    app.use(/^\/re(?:g)?/, express.Router().get('/z', ok));
    expect(summary(discoverRoutes(app))).toEqual(['GET regexp:^\\/re(?:g)?/z']);
  });
});

describe('discoverApp: mounts it cannot look into', () => {
  it.each<[string, typeof express]>([['Express 5', express], ['Express 4', express4]])(
    'lists a function mounted on a path as unseen (%s), with a warning naming the path',
    (_name, x) => {
      const app = x();
      const router = x.Router();
      router.get('/feed', declared, ok);
      app.use('/wrap', (req, res, next) => router(req, res, next));
      app.use('/api/:version', function versioned(req, res, next) { router(req, res, next); });
      const found = discoverApp(app);
      expect(found.unseen).toEqual([
        { path: '/wrap', kind: 'function', handler: '<anonymous>' },
        { path: '/api/:version', kind: 'function', handler: 'versioned' },
      ]);
      expect(found.warnings).toEqual([expect.stringContaining('mounted at /wrap'), expect.stringContaining('mounted at /api/:version')]);
    },
  );

  it("does not list middleware mounted at the root, routers, twins, or Express's own static and body-parsing middleware", () => {
    const app = express();
    app.use((_req, _res, next) => next());
    app.use(express.json());
    app.use('/assets', express.static('public'));
    app.use('/forms', express.urlencoded({ extended: false }));
    app.use('/secure', declared);
    app.use('/r', express.Router().get('/x', ok));
    expect(discoverApp(app).unseen).toEqual([]);
  });
});

describe('discoverApp: Express 4', () => {
  it('turns compiled mount regexps back into paths: parameters, optional parameters, stars, arrays', () => {
    const app = express4();
    app.use('/accounts/:accountId', express4.Router().get('/orders/:orderId', ok));
    app.use('/opt/:maybe?', express4.Router().get('/x', ok));
    app.use('/files/*', express4.Router().get('/y', ok));
    app.use(['/a', '/b'], express4.Router().get('/status', ok));
    app.use('/v1.0/x-y', express4.Router().get('/d', ok));
    app.get('/legacy/*', ok);
    expect(summary(discoverRoutes(app))).toEqual([
      'GET /accounts/:accountId/orders/:orderId',
      'GET /opt/:maybe?/x',
      'GET /files/*/y',
      'GET /a/status (+/b/status)',
      'GET /v1.0/x-y/d',
      'GET /legacy/*',
    ]);
  });

  it('keeps a RegExp mount that Express 4 did not generate as regexp:<source>', () => {
    const app = express4();
    app.use(/^\/v\d+/, express4.Router().get('/items', ok));
    expect(summary(discoverRoutes(app))).toEqual(['GET regexp:^\\/v\\d+/items']);
  });

  it('reads twin declarations on Express 4 routes and use() middleware', () => {
    const app = express4();
    const router = express4.Router();
    router.use(declared);
    router.get('/me', ok);
    app.use('/v1', router);
    expect(discoverRoutes(app).map((r) => [r.path, r.markers.length])).toEqual([['/v1/me', 1]]);
  });
});

describe('discoverApp: sub-apps and the privacy() kit', () => {
  let t: TempStore;
  beforeEach(() => { t = tempStore(); });
  afterEach(() => t.cleanup());

  it('warns that a sub-app mounted with app.use(path, app) hides its routes', () => {
    const sub = express();
    sub.get('/inner', ok);
    const app = express();
    app.use('/sub', sub);
    const found = discoverApp(app);
    expect(found.routes).toEqual([]);
    expect(found.warnings).toEqual([expect.stringContaining('A sub-app is mounted at /sub')]);
  });

  it('lists a sub-app mounted while sub-apps were not tracked as an unseen mount', () => {
    const sub = express();
    sub.get('/inner', ok);
    const app = express();
    app.use('/sub', sub);
    expect(discoverApp(app).unseen).toEqual([{ path: '/sub', kind: 'sub-app', handler: '<sub-app>' }]);
  });

  it('walks sub-apps mounted after trackSubApps(express)', () => {
    expect(trackSubApps(express)).toBe(true);
    const sub = express();
    sub.get('/inner/:id', ok);
    const app = express();
    app.use('/sub', sub);
    const found = discoverApp(app);
    expect(summary(found.routes)).toEqual(['GET /sub/inner/:id']);
    expect(found.warnings).toEqual([]);
  });

  it("finds the privacy() kit and leaves privacy-kit's own endpoints out of the app's routes", () => {
    const app = express();
    const kit = privacy({ store: t.store, pseudonymKey: randomBytes(32), jwt: JWT_OPTIONS });
    app.use(kit);
    app.get('/me', declared, ok);
    const found = discoverApp(app);
    expect(found.kit).toBe(kit);
    expect(summary(found.routes)).toEqual(['GET /me']);
    expect(found.warnings).toEqual([]);
    kit.dispose();
  });
});

describe('discoverApp: source locations', () => {
  const handlers = require('./fixtures/located-handlers.js') as Record<string, (req: unknown, res: { json(v: unknown): void }) => void>;

  it('finds the file and line where each answering handler is defined, relative to cwd', () => {
    const app = express();
    app.get('/orders', declared, handlers.listOrders as never);
    app.get('/orders/:id', handlers.showOrder as never);
    app.get('/bound', handlers.boundOrders as never);
    const routes = discoverApp(app, { sourceLocations: true, cwd: process.cwd() }).routes;
    expect(routes.map((r) => r.source)).toEqual([
      { file: 'packages/express/test/discovery/fixtures/located-handlers.js', line: 4, column: expect.any(Number) },
      { file: 'packages/express/test/discovery/fixtures/located-handlers.js', line: 8, column: expect.any(Number) },
      { file: 'packages/express/test/discovery/fixtures/located-handlers.js', line: 4, column: expect.any(Number) },
    ]);
    expect(routes[2]?.handlerName).toBe('listOrders');
  });

  it('leaves source out unless asked, and gives null for a function it cannot place', () => {
    const app = express();
    app.get('/x', handlers.listOrders as never);
    app.get('/native', Math.max as never);
    expect(discoverRoutes(app)[0]).not.toHaveProperty('source');
    expect(discoverApp(app, { sourceLocations: true }).routes[1]?.source).toBeNull();
  });
});
