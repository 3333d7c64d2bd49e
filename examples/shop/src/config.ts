import { dirname, join } from 'node:path';

/**
 * The example's configuration, from the environment. The defaults are for a local demo only: they are public,
 * so anyone can mint tokens for them. Set real secrets before exposing the app.
 */
export interface ShopConfig {
  /** PORT, default 3000. */
  readonly port: number;
  /**
   * HOST: the interface to listen on, default `localhost` (this machine only). `0.0.0.0` (or `::`) listens on every
   * interface, e.g. in a container; set real secrets first.
   */
  readonly host: string;
  /** JWT_SECRET: HMAC secret of the demo tokens (HS256), at least 32 bytes. */
  readonly jwtSecret: string;
  /** PRIVACY_KIT_DB: the SQLite file, default ./privacy-kit.db (':memory:' for a throwaway store). */
  readonly dbFile: string;
  /**
   * PRIVACY_KIT_CHECKPOINTS: where the store publishes signed checkpoints of its audit log (an anchor outside the
   * database; `privacy-kit audit verify --checkpoint FILE` checks the log against it). Unset: the app uses
   * {@link defaultCheckpointFile} of its database. In production put it where whoever can write the database cannot
   * rewrite it (another volume or host, append-only).
   */
  readonly checkpointFile: string | undefined;
  /**
   * SHOP_DB_FILE: the shop's own SQLite file (its users and orders), apart from the privacy-kit store's. Unset: the
   * app uses {@link defaultShopDbFile} of the store's file (`shop-data.db` next to it; ':memory:' with a store in
   * memory).
   */
  readonly shopDbFile: string | undefined;
  /** PRIVACY_KIT_SECRET: the secret the audit and pseudonym keys are derived from, at least 32 bytes. */
  readonly privacySecret: string;
  /** Which defaults were used, to warn about them. */
  readonly defaulted: readonly string[];
}

export const DEMO_JWT_SECRET = 'demo-only-jwt-secret-change-me-0000000000';
export const DEMO_PRIVACY_SECRET = 'demo-only-privacy-secret-change-me-000000';
export const JWT_ISSUER = 'privacy-kit-shop';
export const JWT_AUDIENCE = 'shop-api';

/** The demo's checkpoint file: `privacy-kit-checkpoints.jsonl` next to the database; none for ':memory:'. */
export function defaultCheckpointFile(dbFile: string): string | undefined {
  return dbFile === ':memory:' ? undefined : join(dirname(dbFile), 'privacy-kit-checkpoints.jsonl');
}

/** The shop's database by default: `shop-data.db` next to the privacy-kit store's file; in memory with a store in memory. */
export function defaultShopDbFile(dbFile: string): string {
  return dbFile === ':memory:' ? ':memory:' : join(dirname(dbFile), 'shop-data.db');
}

/** Reads the configuration from `env` (default `process.env`). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ShopConfig {
  const defaulted: string[] = [];
  const pick = (name: string, fallback: string): string => {
    const value = env[name];
    if (value === undefined || value === '') {
      defaulted.push(name);
      return fallback;
    }
    return value;
  };
  const portText = pick('PORT', '3000');
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`examples/shop: PORT must be a port number (0-65535); got ${JSON.stringify(portText)}.`);
  }
  const checkpoints = env.PRIVACY_KIT_CHECKPOINTS;
  const shopDb = env.SHOP_DB_FILE;
  return {
    port,
    host: pick('HOST', 'localhost'),
    jwtSecret: pick('JWT_SECRET', DEMO_JWT_SECRET),
    dbFile: pick('PRIVACY_KIT_DB', 'privacy-kit.db'),
    checkpointFile: checkpoints === undefined || checkpoints === '' ? undefined : checkpoints,
    shopDbFile: shopDb === undefined || shopDb === '' ? undefined : shopDb,
    privacySecret: pick('PRIVACY_KIT_SECRET', DEMO_PRIVACY_SECRET),
    defaulted,
  };
}
