import { randomBytes } from 'node:crypto';
import express, { type Express, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import request from 'supertest';
import { personalData, privacy, type PrivacyKit } from '@privacy-kit/express';
import { createSqliteStore } from '@privacy-kit/sqlite';

/**
 * The README's "Where privacy() goes": after the access logger and the auth middleware, before the routes. These
 * tests show why, on an app with each of the usual middlewares.
 */
type Order = 'recommended' | 'privacy first';

interface Built {
  readonly app: Express;
  readonly kit: PrivacyKit;
  readonly log: string[];
}

function build(order: Order): Built {
  const log: string[] = [];
  const accessLog: RequestHandler = (req: Request, res: Response, next: NextFunction) => {
    res.on('finish', () => log.push(`${req.method} ${req.originalUrl} ${res.statusCode}`));
    next();
  };
  // The app's own authentication (passport and sessions work alike): it sets req.user.
  const auth: RequestHandler = (req: Request, _res: Response, next: NextFunction) => {
    const id = req.get('x-test-user');
    if (id !== undefined) (req as Request & { user?: { id: string } }).user = { id };
    next();
  };
  const kit = privacy({
    appId: 'order-test',
    store: createSqliteStore({ filename: ':memory:', auditKey: randomBytes(32) }),
    pseudonymKey: randomBytes(32),
    identify: (req) => {
      const user = (req as Request & { user?: { id: string } }).user;
      return user === undefined ? null : { id: user.id, roles: [] };
    },
  });
  const app = express();
  if (order === 'privacy first') app.use(kit);
  app.use(accessLog);
  app.use(auth);
  app.use(express.json());
  if (order === 'recommended') app.use(kit);
  app.get('/me/profile', personalData({ categories: ['user.name'], purpose: 'essential.service', basis: 'contract' }), (_req: Request, res: Response) => {
    res.json({ name: 'Test User' });
  });
  return { app, kit, log };
}

describe("README: where privacy() goes", () => {
  const built: Built[] = [];
  const make = (order: Order): Built => {
    const b = build(order);
    built.push(b);
    return b;
  };
  afterEach(async () => {
    for (const b of built.splice(0)) {
      b.kit.dispose();
      await b.kit.store.close();
    }
  });

  it("after the access logger, the app's access log sees the requests privacy() answers itself", async () => {
    const { app, log } = make('recommended');
    await request(app).get('/privacy/me/consents').set('x-test-user', 'user-1').expect(200);
    expect(log).toEqual(['GET /privacy/me/consents 200']);
  });

  it('mounted first, privacy() answers /privacy/* before the access log sees them', async () => {
    const { app, log } = make('privacy first');
    await request(app).get('/privacy/me/consents').set('x-test-user', 'user-1');
    expect(log).toEqual([]);
  });

  it('after the auth middleware, its own endpoints identify the caller from req.user; before it, they answer 401', async () => {
    await request(make('recommended').app).get('/privacy/me/consents').set('x-test-user', 'user-1').expect(200);
    await request(make('privacy first').app).get('/privacy/me/consents').set('x-test-user', 'user-1').expect(401);
  });

  it('either way, an annotated route behind both is identified and served', async () => {
    for (const order of ['recommended', 'privacy first'] as const) {
      await request(make(order).app).get('/me/profile').set('x-test-user', 'user-1').expect(200);
    }
  });
});
