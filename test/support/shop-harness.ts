import { Writable } from 'node:stream';
import jwt from 'jsonwebtoken';
import winston from 'winston';
import { createShopApp, type Shop } from '../../examples/shop/src/app';
import { JWT_AUDIENCE, JWT_ISSUER, type ShopConfig } from '../../examples/shop/src/config';

/** A logger that writes nowhere, for shops started by tests. */
export function quietLogger(): winston.Logger {
  return winston.createLogger({ transports: [new winston.transports.Stream({ stream: new Writable({ write(_c, _e, done) { done(); } }) })] });
}

/** Starts shops with a quiet logger and remembers them, so a test's afterEach can close every one. */
export function shopStarter(config: () => ShopConfig): { readonly started: Shop[]; start(): Shop; bearer(sub: string): string } {
  const started: Shop[] = [];
  return {
    started,
    start() {
      const shop = createShopApp(config(), quietLogger());
      started.push(shop);
      return shop;
    },
    bearer(sub) {
      return `Bearer ${jwt.sign({ sub, roles: [] }, config().jwtSecret, { algorithm: 'HS256', issuer: JWT_ISSUER, audience: JWT_AUDIENCE, expiresIn: '5m' })}`;
    },
  };
}
