import { resolve } from 'node:path';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type winston from 'winston';
import { createFieldCipher, createPseudonymizer, deriveKey, localKeyProvider, type FieldCipher } from '@privacy-kit/core';
import { mountController, personalData, privacy, privacyInfo, requiresConsent, type PrivacyKit } from '@privacy-kit/express';
import { createSqliteStore, type SqliteStore } from '@privacy-kit/sqlite';
import { JWT_AUDIENCE, JWT_ISSUER, defaultCheckpointFile, defaultShopDbFile, loadConfig, type ShopConfig } from './config';
import { ShopData } from './data/shop-data';
import { shopSources } from './data/shop-sources';
import { createLogger } from './logger';
import { UserProfile } from './models/user-profile.dto';
import { OrdersController } from './routes/orders.controller';

/** Distinct customers one account may read within 10 minutes before the monitor raises a mass-access alert. */
export const SUPPORT_READS_ALERT = 20;

/** The controller the incident register's Art. 33 drafts name (a demo organisation on the reserved .example domain). */
export const SHOP_CONTROLLER = Object.freeze({ name: 'Example Shop (demo)', contact: 'privacy@shop.example', dpo: 'dpo@shop.example' });

/** Everything the shop is made of, for the server, the tests and the CLI. */
export interface Shop {
  readonly app: Express;
  readonly kit: PrivacyKit;
  readonly store: SqliteStore;
  readonly data: ShopData;
  /** The field cipher the shop seals its personal columns with (its data keys live in `store`). */
  readonly cipher: FieldCipher;
  readonly logger: winston.Logger;
  /** Stops privacy()'s timers and closes the shop database and the privacy-kit store (once; later calls wait for it). */
  close(): Promise<void>;
}

/**
 * Builds the shop API. It does not listen: `server.ts` does, and the tests and `privacy-kit map` use the app as is.
 * Called with no argument it reads the environment as the server does, so `privacy-kit sweep examples/shop/src/app.ts
 * --export createShopApp` sweeps the store the server uses.
 *
 * @param config - default: `loadConfig()` (the environment)
 * @param logger - where request lines go (default: JSON on stdout)
 */
export function createShopApp(config: ShopConfig = loadConfig(), logger: winston.Logger = createLogger()): Shop {
  const checkpointFile = config.checkpointFile ?? defaultCheckpointFile(config.dbFile);
  const shopDbFile = config.shopDbFile ?? defaultShopDbFile(config.dbFile);
  if (shopDbFile !== ':memory:' && resolve(shopDbFile) === resolve(config.dbFile)) {
    throw new Error(`examples/shop: SHOP_DB_FILE (${shopDbFile}) must not be the privacy-kit store's file (PRIVACY_KIT_DB); unset it to use ${defaultShopDbFile(config.dbFile)}, or name another file.`);
  }
  const store: SqliteStore = createSqliteStore({
    filename: config.dbFile,
    auditKey: deriveKey(config.privacySecret, 'audit'),
    ...(checkpointFile === undefined ? {} : { checkpoints: { file: checkpointFile } }),
  });
  // One cipher: the store keeps the customers' data keys, wrapped under a key derived from the app secret.
  const cipher = createFieldCipher({
    keys: store,
    keyProvider: localKeyProvider({ secret: config.privacySecret }),
    blindIndexKey: deriveKey(config.privacySecret, 'blind-index'),
  });
  const pseudonymKey = deriveKey(config.privacySecret, 'pseudonym');
  // The shop's own data lives in a database of its own, as an app's would; privacy-kit's store is the other file.
  // It seals under the customer's pseudonym, the subject privacy() gives the cipher when it erases (same key).
  let data: ShopData;
  try {
    data = new ShopData(shopDbFile, { cipher, subjectOf: createPseudonymizer(pseudonymKey) });
  } catch (error) {
    void store.close().catch(() => undefined);
    throw error;
  }
  const app = express();
  app.disable('x-powered-by');
  // Behind a reverse proxy on the same host, req.ip is the client's address from X-Forwarded-For.
  app.set('trust proxy', 'loopback');

  // One request line per request. It names the caller's e-mail and IP: the log format must redact them.
  app.use(function requestLog(req: Request, res: Response, next: NextFunction): void {
    const started = Date.now();
    res.on('finish', () => {
      const subject = privacyInfo(req).actor?.id;
      // The profile is opened to name the caller: a failure to (a shut-down shop, a shredded key) only drops the name.
      const lookup = subject === undefined ? Promise.resolve(undefined) : data.userById(subject).then((user) => user?.email, () => undefined);
      void lookup.then((email) => {
        logger.info(`${req.method} ${req.originalUrl} ${res.statusCode} from ${req.ip} user=${email ?? '-'}`, { ms: Date.now() - started, requestId: privacyInfo(req).requestId });
      });
    });
    next();
  });

  const kit = privacy({
    appId: 'shop',
    store,
    pseudonymKey,
    jwt: { secret: config.jwtSecret, algorithms: ['HS256'], issuer: JWT_ISSUER, audience: JWT_AUDIENCE },
    // Users and orders, for the rights API (/privacy/me/export, /erasure, /rectification) and retention sweeps.
    sources: shopSources(data),
    // Erasure destroys the customer's data keys once the sources erased; the export opens what is still sealed.
    rights: { fieldCipher: cipher },
    // Unusual access raises an alert (an audit record, and a warning in the log): e.g. a support account reading
    // more than 20 customers' profiles within 10 minutes (npm run shop:breach-drill shows it).
    monitoring: { rules: { massAccess: { threshold: SUPPORT_READS_ALERT, windowMs: 10 * 60_000 } }, logger },
    // The incident register's Art. 34 list resolves customers' pseudonyms to their e-mail through the shop's data;
    // its Art. 33 drafts name the controller and where the authority reaches it.
    incidents: { contacts: (subjects) => data.contactsOf(subjects), controller: SHOP_CONTROLLER },
  });
  app.use(kit);
  app.use(express.json({ limit: '32kb' }));

  app.get('/health', function health(_req: Request, res: Response) {
    res.json({ status: 'ok' });
  });

  app.get(
    '/me/profile',
    personalData({ models: [UserProfile], purpose: 'essential.service', basis: 'contract', subject: 'self' }),
    async function getMyProfile(req: Request, res: Response) {
      const user = await data.userById(privacyInfo(req).subject as string);
      if (user === undefined) res.status(404).json({ error: 'not_found' });
      else res.json(user);
    },
  );

  app.get(
    '/users/:id',
    personalData({
      models: [UserProfile],
      purpose: 'essential.service.operations.support',
      basis: 'legitimate_interests',
      roles: ['support'],
      subject: (req: Request) => req.params.id,
    }),
    async function getUserForSupport(req: Request, res: Response) {
      const user = await data.userById(privacyInfo(req).subject as string);
      if (user === undefined) res.status(404).json({ error: 'not_found' });
      else res.json(user);
    },
  );

  app.get(
    '/me/recommendations',
    personalData({ categories: ['user.behavior.purchase_history'], purpose: 'personalize.content' }),
    requiresConsent('personalize.content'),
    async function getRecommendations(req: Request, res: Response) {
      res.json({ recommendations: await data.recommendationsFor(privacyInfo(req).subject as string) });
    },
  );

  app.get(
    '/me/newsletter/preview',
    personalData({ categories: ['user.name', 'user.contact.email'], purpose: 'marketing.communications.email', recipients: ['E-mail service provider'] }),
    requiresConsent('marketing.communications.email'),
    async function previewNewsletter(req: Request, res: Response) {
      const user = await data.userById(privacyInfo(req).subject as string);
      res.json({ to: user?.email ?? null, subject: `News for ${user?.name ?? 'you'}`, items: await data.recommendationsFor(user?.id ?? '') });
    },
  );

  mountController(app, new OrdersController(data));

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      kit.dispose();
      try {
        // The shop file first: a seeding under way still needs the store's data keys.
        await data.close();
      } finally {
        await store.close();
      }
    })();
    return closing;
  };

  return { app, kit, store, data, cipher, logger, close };
}
