import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { parseDriftObservations, type DriftObservations, type Inventory } from '@privacy-kit/core';
import { inventoryOf } from '@privacy-kit/express';
import { CliFailure, ioReason, problemOf } from '../cli-failure';
import { appInputOf, loadCliConfig, type LoadedConfig } from '../config/cli.config';
import { EXIT_CODES } from '../exit-codes';
import { loadAppModule, type LoadedApp } from '../load/app-module.loader';

/** What map, check and coverage need to know to build an inventory. */
export interface AppInventoryRequest {
  readonly module: string;
  readonly cwd: string;
  readonly exportName?: string;
  /** `--app-config`: the JSON argument of the factory `exportName` names. */
  readonly appConfig?: string;
  readonly configFile?: string;
  /** `--observed` files, relative to `cwd`. */
  readonly observed?: readonly string[];
  readonly sourceLocations?: boolean;
}

/** The inventory of an app module, with the config and the loaded module. */
export interface AppInventory {
  readonly inventory: Inventory;
  readonly config: LoadedConfig;
  readonly loaded: LoadedApp;
  /** Observation files read. */
  readonly observedFiles: readonly string[];
}

/**
 * Reads a drift observations file; a missing or malformed file is a usage error (exit 2).
 *
 * @param file - absolute path
 * @param shown - as the user wrote it
 */
export function readObservations(file: string, shown: string): DriftObservations {
  if (!existsSync(file)) {
    throw new CliFailure('PK_NOT_FOUND', `no observations file ${shown}. It is written by privacy({ drift: { file } }) while the app runs (e.g. during its tests).`, EXIT_CODES.USAGE);
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliFailure('PK_IO', `cannot read ${shown}: ${ioReason(error)}.`, EXIT_CODES.USAGE, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CliFailure('PK_INVALID_OPTION', `${shown} is not JSON: ${problemOf(error)}. Delete it and let the app write it again.`, EXIT_CODES.USAGE);
  }
  try {
    return parseDriftObservations(json, shown);
  } catch (error) {
    throw new CliFailure('PK_INVALID_OPTION', problemOf(error), EXIT_CODES.USAGE, { cause: error });
  }
}

/**
 * Loads the config and the app module, reads the observations (`--observed`, the config's `observed`, and the
 * kit's own `drift.file`, which the kit reads when the module creates it) and builds the inventory.
 *
 * @param request - module, flags, working directory
 */
export async function loadAppInventory(request: AppInventoryRequest): Promise<AppInventory> {
  const modulePath = resolve(request.cwd, request.module);
  const config = loadCliConfig({ cwd: request.cwd, moduleDir: dirname(modulePath), ...(request.configFile === undefined ? {} : { configFile: request.configFile }) });
  const exportName = request.exportName ?? config.config.export;
  const loaded = await loadAppModule(request.module, {
    cwd: request.cwd,
    ...(exportName === undefined ? {} : { exportName }),
    ...(request.appConfig === undefined ? {} : { appConfig: request.appConfig }),
  });
  const observations: DriftObservations[] = [];
  const observedFiles: string[] = [];
  const warnings: string[] = [];
  for (const shown of request.observed ?? []) {
    const file = resolve(request.cwd, shown);
    observations.push(readObservations(file, shown));
    observedFiles.push(file);
  }
  const fromConfig = config.config.observed === undefined ? [] : typeof config.config.observed === 'string' ? [config.config.observed] : config.config.observed;
  for (const entry of fromConfig) {
    const file = resolve(config.dir, entry);
    if (observedFiles.includes(file)) continue;
    const shown = relative(request.cwd, file) || file;
    if (!existsSync(file)) {
      warnings.push(`No observations in ${shown} yet (named by ${relative(request.cwd, config.file ?? '') || 'the config'}): run the app's tests with privacy({ drift: { file } }) to record them.`);
      continue;
    }
    observations.push(readObservations(file, shown));
    observedFiles.push(file);
  }
  const inventory = inventoryOf(loaded.app, {
    observations,
    app: appInputOf(config.config),
    sourceLocations: request.sourceLocations ?? true,
    cwd: request.cwd,
  });
  return {
    inventory: warnings.length === 0 ? inventory : { ...inventory, warnings: [...inventory.warnings, ...warnings] },
    config,
    loaded,
    observedFiles,
  };
}
