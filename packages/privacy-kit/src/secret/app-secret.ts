import { randomBytes } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { MIN_KEY_BYTES, type PrivacyKitError } from '@privacy-kit/core';
import { umbrellaError } from '../errors';

/** The environment variable privacy() derives its keys from (the CLI reads the same one). */
export const SECRET_ENV = 'PRIVACY_KIT_SECRET';
/** The file, next to the database, that keeps the secret privacy() made outside production. */
export const SECRET_FILE_NAME = '.privacy-kit-secret';

const MAKE_ONE = `make one once with \`openssl rand -base64 32\` and set ${SECRET_ENV} to it in the app's environment`;

/** Where the secret comes from and who is told when one is made. */
export interface AppSecretSource {
  /** The environment (`PRIVACY_KIT_SECRET`, `NODE_ENV`). */
  readonly env: NodeJS.ProcessEnv;
  /** The database file; a secret made outside production is kept next to it. */
  readonly dbFile: string;
  /** Told once, when a secret file is created (never given the secret). */
  readonly tell: (notice: PrivacyKitError) => void;
}

/**
 * The app secret the audit and pseudonym keys are derived from: `PRIVACY_KIT_SECRET` when set (at least 32 bytes).
 * Without it, production (`NODE_ENV=production`) refuses to start and says how to make one; elsewhere the secret is
 * read from `.privacy-kit-secret` next to the database, or created there (32 random bytes, base64, mode 0600) and
 * the app is told once where. A file other users can read, or one too short, is refused.
 *
 * @param source - the environment, the database file and who to tell
 */
export function appSecret(source: AppSecretSource): string {
  const given = source.env[SECRET_ENV];
  if (given !== undefined && given !== '') {
    if (Buffer.byteLength(given, 'utf8') < MIN_KEY_BYTES) {
      throw umbrellaError('PK_AUDIT_KEY', `privacy(): ${SECRET_ENV} must be at least ${MIN_KEY_BYTES} bytes (it has ${Buffer.byteLength(given, 'utf8')}); ${MAKE_ONE}.`);
    }
    return given;
  }
  if (source.env.NODE_ENV === 'production') {
    throw umbrellaError(
      'PK_SECRET_MISSING',
      `privacy(): NODE_ENV is production and ${SECRET_ENV} is not set. The audit chain and the pseudonyms are keyed with it, so it must be ` +
        `set explicitly and kept (without it the audit log cannot be verified): ${MAKE_ONE}. (A secret file is only made outside production.)`,
    );
  }
  const file = join(dirname(resolve(source.dbFile)), SECRET_FILE_NAME);
  const existing = readSecretFile(file);
  if (existing !== undefined) return existing;
  const secret = randomBytes(32).toString('base64');
  try {
    writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    // Another process of the same app made it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return readSecretFile(file) as string;
    throw umbrellaError('PK_IO', `privacy(): cannot create the secret file ${file}: check that its folder is writable, or set ${SECRET_ENV}.`, { cause: error });
  }
  source.tell(umbrellaError(
    'PK_SECRET_MISSING',
    `privacy(): ${SECRET_ENV} is not set, so a new secret was made in ${file} (readable only by you) and will be used on every start. ` +
      `Keep it with the database: the audit log verifies, and pseudonyms match, only with it. In production set ${SECRET_ENV} (\`openssl rand -base64 32\`).`,
  ));
  return secret;
}

/** The secret in an existing file, checked; undefined when there is no file. */
function readSecretFile(file: string): string | undefined {
  let mode: number;
  try {
    mode = statSync(file).mode;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw umbrellaError('PK_IO', `privacy(): cannot read the secret file ${file}; set ${SECRET_ENV} instead.`, { cause: error });
  }
  // Windows has no such permission bits.
  if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
    throw umbrellaError('PK_SECRET_MISSING', `privacy(): the secret file ${file} can be read by other users (mode ${(mode & 0o777).toString(8)}); run \`chmod 600 ${file}\`.`);
  }
  const secret = readFileSync(file, 'utf8').trim();
  if (Buffer.byteLength(secret, 'utf8') < MIN_KEY_BYTES) {
    throw umbrellaError('PK_SECRET_MISSING', `privacy(): the secret file ${file} holds less than ${MIN_KEY_BYTES} bytes; put the app's secret back into it, or set ${SECRET_ENV}.`);
  }
  return secret;
}
