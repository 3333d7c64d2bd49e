import { heldKit } from './discovery/kit-holder';
import type { PrivacyKit } from './privacy-kit';

/**
 * Finds the `privacy()` kit in what a module exports: the kit itself, an Express app the kit is mounted on, or an
 * object (e.g. the module namespace) holding one of those. Used by `privacy-kit sweep <module>`.
 *
 * @param value - a module's exports, an app, or a kit
 * @param depth - how many levels of plain objects to look into
 * @example
 * const kit = findPrivacyKit(require('./dist/privacy-map.js'));
 * await kit?.sweep();
 */
export function findPrivacyKit(value: unknown, depth = 2): PrivacyKit | undefined {
  if (typeof value !== 'function' && (typeof value !== 'object' || value === null)) return undefined;
  // Only privacy() marks anything as a kit holder, and it marks with the kit it returns.
  const held = heldKit(value) as PrivacyKit | undefined;
  if (held !== undefined) return held;
  if (depth === 0 || typeof value === 'function') return undefined;
  // Exports such as { app }, { kit } or { default: { app, kit } } (ESM interop), one or two levels deep.
  for (const candidate of Object.values(value as Record<string, unknown>)) {
    const found = findPrivacyKit(candidate, depth - 1);
    if (found !== undefined) return found;
  }
  return undefined;
}
