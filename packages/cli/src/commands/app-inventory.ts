import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { parseDriftObservations, type DriftObservations, type Inventory } from '@privacy-kit/core';
import { discoverApp, findPrivacyKit, inventoryOf, type PrivacyKit } from '@privacy-kit/express';
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
  /** Observation files named (each counted once, also when it is the kit's own drift file). */
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

/** What makes a file the same file whatever path names it (a symlink, `./`, another working directory). */
function fileIdentity(file: string): string | undefined {
  try {
    const stat = statSync(file);
    return `${stat.dev}:${stat.ino}`;
  } catch {
    return undefined;
  }
}

/** The kit the inventory reads (the one the route walk finds, as inventoryOf() does), and its drift file's identity. */
function kitOf(app: unknown): { readonly kit: PrivacyKit | undefined; readonly driftFile: string | undefined } {
  const kit = findPrivacyKit(discoverApp(app, { sourceLocations: false }).kit, 0) ?? findPrivacyKit(app, 0);
  const file = kit?.drift?.options.file;
  // The recorder read its file relative to the process's working directory when the module created it.
  return { kit, driftFile: file === undefined ? undefined : fileIdentity(resolve(process.cwd(), file)) };
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
  const { kit, driftFile } = kitOf(loaded.app);
  const observations: DriftObservations[] = [];
  const observedFiles: string[] = [];
  const warnings: string[] = [];
  // Each file counts once: the kit's own drift file is in its snapshot already, and a file may be named twice.
  const counted = new Set<string>(driftFile === undefined ? [] : [driftFile]);
  const read = (file: string, shown: string): void => {
    const identity = fileIdentity(file);
    if (identity !== undefined && counted.has(identity)) {
      observedFiles.push(file);
      return;
    }
    observations.push(readObservations(file, shown));
    observedFiles.push(file);
    if (identity !== undefined) counted.add(identity);
  };
  for (const shown of request.observed ?? []) read(resolve(request.cwd, shown), shown);
  const fromConfig = config.config.observed === undefined ? [] : typeof config.config.observed === 'string' ? [config.config.observed] : config.config.observed;
  for (const entry of fromConfig) {
    const file = resolve(config.dir, entry);
    const shown = relative(request.cwd, file) || file;
    if (!existsSync(file)) {
      warnings.push(`No observations in ${shown} yet (named by ${relative(request.cwd, config.file ?? '') || 'the config'}): run the app's tests with privacy({ drift: { file } }) to record them.`);
      continue;
    }
    read(file, shown);
  }
  const inventory = inventoryOf(loaded.app, {
    ...(kit === undefined ? {} : { kit }),
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
