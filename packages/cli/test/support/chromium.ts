import { accessSync, constants, createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createBrotliDecompress } from 'node:zlib';
import { chromium, type BrowserContext } from 'playwright-core';
import { ROOT } from './run-cli';

/**
 * The browser tests' Chromium comes from the npm registry, like every other test dependency: the `@sparticuz/chromium`
 * devDependency ships a headless Chromium for Linux x64 inside its tarball (brotli-compressed), which needs only
 * libraries every Debian machine with Node has (libnss3, libnspr4, libexpat1). It is inflated once into
 * node_modules/.cache. PRIVACY_KIT_CHROMIUM names another Chromium binary instead (e.g. /usr/bin/chromium).
 */
export const CHROMIUM_ENV = 'PRIVACY_KIT_CHROMIUM';
/** What installs the libraries the packaged Chromium needs, when a machine lacks them. */
export const CHROMIUM_FIX = 'bash scripts/install-chromium.sh';
const PACKAGE = '@sparticuz/chromium';
const DEFAULT_CACHE = join(ROOT, 'node_modules', '.cache', 'privacy-kit');

/** Where the Chromium the tests drive comes from. */
export interface ChromiumLookup {
  /** The environment (PRIVACY_KIT_CHROMIUM). Default: the process's. */
  readonly env?: NodeJS.ProcessEnv;
  /** Where the packaged Chromium is inflated. Default: node_modules/.cache/privacy-kit. */
  readonly cacheDir?: string;
}

/** A Chromium binary, and where it came from (for messages). */
export interface FoundChromium {
  readonly executablePath: string;
  /** Where it came from, e.g. '@sparticuz/chromium 143.0.4'. */
  readonly origin: string;
  /** It is the one the devDependency ships (not PRIVACY_KIT_CHROMIUM's). */
  readonly packaged: boolean;
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The folder of the installed @sparticuz/chromium and its version, or undefined when it is not installed. */
function packagedChromium(): { readonly bin: string; readonly version: string } | undefined {
  let main: string;
  try {
    main = require.resolve(PACKAGE, { paths: [ROOT] });
  } catch {
    return undefined;
  }
  // main is <package>/build/cjs/index.cjs; the package exports no package.json, so read it from its folder.
  const folder = dirname(dirname(dirname(main)));
  const { version } = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as { version: string };
  return { bin: join(folder, 'bin'), version };
}

async function inflate(compressed: string, target: string): Promise<void> {
  mkdirSync(dirname(target), { recursive: true });
  // Another jest worker may inflate at the same time: each writes its own file, and the rename is atomic.
  const partial = `${target}.${process.pid}.partial`;
  try {
    await pipeline(createReadStream(compressed), createBrotliDecompress(), createWriteStream(partial, { mode: 0o755 }));
    renameSync(partial, target);
  } finally {
    rmSync(partial, { force: true });
  }
}

/**
 * The Chromium binary the browser tests drive: PRIVACY_KIT_CHROMIUM if set, else the one `@sparticuz/chromium`
 * ships (inflated on first use). Rejects with one message that names the fix when there is none.
 *
 * @param lookup - the environment and the cache folder
 * @example
 * const { executablePath } = await findChromium();
 */
export async function findChromium(lookup: ChromiumLookup = {}): Promise<FoundChromium> {
  const env = lookup.env ?? process.env;
  const chosen = env[CHROMIUM_ENV];
  if (chosen !== undefined && chosen !== '') {
    if (!isExecutable(chosen)) {
      throw new Error(`${CHROMIUM_ENV}=${chosen} names no executable Chromium. Point it at a Chromium binary (e.g. /usr/bin/chromium), or unset it to use the one the ${PACKAGE} devDependency ships (\`npm install\`).`);
    }
    return { executablePath: chosen, origin: `${CHROMIUM_ENV}=${chosen}`, packaged: false };
  }
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`${PACKAGE} ships Chromium for Linux x64 only, and this is ${process.platform} ${process.arch}: set ${CHROMIUM_ENV} to a Chromium binary to run the browser tests.`);
  }
  const packaged = packagedChromium();
  if (packaged === undefined) {
    throw new Error(`the browser tests' Chromium comes from the ${PACKAGE} devDependency, which is not installed: run \`npm install\`.`);
  }
  const executablePath = join(lookup.cacheDir ?? DEFAULT_CACHE, `chromium-${packaged.version}`, 'chromium');
  if (!existsSync(executablePath)) await inflate(join(packaged.bin, 'chromium.br'), executablePath);
  return { executablePath, origin: `${PACKAGE} ${packaged.version}`, packaged: true };
}

/** The flags of a headless run on a machine with no network but loopback (no background requests, no GPU). */
export const HEADLESS_ARGS: readonly string[] = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];

/**
 * Finds the tests' Chromium and starts it with a profile folder. Rejects with one message that says which Chromium
 * failed and names the command that fixes it.
 *
 * @param profile - an empty folder for the browser profile
 * @param options - the viewport, and the lookup
 */
export async function launchTestChromium(profile: string, options: { readonly viewport?: { width: number; height: number } } & ChromiumLookup = {}): Promise<BrowserContext> {
  const found = await findChromium(options);
  try {
    return await chromium.launchPersistentContext(profile, {
      executablePath: found.executablePath,
      headless: true,
      args: [...HEADLESS_ARGS],
      ...(options.viewport === undefined ? {} : { viewport: options.viewport }),
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // Playwright's first line only says the browser closed; the browser's own output says why (a missing library).
    const reason = /error while loading shared libraries: [^\n]*/.exec(message)?.[0] ?? message.split('\n')[0];
    const fix = found.packaged
      ? `It needs the shared libraries libnss3, libnspr4 and libexpat1: run \`${CHROMIUM_FIX}\` as root, or set ${CHROMIUM_ENV} to a Chromium that runs here.`
      : `Point ${CHROMIUM_ENV} at a Chromium that runs here, or unset it to use the one ${PACKAGE} ships (its libraries: \`${CHROMIUM_FIX}\`).`;
    throw new Error(`Chromium (${found.origin}, ${found.executablePath}) did not start: ${reason}. ${fix}`);
  }
}
