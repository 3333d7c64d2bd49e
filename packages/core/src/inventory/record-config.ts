import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { coreError } from '../errors/core.error';
import { defineOptionKeys, rejectUnknownOptions } from '../errors/option-keys';
import type { PrivacyKitError } from '../errors/privacy-kit.error';
import type { InventoryAppInput } from './inventory.builder';

/** The configuration file privacy-kit looks for (the CLI and the live inventory alike). */
export const CONFIG_FILE_NAME = 'privacy-kit.config.json';
/** The key of package.json read when there is no configuration file. */
export const PACKAGE_JSON_KEY = 'privacy-kit';

/** The keys of the configuration that go into the record of processing activities. */
export const RECORD_CONFIG_KEYS: readonly string[] = ['name', 'controller', 'securityMeasures', 'additionalSecurityMeasures'];
const CONTROLLER_KEYS = defineOptionKeys<NonNullable<InventoryAppInput['controller']>>({ name: true, contact: true, representative: true, dpo: true });

/** A configuration as found: its parsed body (undefined when there is none) and where it came from. */
export interface FoundConfig {
  /** The parsed configuration object: the config file, or the `privacy-kit` key of package.json. */
  readonly value: unknown;
  /** The file it was read from, or undefined when none was found. */
  readonly file: string | undefined;
  /** Folder that relative paths in it are resolved against. */
  readonly dir: string;
  /** Names the source in messages, e.g. `/app/package.json ("privacy-kit")`. */
  readonly where: string;
}

/** Where to look for the configuration. */
export interface FindConfigOptions {
  /** An explicit file (`--config`): a config file, or a package.json whose `privacy-kit` key is read. */
  readonly configFile?: string;
  /** The folder of the app's module: searched first, upwards to its project root (the first folder with a package.json). */
  readonly moduleDir?: string;
  /** The working directory: searched next, the same way; `configFile` is relative to it. */
  readonly cwd: string;
}

function invalid(message: string): PrivacyKitError {
  return coreError('PK_INVALID_OPTION', message);
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw coreError('PK_IO', `${file}: cannot read it: ${(error as NodeJS.ErrnoException).code ?? 'unknown error'}.`, { cause: error });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw invalid(`${file}: cannot read it as JSON: ${(error as Error).message}.`);
  }
}

/** The config in one folder, if any: privacy-kit.config.json first, then the package.json key. */
function inFolder(dir: string): { readonly found?: FoundConfig; readonly projectRoot: boolean } {
  const file = join(dir, CONFIG_FILE_NAME);
  if (existsSync(file)) return { found: { value: readJson(file), file, dir, where: file }, projectRoot: true };
  const pkg = join(dir, 'package.json');
  if (!existsSync(pkg)) return { projectRoot: false };
  const json = readJson(pkg) as Record<string, unknown> | null;
  if (json !== null && typeof json === 'object' && json[PACKAGE_JSON_KEY] !== undefined) {
    return { found: { value: json[PACKAGE_JSON_KEY], file: pkg, dir, where: `${pkg} ("${PACKAGE_JSON_KEY}")` }, projectRoot: true };
  }
  return { projectRoot: true };
}

/**
 * Finds privacy-kit's configuration the one way the CLI and the live inventory share: `configFile` when given;
 * else from the module's folder upwards to its project root, then from the working directory the same way,
 * `privacy-kit.config.json` or the `privacy-kit` key of package.json. No configuration is fine (value undefined).
 * Throws `PK_NOT_FOUND` for a named file that is missing, `PK_IO` for one that cannot be read, `PK_INVALID_OPTION` for one that is not JSON.
 *
 * @param options - explicit file, module folder, working directory
 * @example
 * const found = findPrivacyKitConfig({ cwd: process.cwd() });
 * const app = parseRecordConfig(found.value, found.where);
 */
export function findPrivacyKitConfig(options: FindConfigOptions): FoundConfig {
  if (options.configFile !== undefined) {
    const file = resolve(options.cwd, options.configFile);
    if (!existsSync(file)) throw coreError('PK_NOT_FOUND', `${options.configFile}: no such file.`);
    const json = readJson(file);
    const isPackage = file.endsWith('package.json');
    const value = isPackage ? (json as Record<string, unknown> | null)?.[PACKAGE_JSON_KEY] ?? {} : json;
    return { value, file, dir: dirname(file), where: isPackage ? `${file} ("${PACKAGE_JSON_KEY}")` : file };
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
  return { value: undefined, file: undefined, dir: options.cwd, where: '(no configuration)' };
}

function stringList(value: unknown, where: string, name: string): readonly string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || v === '')) throw invalid(`${where}: '${name}' must be an array of non-empty strings.`);
  return value as string[];
}

/**
 * The record fields of a configuration (`name`, `controller`, `securityMeasures`, `additionalSecurityMeasures`),
 * validated, as the inventory's app input. Other keys (the CLI's `allow`, `observed`, `export`) are left to their
 * reader. Throws a `PK_INVALID_OPTION` error naming the source and the field.
 *
 * @param value - the configuration object (undefined: none)
 * @param where - the source, for messages
 * @example
 * parseRecordConfig({ controller: { name: 'Shop Ltd', contact: 'privacy@shop.example' } }, 'privacy-kit.config.json');
 */
export function parseRecordConfig(value: unknown, where: string): InventoryAppInput {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(`${where}: the configuration must be a JSON object.`);
  const v = value as Record<string, unknown>;
  if (v.name !== undefined && (typeof v.name !== 'string' || v.name === '')) throw invalid(`${where}: 'name' must be a non-empty string.`);
  let controller: InventoryAppInput['controller'];
  if (v.controller !== undefined) {
    const c = v.controller as Record<string, unknown> | null;
    if (typeof c !== 'object' || c === null || typeof c.name !== 'string' || c.name === '') {
      throw invalid(`${where}: 'controller' must be an object with at least a 'name', e.g. { "name": "Shop Ltd", "contact": "privacy@shop.example" }.`);
    }
    rejectUnknownOptions(c, CONTROLLER_KEYS, `${where}: controller`, coreError);
    for (const key of Object.keys(c)) {
      if (typeof c[key] !== 'string') throw invalid(`${where}: controller.${key} must be a string.`);
    }
    controller = c as unknown as InventoryAppInput['controller'];
  }
  const securityMeasures = stringList(v.securityMeasures, where, 'securityMeasures');
  const additionalSecurityMeasures = stringList(v.additionalSecurityMeasures, where, 'additionalSecurityMeasures');
  return {
    ...(v.name === undefined ? {} : { name: v.name }),
    ...(controller === undefined ? {} : { controller }),
    ...(securityMeasures === undefined ? {} : { securityMeasures }),
    ...(additionalSecurityMeasures === undefined ? {} : { additionalSecurityMeasures }),
  };
}
