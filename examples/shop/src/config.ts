/**
 * The example's configuration, from the environment. The defaults are for a local demo only: they are public,
 * so anyone can mint tokens for them. Set real secrets before exposing the app.
 */
export interface ShopConfig {
  /** PORT, default 3000. */
  readonly port: number;
  /** JWT_SECRET: HMAC secret of the demo tokens (HS256), at least 32 bytes. */
  readonly jwtSecret: string;
  /** PRIVACY_KIT_DB: the SQLite file, default ./privacy-kit.db (':memory:' for a throwaway store). */
  readonly dbFile: string;
  /** PRIVACY_KIT_SECRET: the secret the audit and pseudonym keys are derived from, at least 32 bytes. */
  readonly privacySecret: string;
  /** Which defaults were used, to warn about them. */
  readonly defaulted: readonly string[];
}

export const DEMO_JWT_SECRET = 'demo-only-jwt-secret-change-me-0000000000';
export const DEMO_PRIVACY_SECRET = 'demo-only-privacy-secret-change-me-000000';
export const JWT_ISSUER = 'privacy-kit-shop';
export const JWT_AUDIENCE = 'shop-api';

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
  return {
    port,
    jwtSecret: pick('JWT_SECRET', DEMO_JWT_SECRET),
    dbFile: pick('PRIVACY_KIT_DB', 'privacy-kit.db'),
    privacySecret: pick('PRIVACY_KIT_SECRET', DEMO_PRIVACY_SECRET),
    defaulted,
  };
}
