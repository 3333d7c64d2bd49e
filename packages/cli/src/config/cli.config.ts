import {
  CONFIG_FILE_NAME,
  PACKAGE_JSON_KEY,
  RECORD_CONFIG_KEYS,
  createMonitor,
  findPrivacyKitConfig,
  isPrivacyKitError,
  parseAllowList,
  parseRecordConfig,
  rejectUnknownOptions,
  type AllowRule,
  type InventoryAppInput,
  type MonitoringOptions,
} from '@privacy-kit/core';
import { CliFailure, problemOf, usageError } from '../cli-failure';
import { EXIT_CODES } from '../exit-codes';

// One configuration for the CLI and the live inventory of @privacy-kit/express: both find and read it through core.
export { CONFIG_FILE_NAME, PACKAGE_JSON_KEY };

/**
 * The configuration of the CLI, from `privacy-kit.config.json` or the `privacy-kit` key of package.json.
 *
 * @example
 * {
 *   "controller": { "name": "Shop Ltd", "contact": "privacy@shop.example", "dpo": "dpo@shop.example" },
 *   "allow": [{ "route": "GET /health", "reason": "returns no personal data" }],
 *   "observed": ".privacy-kit/observed.json",
 *   "monitoring": { "massAccess": { "threshold": 20, "windowMs": 600000 } }
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
  /** The monitoring rules `privacy-kit incidents alerts` runs (the `rules` of `privacy({ monitoring })`; default: the defaults). */
  readonly monitoring?: MonitoringOptions;
}

/** A loaded configuration and where it came from. */
export interface LoadedConfig {
  readonly config: CliConfig;
  /** The file it was read from, or undefined when none was found. */
  readonly file: string | undefined;
  /** Folder that relative paths in it are resolved against. */
  readonly dir: string;
}

const CONFIG_KEYS: readonly string[] = [...RECORD_CONFIG_KEYS, 'allow', 'observed', 'export', 'monitoring'];

function fail(where: string, message: string): never {
  throw new CliFailure('PK_INVALID_OPTION', `${where}: ${message}`, EXIT_CODES.USAGE);
}

/** Runs a core reader, turning its configuration errors into usage errors (exit 2). */
function usage<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (isPrivacyKitError(error)) throw new CliFailure(error.code, problemOf(error), EXIT_CODES.USAGE, { cause: error });
    throw error;
  }
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
  if (v.export !== undefined && (typeof v.export !== 'string' || v.export === '')) fail(where, "'export' must be the name of an export, e.g. \"app\".");
  const record = usage(() => parseRecordConfig(v, where));
  const observed = typeof v.observed === 'string' ? [v.observed] : stringList(v.observed, where, 'observed');
  const allow = usage(() => parseAllowList(v.allow, where));
  if (v.monitoring !== undefined) {
    try {
      createMonitor(v.monitoring as MonitoringOptions);
    } catch (error) {
      // The rules' own message names the option, what it takes and what it got, as an option of createMonitor().
      fail(where, problemOf(error).replace(/^createMonitor\(\)/, "'monitoring'"));
    }
  }
  return {
    ...(record.name === undefined ? {} : { name: record.name }),
    ...(record.controller === undefined ? {} : { controller: record.controller as NonNullable<CliConfig['controller']> }),
    ...(record.securityMeasures === undefined ? {} : { securityMeasures: record.securityMeasures }),
    ...(record.additionalSecurityMeasures === undefined ? {} : { additionalSecurityMeasures: record.additionalSecurityMeasures }),
    allow,
    ...(observed === undefined ? {} : { observed }),
    ...(v.export === undefined ? {} : { export: v.export }),
    ...(v.monitoring === undefined ? {} : { monitoring: v.monitoring as MonitoringOptions }),
  };
}

/**
 * Finds and reads the configuration: `--config FILE` when given; else, from the module's folder upwards to its
 * project root (the first folder with a package.json), `privacy-kit.config.json` or the `privacy-kit` key of
 * package.json; else the same in the working directory. No config is fine: every setting has a default. The live
 * inventory of @privacy-kit/express finds it the same way (`findPrivacyKitConfig` of @privacy-kit/core).
 *
 * @param options - explicit file, module folder, working directory
 */
export function loadCliConfig(options: { readonly configFile?: string; readonly moduleDir?: string; readonly cwd: string }): LoadedConfig {
  const found = usage(() => findPrivacyKitConfig(options));
  if (found.file === undefined) return { config: { allow: [] }, file: undefined, dir: options.cwd };
  return { config: parseCliConfig(found.value, found.where), file: found.file, dir: found.dir };
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
