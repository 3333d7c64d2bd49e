import type { Inventory } from './inventory.model';

/**
 * Renders an inventory as JSON (two-space indented, with a final newline); it validates against
 * `INVENTORY_SCHEMA`.
 *
 * @example
 * writeFileSync('inventory.json', renderInventoryJson(inventory));
 */
export function renderInventoryJson(inventory: Inventory): string {
  return `${JSON.stringify(inventory, null, 2)}\n`;
}
