import { coreError } from '../errors/core.error';
import { renderInventoryHtml } from './html.renderer';
import type { Inventory } from './inventory.model';
import { renderInventoryJson } from './json.renderer';
import { renderInventoryMarkdown } from './markdown.renderer';
import { renderInventoryMermaid } from './mermaid.renderer';

/** The formats an inventory renders to. */
export const INVENTORY_FORMATS = ['json', 'md', 'mermaid', 'html'] as const;

/** One of {@link INVENTORY_FORMATS}. */
export type InventoryFormat = (typeof INVENTORY_FORMATS)[number];

/** The media type of each format, for HTTP answers. */
export const INVENTORY_MEDIA_TYPES: Readonly<Record<InventoryFormat, string>> = {
  json: 'application/json; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  mermaid: 'text/plain; charset=utf-8',
  html: 'text/html; charset=utf-8',
};

/**
 * Renders an inventory in one of {@link INVENTORY_FORMATS}.
 *
 * @param inventory - from `buildInventory` or `inventoryOf`
 * @param format - json, md (an Art. 30 record), mermaid (a data-flow diagram) or html (one offline page)
 * @example
 * renderInventory(inventory, 'md');
 */
export function renderInventory(inventory: Inventory, format: InventoryFormat): string {
  switch (format) {
    case 'json': return renderInventoryJson(inventory);
    case 'md': return renderInventoryMarkdown(inventory);
    case 'mermaid': return renderInventoryMermaid(inventory);
    case 'html': return renderInventoryHtml(inventory);
    default:
      throw coreError('PK_INVALID_OPTION', `renderInventory(): unknown format ${JSON.stringify(format)}. Use one of ${INVENTORY_FORMATS.join(', ')}.`);
  }
}
