import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isPrivacyKitError } from '@privacy-kit/core';
import { trackSubApps } from '@privacy-kit/express';
import { CliFailure, problemOf } from '../cli-failure';
import { EXIT_CODES } from '../exit-codes';

/** An app module, loaded. */
export interface LoadedApp {
  /** The Express app (or Router) the module exports, or that its factory built. */
  readonly app: unknown;
  /** Which export it was, e.g. 'app' or 'default'. */
  readonly exportName: string;
  /** The module's absolute path. */
  readonly file: string;
  /** The app was built by calling the export (a factory), not exported as is. */
  readonly factory: boolean;
}

/** What {@link loadAppModule} is told. */
export interface LoadAppOptions {
  /** Paths are relative to this folder. Default: the working directory. */
  readonly cwd?: string;
  /** The export that holds the app, or the factory that builds it. */
  readonly exportName?: string;
  /** A JSON file whose parsed content is the factory's one argument (`--app-config`); needs `exportName`. */
  readonly appConfig?: string;
}

/** The help of the `--app-config` option, shared by every command that loads an app. */
export const APP_CONFIG_OPTION_HELP = 'JSON file passed (parsed) to the factory that --export names: the module exports createApp(config), not an app';

const TYPESCRIPT = new Set(['.ts', '.tsx', '.mts', '.cts']);
const PREFERRED = ['app', 'default', 'server', 'router'];

/** Whether a value is an Express application or Router (4 or 5). */
export function isExpressApp(value: unknown): boolean {
  if (typeof value !== 'function') return false;
  const v = value as unknown as Record<string, unknown>;
  const isApplication = typeof v.handle === 'function' && typeof v.set === 'function' && typeof v.use === 'function' && typeof v.get === 'function';
  const isRouter = Array.isArray(v.stack) && typeof v.use === 'function' && typeof v.route === 'function';
  return isApplication || isRouter;
}

function describe(value: unknown): string {
  if (isExpressApp(value)) return 'an Express app';
  if (typeof value === 'function') return `a function${value.name ? ` (${value.name})` : ''}`;
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

let tsxRegistered = false;

function registerTypeScript(): void {
  if (tsxRegistered) return;
  // tsx compiles TypeScript on require (CommonJS), with source maps, so handler locations point at .ts lines.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- tsx is loaded only when a .ts app is mapped
  (require('tsx/cjs/api') as { register(): unknown }).register();
  tsxRegistered = true;
}

// A real dynamic import, which TypeScript would otherwise compile to require() in CommonJS output.
// eslint-disable-next-line @typescript-eslint/no-implied-eval -- the code is a constant; only the specifier varies
const importModule = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<Record<string, unknown>>;

async function importEsm(file: string, typescript: boolean): Promise<Record<string, unknown>> {
  if (typescript) ((await importModule('tsx/esm/api')) as { register(): unknown }).register();
  return importModule(pathToFileURL(file).href);
}

/** Makes sub-apps mounted with app.use(path, subApp) visible, for the Express the module will use. */
function trackExpressOf(file: string): void {
  for (const name of ['express']) {
    try {
      const local = createRequire(file);
      trackSubApps(local(name));
    } catch {
      // The module does not use Express from its own folder; nothing to track.
    }
  }
}

/**
 * @param failed - what failed, e.g. `cannot load src/app.ts` or `src/app.ts: createApp(config) threw`
 */
function loadFailure(file: string, shown: string, error: unknown, failed = `cannot load ${shown}`): CliFailure {
  if (isPrivacyKitError(error)) {
    // A privacy-kit error thrown while the module loads is a declaration problem (e.g. an unknown key): keep its code.
    return new CliFailure(error.code, `${failed}: a privacy declaration is invalid: ${problemOf(error)}`, EXIT_CODES.MODULE, { cause: error });
  }
  const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
  const frame = error instanceof Error ? error.stack?.split('\n').find((l) => l.includes(file)) : undefined;
  const position = frame === undefined ? undefined : /:(\d+):(\d+)\)?\s*$/.exec(frame);
  const where = position === null || position === undefined ? undefined : `at ${shown}:${position[1]}:${position[2]}`;
  return new CliFailure(
    'PK_CONFIG',
    `${failed}: ${message}${where === undefined ? '' : ` (${where})`}. Fix the error, or point privacy-kit at a module that builds the app without starting it.`,
    EXIT_CODES.MODULE,
    { cause: error },
  );
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && (typeof value === 'object' || typeof value === 'function') && typeof (value as { then?: unknown }).then === 'function';
}

/** The factory's argument: the parsed `--app-config` file. A missing or malformed file is a usage error (exit 2). */
function readAppConfig(cwd: string, shown: string): unknown {
  const file = resolve(cwd, shown);
  if (!existsSync(file)) {
    throw new CliFailure('PK_INVALID_OPTION', `--app-config: no such file ${shown}. Give a JSON file with what your factory expects, e.g. {"dbFile": "privacy-kit.db"}.`, EXIT_CODES.USAGE);
  }
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch (error) {
    throw new CliFailure('PK_INVALID_OPTION', `--app-config: ${shown} is not JSON (${(error as Error).message}). The factory gets the parsed file as its argument.`, EXIT_CODES.USAGE, { cause: error });
  }
}

/**
 * Loads a module of the app (TypeScript through tsx, or JavaScript, CommonJS or ESM) and returns its exports. A
 * module that throws while it loads ends the command (exit 3) with what failed and where.
 *
 * @param file - the module's absolute path (it exists)
 * @param specifier - the path as given, for messages
 */
export async function importUserModule(file: string, specifier: string): Promise<Record<string, unknown>> {
  const typescript = TYPESCRIPT.has(extname(file));
  process.setSourceMapsEnabled(true);
  try {
    if (typescript) registerTypeScript();
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- the user's module, named at run time
      return require(file) as Record<string, unknown>;
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code !== 'ERR_REQUIRE_ESM' && code !== 'ERR_REQUIRE_ASYNC_MODULE') throw error;
      return await importEsm(file, typescript);
    }
  } catch (error) {
    throw loadFailure(file, specifier, error);
  }
}

/**
 * Calls a factory (with no argument, or with the app config), awaits it, and returns the app it built: the
 * result itself, or its `app` property (a factory that returns `{ app, store }`).
 */
async function buildWithFactory(factory: (...args: unknown[]) => unknown, name: string, argument: { readonly value: unknown } | undefined, file: string, shown: string): Promise<unknown> {
  const call = `${name}(${argument === undefined ? '' : 'config'})`;
  let built: unknown;
  try {
    built = argument === undefined ? factory() : factory(argument.value);
    if (isThenable(built)) built = await built;
  } catch (error) {
    throw loadFailure(file, shown, error, `${shown}: ${call} failed`);
  }
  if (isExpressApp(built)) return built;
  const nested = (built as { app?: unknown } | null | undefined)?.app;
  if (typeof built === 'object' && isExpressApp(nested)) return nested;
  throw new CliFailure('PK_CONFIG', `${shown}: ${call} returned ${describe(built)}, not an Express app. Return the app (or an object with an \`app\`) from the factory.`, EXIT_CODES.MODULE);
}

/**
 * Loads a module that exports an Express app (TypeScript through tsx, or JavaScript, CommonJS or ESM) without
 * starting it, and returns the app: the export named `exportName`, else `app`, `default`, `server`, `router`,
 * else the only export that is an Express app. A promise is awaited. When `exportName` names a function that is
 * not an app, it is a factory: it is called with no argument, or with the parsed `appConfig` file, and may return
 * the app, a promise of it, or an object with an `app`. Throws a {@link CliFailure} (exit 3) that says what failed
 * or what the module exports instead (exit 2 for a bad `appConfig`); when the module or the factory threw a
 * privacy-kit error (a declaration with an unknown key, say), the failure keeps that error's `code`.
 *
 * @param specifier - the module path, relative to `cwd`
 * @param options - the working directory, an export name, the factory's config file
 * @example
 * const { app } = await loadAppModule('examples/shop/src/privacy-map.ts');
 * const built = await loadAppModule('src/app.ts', { exportName: 'createApp', appConfig: 'privacy-kit.app.json' });
 */
export async function loadAppModule(specifier: string, options: LoadAppOptions = {}): Promise<LoadedApp> {
  const cwd = options.cwd ?? process.cwd();
  const file = resolve(cwd, specifier);
  if (!existsSync(file)) {
    throw new CliFailure('PK_NOT_FOUND', `no such module: ${specifier}. Give the path of a module that exports your Express app, e.g. src/app.ts.`, EXIT_CODES.MODULE);
  }
  if (options.appConfig !== undefined && options.exportName === undefined) {
    throw new CliFailure('PK_INVALID_OPTION', '--app-config is the argument of a factory: name the factory with --export NAME (e.g. --export createApp).', EXIT_CODES.USAGE);
  }
  const argument = options.appConfig === undefined ? undefined : { value: readAppConfig(cwd, options.appConfig) };
  trackExpressOf(file);
  const exported = await importUserModule(file, specifier);

  const candidates = new Map<string, unknown>();
  if (typeof exported === 'function' || (typeof exported === 'object' && exported !== null)) {
    if (isExpressApp(exported)) candidates.set('module.exports', exported);
    for (const [name, value] of Object.entries(exported)) candidates.set(name, value);
    const inner = (exported as { default?: unknown }).default;
    if (typeof inner === 'object' && inner !== null && !isExpressApp(inner)) {
      for (const [name, value] of Object.entries(inner)) if (!candidates.has(name)) candidates.set(name, value);
    }
  }
  for (const [name, value] of candidates) {
    if (typeof value !== 'function' && isThenable(value)) {
      try {
        candidates.set(name, await value);
      } catch (error) {
        throw loadFailure(file, specifier, error);
      }
    }
  }

  if (options.exportName !== undefined) {
    const name = options.exportName;
    const value = candidates.get(name);
    if (isExpressApp(value)) {
      if (argument !== undefined) {
        throw new CliFailure('PK_INVALID_OPTION', `${specifier}: export '${name}' is an Express app already, not a factory: drop --app-config, or --export the function that builds the app.`, EXIT_CODES.USAGE);
      }
      return { app: value, exportName: name, file, factory: false };
    }
    if (typeof value === 'function') {
      const app = await buildWithFactory(value as (...args: unknown[]) => unknown, name, argument, file, specifier);
      return { app, exportName: name, file, factory: true };
    }
    throw new CliFailure(
      'PK_CONFIG',
      `${specifier}: export '${name}' is ${candidates.has(name) ? describe(value) : 'missing'}, not an Express app or a function that builds one. ` +
        `Exports: ${[...candidates.keys()].join(', ') || '(none)'}.`,
      EXIT_CODES.MODULE,
    );
  }
  for (const name of ['module.exports', ...PREFERRED]) {
    const value = candidates.get(name);
    if (isExpressApp(value)) return { app: value, exportName: name, file, factory: false };
    const nested = (value as { app?: unknown } | undefined)?.app;
    if (name !== 'module.exports' && typeof value === 'object' && isExpressApp(nested)) return { app: nested, exportName: `${name}.app`, file, factory: false };
  }
  const apps = [...candidates].filter(([, v]) => isExpressApp(v));
  if (apps.length === 1) {
    const [name, value] = apps[0] as [string, unknown];
    return { app: value, exportName: name, file, factory: false };
  }
  if (apps.length > 1) {
    throw new CliFailure('PK_CONFIG', `${specifier} exports several Express apps (${apps.map(([n]) => n).join(', ')}): choose one with --export <name>.`, EXIT_CODES.MODULE);
  }
  const listing = [...candidates].map(([name, value]) => `${name} (${describe(value)})`).join(', ') || '(nothing)';
  const factory = [...candidates].find(([, v]) => typeof v === 'function' && !isExpressApp(v));
  const hint = factory !== undefined
      ? ` '${factory[0]}' is a function, not an app: if it builds the app, name it with --export ${factory[0]} and privacy-kit calls it (with no argument, or with the JSON of --app-config FILE).`
      : ' Export the app: `export const app = express();` (or `module.exports = app`).';
  throw new CliFailure('PK_CONFIG', `${specifier} does not export an Express app. It exports: ${listing}.${hint}`, EXIT_CODES.MODULE);
}

