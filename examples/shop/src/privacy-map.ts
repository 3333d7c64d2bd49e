import { loadConfig } from './config';
import { createShopApp } from './app';

/**
 * The shop app for `privacy-kit map|check` (not started; a throwaway in-memory store and shop database).
 *
 * @example
 * npx privacy-kit map examples/shop/src/privacy-map.ts --format md
 */
export const app = createShopApp({ ...loadConfig(), dbFile: ':memory:', shopDbFile: ':memory:' }).app;
