import { buildInventory, type DriftObservations, type Inventory, type InventoryAppInput, type InventoryCategoryRetention } from '@privacy-kit/core';
import { discoverApp } from '../discovery/walk-routes';
import { compileRoute, isRouteProblem } from '../engine/route-compiler';
import { findPrivacyKit } from '../find-privacy-kit';
import type { PrivacyKit } from '../privacy-kit';
import { appliedMeasures } from '../measures/measures.options';

/** Options of {@link inventoryOf}. */
export interface InventoryOfOptions {
  /**
   * The `privacy()` kit (or the parts of it the inventory reads); default: the one mounted on the app, if the walk
   * can see it.
   */
  readonly kit?: Partial<Pick<PrivacyKit, 'appId' | 'drift' | 'retentionPolicy' | 'measures'>>;
  /** Observed personal data to show beside the declarations (added to the kit's own drift observations). */
  readonly observations?: DriftObservations | readonly DriftObservations[];
  /**
   * Controller, security measures, name (default: the kit's `appId`). Without `app.measures`, the measures are what
   * the kit's `measures` option says, else what the process recorded (log redaction when `redactPii()` made a format).
   */
  readonly app?: InventoryAppInput;
  /** Find where each handler is defined (uses the in-process inspector: for tools, not for servers). */
  readonly sourceLocations?: boolean;
  /** Source paths are relative to this folder. Default: the working directory. */
  readonly cwd?: string;
  readonly generatedAt?: Date;
}

/** The kit's retention per category (its `retention.categories` option, routes and fields), if it has one. */
function kitRetention(kit: InventoryOfOptions['kit'], now: Date, warnings: string[]): readonly InventoryCategoryRetention[] | undefined {
  if (typeof kit?.retentionPolicy !== 'function') return undefined;
  try {
    return kit.retentionPolicy(now).categories;
  } catch (error) {
    warnings.push(`The kit's retention policy could not be read (${error instanceof Error ? error.message : String(error)}); each category's retention is worked out from the routes and fields alone.`);
    return undefined;
  }
}

/**
 * The inventory (compliance map) of an Express 5 or 4 app: walks its router (nested routers, prefixes, mounted
 * controllers), reads each route's privacy declaration, compiles it as the engine would, and adds what drift
 * detection observed and each category's retention (the kit's `retentionPolicy()`, which knows the
 * `retention.categories` option; without a kit, worked out from the routes' and fields' periods). Does not start
 * the app.
 *
 * @param app - an Express application or Router
 * @param options - the kit, observations, app facts, source locations
 * @example
 * const inventory = inventoryOf(app, { app: { controller: { name: 'Shop Ltd', contact: 'privacy@shop.example' } } });
 * renderInventory(inventory, 'md');
 */
export function inventoryOf(app: unknown, options: InventoryOfOptions = {}): Inventory {
  const discovery = discoverApp(app, {
    ...(options.sourceLocations === undefined ? {} : { sourceLocations: options.sourceLocations }),
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
  });
  const kit = options.kit ?? findPrivacyKit(discovery.kit, 0);
  const given: readonly DriftObservations[] =
    options.observations === undefined ? [] : Array.isArray(options.observations) ? (options.observations as readonly DriftObservations[]) : [options.observations as DriftObservations];
  const observed = kit?.drift === undefined ? given : [kit.drift.snapshot(), ...given];
  const name = options.app?.name ?? kit?.appId;
  const generatedAt = options.generatedAt ?? new Date();
  const warnings = [...discovery.warnings];
  const retention = kitRetention(kit, generatedAt, warnings);
  return buildInventory({
    app: { measures: appliedMeasures(kit?.measures), ...options.app, ...(name === undefined ? {} : { name }) },
    routes: discovery.routes.map((r) => {
      const parts = r.markers.flatMap((m) => m.parts);
      const compiled = parts.length > 0 ? compileRoute(r.method, r.path, r.markers) : undefined;
      return {
        method: r.method,
        path: r.path,
        aliases: r.aliases,
        handler: r.handlerName,
        source: r.source ?? null,
        parts,
        problems: compiled !== undefined && isRouteProblem(compiled) ? compiled.problems : [],
      };
    }),
    observations: observed,
    ...(retention === undefined ? {} : { retention }),
    warnings,
    generatedAt,
  });
}
