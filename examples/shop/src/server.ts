import type { Server } from 'node:http';
import { loadConfig } from './config';
import { createShopApp } from './app';

const config = loadConfig();
const shop = createShopApp(config);
const { app, logger } = shop;
if (config.defaulted.some((name) => name.endsWith('SECRET'))) {
  const names = config.defaulted.filter((n) => n.endsWith('SECRET')).join(' and ');
  logger.warn(`Using the public demo values of ${names} (fine on your machine, never in production); set them before exposing the app.`);
}
let server: Server | undefined;

function listen(): void {
  const listening = app.listen(config.port, config.host, () => {
    const address = listening.address();
    const port = typeof address === 'object' && address !== null ? address.port : config.port;
    const bound = typeof address === 'object' && address !== null ? address.address : config.host;
    const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
    const loopback = /^127\./.test(bound) || bound === '::1';
    const where = loopback ? `bound to ${bound} only; set HOST to listen elsewhere` : `bound to ${bound}: reachable from other machines`;
    logger.info(`shop listening on ${url} (${where}; store: ${config.dbFile}; shop data: ${shop.data.filename}); get a token with: npm run token -- --sub user-1`);
  });
  server = listening;
}

// A new shop file is seeded (sealed) first: a failure there stops the server before it answers anyone.
shop.data.ready().then(listen, (error: unknown) => {
  logger.error(`examples/shop: the shop database could not be prepared: ${error instanceof Error ? error.message : String(error)}`);
  void shop.close().finally(() => process.exit(1));
});

function shutdown(): void {
  const stopped = (): void => {
    void shop.close().then(() => process.exit(0));
  };
  if (server === undefined) stopped();
  else server.close(stopped);
}
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
