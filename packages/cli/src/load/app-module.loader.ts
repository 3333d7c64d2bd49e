import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isPrivacyKitError } from '@privacy-kit/core';
import { trackSubApps } from '@privacy-kit/express';
import { CliFailure, problemOf } from '../cli-failure';
import { EXIT_CODES } from '../exit-codes';

/** An app module, loaded. */
export interface LoadedApp {
  /** The Express app (or Router) the module exports. */
  readonly app: unknown;
  /** Which export it was, e.g. 'app' or 'default'. */
  readonly exportName: string;
  /** The module's absolute path. */
  readonly file: string;
}

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

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && typeof value === 'object' && typeof (value as { then?: unknown }).then === 'function';
}

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

function loadFailure(file: string, shown: string, error: unknown): CliFailure {
  if (isPrivacyKitError(error)) {
    // A privacy-kit error thrown while the module loads is a declaration problem (e.g. an unknown key): keep its code.
    return new CliFailure(error.code, `cannot load ${shown}: a privacy declaration is invalid: ${problemOf(error)}`, EXIT_CODES.MODULE, { cause: error });
  }
  const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
  const frame = error instanceof Error ? error.stack?.split('\n').find((l) => l.includes(file)) : undefined;
  const position = frame === undefined ? undefined : /:(\d+):(\d+)\)?\s*$/.exec(frame);
  const where = position === null || position === undefined ? undefined : `at ${shown}:${position[1]}:${position[2]}`;
  return new CliFailure(
    'PK_CONFIG',
    `cannot load ${shown}: ${message}${where === undefined ? '' : ` (${where})`}. Fix the error, or point privacy-kit at a module that builds the app without starting it.`,
    EXIT_CODES.MODULE,
    { cause: error },
  );
}

/**
 * Loads a module that exports an Express app (TypeScript through tsx, or JavaScript, CommonJS or ESM) without
 * starting it, and returns the app: the export named `exportName`, else `app`, `default`, `server`, `router`,
 * else the only export that is an Express app. A promise is awaited. Throws a {@link CliFailure} (exit 3) that
 * says what failed or what the module exports instead; when the module threw a privacy-kit error (a declaration
 * with an unknown key, say), the failure keeps that error's `code`.
 *
 * @param specifier - the module path, relative to `cwd`
 * @param options - the working directory and an export name
 * @example
 * const { app } = await loadAppModule('examples/shop/src/privacy-map.ts');
 */
export async function loadAppModule(specifier: string, options: { readonly cwd?: string; readonly exportName?: string } = {}): Promise<LoadedApp> {
  const file = resolve(options.cwd ?? process.cwd(), specifier);
  if (!existsSync(file)) {
    throw new CliFailure('PK_NOT_FOUND', `no such module: ${specifier}. Give the path of a module that exports your Express app, e.g. src/app.ts.`, EXIT_CODES.MODULE);
  }
  const typescript = TYPESCRIPT.has(extname(file));
  process.setSourceMapsEnabled(true);
  trackExpressOf(file);
  let exported: Record<string, unknown>;
  try {
    if (typescript) registerTypeScript();
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- the user's app module, named at run time
      exported = require(file) as Record<string, unknown>;
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code !== 'ERR_REQUIRE_ESM' && code !== 'ERR_REQUIRE_ASYNC_MODULE') throw error;
      exported = await importEsm(file, typescript);
    }
  } catch (error) {
    throw loadFailure(file, specifier, error);
  }

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
    if (isThenable(value)) {
      try {
        candidates.set(name, await value);
      } catch (error) {
        throw loadFailure(file, specifier, error);
      }
    }
  }

  if (options.exportName !== undefined) {
    const value = candidates.get(options.exportName);
    if (!isExpressApp(value)) {
      throw new CliFailure(
        'PK_CONFIG',
        `${specifier}: export '${options.exportName}' is ${candidates.has(options.exportName) ? describe(value) : 'missing'}, not an Express app. ` +
          `Exports: ${[...candidates.keys()].join(', ') || '(none)'}.`,
        EXIT_CODES.MODULE,
      );
    }
    return { app: value, exportName: options.exportName, file };
  }
  for (const name of ['module.exports', ...PREFERRED]) {
    const value = candidates.get(name);
    if (isExpressApp(value)) return { app: value, exportName: name, file };
    const nested = (value as { app?: unknown } | undefined)?.app;
    if (name !== 'module.exports' && typeof value === 'object' && isExpressApp(nested)) return { app: nested, exportName: `${name}.app`, file };
  }
  const apps = [...candidates].filter(([, v]) => isExpressApp(v));
  if (apps.length === 1) {
    const [name, value] = apps[0] as [string, unknown];
    return { app: value, exportName: name, file };
  }
  if (apps.length > 1) {
    throw new CliFailure('PK_CONFIG', `${specifier} exports several Express apps (${apps.map(([n]) => n).join(', ')}): choose one with --export <name>.`, EXIT_CODES.MODULE);
  }
  const listing = [...candidates].map(([name, value]) => `${name} (${describe(value)})`).join(', ') || '(nothing)';
  const factory = [...candidates].find(([, v]) => typeof v === 'function' && !isExpressApp(v));
  const hint = factory !== undefined
      ? ` '${factory[0]}' is a function, not an app: privacy-kit does not call factories. Export the app itself, e.g. a module with \`export const app = ${factory[0]}(config);\`.`
      : ' Export the app: `export const app = express();` (or `module.exports = app`).';
  throw new CliFailure('PK_CONFIG', `${specifier} does not export an Express app. It exports: ${listing}.${hint}`, EXIT_CODES.MODULE);
}

