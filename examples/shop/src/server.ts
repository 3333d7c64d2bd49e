import { loadConfig } from './config';
import { createShopApp } from './app';

const config = loadConfig();
const { app, store, logger } = createShopApp(config);
if (config.defaulted.some((name) => name.endsWith('SECRET'))) {
  const names = config.defaulted.filter((n) => n.endsWith('SECRET')).join(' and ');
  logger.warn(`Using the public demo values of ${names} (fine on your machine, never in production); set them before exposing the app.`);
}
const server = app.listen(config.port, () => {
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  logger.info(`shop listening on http://localhost:${port} (store: ${config.dbFile}); get a token with: npm run token -- --sub user-1`);
});

function shutdown(): void {
  server.close(() => {
    void store.close().then(() => process.exit(0));
  });
}
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
