import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { defineOptionKeys, parseAllowList, rejectUnknownOptions, type AllowRule, type InventoryAppInput } from '@privacy-kit/core';
import { CliFailure, ioReason, problemOf, usageError } from '../cli-failure';
import { EXIT_CODES } from '../exit-codes';

/** The file name `privacy-kit` looks for. */
export const CONFIG_FILE_NAME = 'privacy-kit.config.json';
/** The key of package.json it reads when there is no config file. */
export const PACKAGE_JSON_KEY = 'privacy-kit';

/**
 * The configuration of the CLI, from `privacy-kit.config.json` or the `privacy-kit` key of package.json.
 *
 * @example
 * {
 *   "controller": { "name": "Shop Ltd", "contact": "privacy@shop.example", "dpo": "dpo@shop.example" },
 *   "allow": [{ "route": "GET /health", "reason": "returns no personal data" }],
 *   "observed": ".privacy-kit/observed.json"
 * }
 */
export interface CliConfig {
  /** Name of the app in the record (default: the `appId` of its privacy() kit). */
  readonly name?: string;
  /** The controller of Art. 30(1)(a). */
  readonly controller?: { readonly name: string; readonly contact?: string; readonly representative?: string; readonly dpo?: string };
  /** Replaces privacy-kit's default list of security measures. */
  readonly securityMeasures?: readonly string[];
  /** Added after the default (or given) security measures. */
  readonly additionalSecurityMeasures?: readonly string[];
  /** Routes that may break rules, each with a reason. */
  readonly allow?: readonly AllowRule[];
  /** Drift observations file(s), relative to the config file. */
  readonly observed?: string | readonly string[];
  /** Which export of the module is the app. */
  readonly export?: string;
}

/** A loaded configuration and where it came from. */
export interface LoadedConfig {
  readonly config: CliConfig;
  /** The file it was read from, or undefined when none was found. */
  readonly file: string | undefined;
  /** Folder that relative paths in it are resolved against. */
  readonly dir: string;
}

const CONFIG_KEYS = defineOptionKeys<CliConfig>({
  name: true, controller: true, securityMeasures: true, additionalSecurityMeasures: true, allow: true, observed: true, export: true,
});
const CONTROLLER_KEYS = defineOptionKeys<NonNullable<CliConfig['controller']>>({ name: true, contact: true, representative: true, dpo: true });

function fail(where: string, message: string): never {
  throw new CliFailure('PK_INVALID_OPTION', `${where}: ${message}`, EXIT_CODES.USAGE);
}

function stringList(value: unknown, where: string, name: string): readonly string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || v === '')) fail(where, `'${name}' must be an array of non-empty strings.`);
  return value as string[];
}

/**
 * Validates a parsed configuration object.
 *
 * @param value - the parsed JSON
 * @param where - the file, for messages
 */
export function parseCliConfig(value: unknown, where: string): CliConfig {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(where, 'the configuration must be a JSON object.');
  const v = value as Record<string, unknown>;
  rejectUnknownOptions(v, CONFIG_KEYS, where, usageError);
  if (v.name !== undefined && (typeof v.name !== 'string' || v.name === '')) fail(where, "'name' must be a non-empty string.");
  if (v.export !== undefined && (typeof v.export !== 'string' || v.export === '')) fail(where, "'export' must be the name of an export, e.g. \"app\".");
  let controller: CliConfig['controller'];
  if (v.controller !== undefined) {
    const c = v.controller as Record<string, unknown> | null;
    if (typeof c !== 'object' || c === null || typeof c.name !== 'string' || c.name === '') fail(where, "'controller' must be an object with at least a 'name', e.g. { \"name\": \"Shop Ltd\", \"contact\": \"privacy@shop.example\" }.");
    rejectUnknownOptions(c, CONTROLLER_KEYS, `${where}: controller`, usageError);
    for (const key of Object.keys(c)) if (typeof c[key] !== 'string') fail(where, `controller.${key} must be a string.`);
    controller = c as unknown as CliConfig['controller'];
  }
  const observed = typeof v.observed === 'string' ? [v.observed] : stringList(v.observed, where, 'observed');
  let allow: AllowRule[];
  try {
    allow = parseAllowList(v.allow, where);
  } catch (error) {
    throw new CliFailure('PK_INVALID_OPTION', problemOf(error), EXIT_CODES.USAGE, { cause: error });
  }
  const securityMeasures = stringList(v.securityMeasures, where, 'securityMeasures');
  const additionalSecurityMeasures = stringList(v.additionalSecurityMeasures, where, 'additionalSecurityMeasures');
  return {
    ...(v.name === undefined ? {} : { name: v.name }),
    ...(controller === undefined ? {} : { controller }),
    ...(securityMeasures === undefined ? {} : { securityMeasures }),
    ...(additionalSecurityMeasures === undefined ? {} : { additionalSecurityMeasures }),
    allow,
    ...(observed === undefined ? {} : { observed }),
    ...(v.export === undefined ? {} : { export: v.export }),
  };
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliFailure('PK_IO', `${file}: cannot read it: ${ioReason(error)}.`, EXIT_CODES.USAGE, { cause: error });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    return fail(file, `cannot read it as JSON: ${problemOf(error)}.`);
  }
}

/** The config in one folder, if any: privacy-kit.config.json first, then the package.json key. */
function inFolder(dir: string): { found?: LoadedConfig; projectRoot: boolean } {
  const file = join(dir, CONFIG_FILE_NAME);
  if (existsSync(file)) return { found: { config: parseCliConfig(readJson(file), file), file, dir }, projectRoot: true };
  const pkg = join(dir, 'package.json');
  if (existsSync(pkg)) {
    const json = readJson(pkg) as Record<string, unknown>;
    if (json !== null && typeof json === 'object' && json[PACKAGE_JSON_KEY] !== undefined) {
      return { found: { config: parseCliConfig(json[PACKAGE_JSON_KEY], `${pkg} ("${PACKAGE_JSON_KEY}")`), file: pkg, dir }, projectRoot: true };
    }
    return { projectRoot: true };
  }
  return { projectRoot: false };
}

/**
 * Finds and reads the configuration: `--config FILE` when given; else, from the module's folder upwards to its
 * project root (the first folder with a package.json), `privacy-kit.config.json` or the `privacy-kit` key of
 * package.json; else the same in the working directory. No config is fine: every setting has a default.
 *
 * @param options - explicit file, module folder, working directory
 */
export function loadCliConfig(options: { readonly configFile?: string; readonly moduleDir?: string; readonly cwd: string }): LoadedConfig {
  if (options.configFile !== undefined) {
    const file = resolve(options.cwd, options.configFile);
    if (!existsSync(file)) throw new CliFailure('PK_NOT_FOUND', `${options.configFile}: no such file.`, EXIT_CODES.USAGE);
    const json = readJson(file) as Record<string, unknown>;
    const body = file.endsWith('package.json') ? json[PACKAGE_JSON_KEY] ?? {} : json;
    return { config: parseCliConfig(body, file), file, dir: dirname(file) };
  }
  const visited = new Set<string>();
  for (const start of [options.moduleDir, options.cwd]) {
    if (start === undefined) continue;
    for (let dir = resolve(start); !visited.has(dir); dir = dirname(dir)) {
      visited.add(dir);
      const here = inFolder(dir);
      if (here.found !== undefined) return here.found;
      if (here.projectRoot || dirname(dir) === dir) break;
    }
  }
  return { config: { allow: [] }, file: undefined, dir: options.cwd };
}

/** The app facts of a configuration, for the inventory. */
export function appInputOf(config: CliConfig): InventoryAppInput {
  return {
    ...(config.name === undefined ? {} : { name: config.name }),
    ...(config.controller === undefined ? {} : { controller: config.controller }),
    ...(config.securityMeasures === undefined ? {} : { securityMeasures: config.securityMeasures }),
    ...(config.additionalSecurityMeasures === undefined ? {} : { additionalSecurityMeasures: config.additionalSecurityMeasures }),
  };
}
