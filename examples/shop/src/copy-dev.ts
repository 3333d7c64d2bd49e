import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '@privacy-kit/cli';
import { defaultShopDbFile, loadConfig } from './config';

/** The demo's copy secret: public, like the other demo secrets. Set PRIVACY_KIT_COPY_SECRET for real copies. */
export const DEMO_COPY_SECRET = 'demo-only-copy-secret-change-me-0000000000';

/**
 * `npm run shop:copy [-- --to FILE]`: a safe copy of the shop's database for development, made by `privacy-kit
 * pseudonymize` with the mapping in `pseudonymization.ts`. The source is the shop's file (SHOP_DB_FILE, default
 * shop-data.db next to the store), the target `shop-data.dev.db` next to it unless `--to` says otherwise; the run is
 * audited in the shop's privacy-kit store. Further arguments go to the command (e.g. `--json`, `--dry-run`).
 */
async function main(argv: readonly string[]): Promise<number> {
  const config = loadConfig();
  if (config.dbFile === ':memory:') {
    process.stderr.write('examples/shop: PRIVACY_KIT_DB is :memory:, so there is no shop database to copy; run the shop on a file first (npm start).\n');
    return 2;
  }
  const source = config.shopDbFile ?? defaultShopDbFile(config.dbFile);
  if (!existsSync(source)) {
    process.stderr.write(`examples/shop: there is no shop database at ${source} yet: start the shop once (npm start seeds it), stop it, then run npm run shop:copy.\n`);
    return 2;
  }
  const copySecret = process.env.PRIVACY_KIT_COPY_SECRET;
  const env = {
    ...process.env,
    PRIVACY_KIT_SECRET: config.privacySecret,
    PRIVACY_KIT_COPY_SECRET: copySecret === undefined || copySecret === '' ? DEMO_COPY_SECRET : copySecret,
  };
  if (config.defaulted.includes('PRIVACY_KIT_SECRET') || env.PRIVACY_KIT_COPY_SECRET === DEMO_COPY_SECRET) {
    process.stderr.write('examples/shop: using the public demo secrets (PRIVACY_KIT_SECRET, PRIVACY_KIT_COPY_SECRET); set your own for real data.\n');
  }
  const args = [...argv];
  if (!args.includes('--to')) args.push('--to', join(source === ':memory:' ? '.' : join(source, '..'), 'shop-data.dev.db'));
  return run(['pseudonymize', '--from', source, '--mapping', join(__dirname, 'pseudonymization.js'), '--store', config.dbFile, ...args], { env });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`examples/shop: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);
