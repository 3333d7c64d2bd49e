import { dirname } from 'node:path';
import type { NextFunction, Request, Response } from 'express';
import { INVENTORY_MEDIA_TYPES, findPrivacyKitConfig, parseRecordConfig, renderInventory, type InventoryAppInput, type InventoryFormat } from '@privacy-kit/core';
import { getRequestContext } from '../context/request-context';
import type { Engine } from '../engine/engine.interface';
import { identifyAdmin } from '../engine/caller';
import { sendJsonError } from '../http/json-error';
import type { PrivacyKit } from '../privacy-kit';
import { inventoryOf } from './inventory-of';

const SUFFIX = /^\/admin\/inventory(?:\.(json|md|html|mmd))?\/?$/;
const EXTENSIONS: Readonly<Record<string, InventoryFormat>> = { json: 'json', md: 'md', html: 'html', mmd: 'mermaid' };

/** The format asked for: by extension, else by Accept (JSON by default). */
function formatOf(req: Request, extension: string | undefined): InventoryFormat {
  if (extension !== undefined) return EXTENSIONS[extension] as InventoryFormat;
  const preferred = req.accepts(['application/json', 'text/html', 'text/markdown', 'text/vnd.mermaid']);
  if (preferred === 'text/html') return 'html';
  if (preferred === 'text/markdown') return 'md';
  if (preferred === 'text/vnd.mermaid') return 'mermaid';
  return 'json';
}

/**
 * The record fields (name, controller, security measures) of the app's privacy-kit configuration, found the way the
 * CLI finds them, with the app's entry script as the module: from its folder up to its project root, then from the
 * working directory; `privacy-kit.config.json` or the `privacy-kit` key of package.json.
 */
function recordConfigOfProcess(): InventoryAppInput {
  const entry = process.argv[1];
  const found = findPrivacyKitConfig({ cwd: process.cwd(), ...(entry === undefined || entry === '' ? {} : { moduleDir: dirname(entry) }) });
  return parseRecordConfig(found.value, found.where);
}

/** The inventory endpoint, with a cheap test of whether a request is for it. */
export type InventoryEndpoint = ((req: Request, res: Response, next: NextFunction) => void) & {
  /** A GET or HEAD of `{basePath}/admin/inventory[.ext]`. */
  handles(req: Request): boolean;
};

/**
 * `GET {basePath}/admin/inventory[.json|.md|.html|.mmd]`: the live inventory of the app the kit is mounted on,
 * with what drift detection has observed so far. Only for callers with one of `adminRoles`, identified like every
 * other request (JWT or `identify`). The format comes from the extension, else from Accept (JSON by default). The
 * record's name, controller and security measures come from the app's privacy-kit configuration, the one the CLI
 * reads (see {@link recordConfigOfProcess}), read at the first request.
 *
 * @param engine - the kit's engine
 * @param kit - the kit (its `parent`, set by Express when the kit is mounted, is the app to map)
 */
export function createInventoryEndpoint(engine: Engine, kit: PrivacyKit & { readonly parent?: unknown }): InventoryEndpoint {
  const base = engine.options.basePath;
  let recordConfig: InventoryAppInput | undefined;
  const matchOf = (req: Request): RegExpExecArray | null => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return null;
    const path = req.path;
    return path.startsWith(`${base}/admin/inventory`) ? SUFFIX.exec(path.slice(base.length)) : null;
  };
  const endpoint = function inventoryEndpoint(req: Request, res: Response, next: NextFunction): void {
    const match = matchOf(req);
    if (match === null) {
      next();
      return;
    }
    const ctx = getRequestContext(req);
    if (ctx === undefined) {
      next();
      return;
    }
    identifyAdmin(engine, req, res, `${base}/admin/inventory`).then((admin) => {
      if (admin === undefined) return;
      const app = kit.parent;
      const format = formatOf(req, match[1]);
      recordConfig ??= recordConfigOfProcess();
      const body = renderInventory(inventoryOf(app, { kit, app: recordConfig }), format);
      res.status(200).set('Cache-Control', 'no-store').set('Vary', 'Accept').type(INVENTORY_MEDIA_TYPES[format]).send(body);
    }).catch((error: unknown) => {
      engine.report(error, 'the inventory endpoint');
      sendJsonError(res, 500, { error: 'privacy_misconfigured' });
    });
  };
  return Object.assign(endpoint, { handles: (req: Request) => matchOf(req) !== null });
}
