import { KIT_HOLDER_KEY } from '../symbols';

/**
 * Marks `target` (a kit, or an app the kit is mounted on) as holding `kit`, so that tools find the kit in what a
 * module exports. The first mark wins.
 *
 * @param target - the kit itself, or the app it is mounted on
 * @param kit - the `privacy()` kit
 */
export function markKitHolder(target: object, kit: object): void {
  if (Object.prototype.hasOwnProperty.call(target, KIT_HOLDER_KEY)) return;
  Object.defineProperty(target, KIT_HOLDER_KEY, { value: kit, enumerable: false });
}

/**
 * The kit `value` holds (its own mark, never an inherited one), or undefined.
 *
 * @param value - anything: a kit, an app, a module's exports
 */
export function heldKit(value: unknown): object | undefined {
  if (typeof value !== 'function' && (typeof value !== 'object' || value === null)) return undefined;
  if (!Object.prototype.hasOwnProperty.call(value, KIT_HOLDER_KEY)) return undefined;
  return (value as Record<symbol, object>)[KIT_HOLDER_KEY];
}

/**
 * Whether `value` is a kit: the middleware `privacy()` returns (which looks like an app to Express), marked as
 * holding itself.
 *
 * @param value - e.g. a sub-app found while walking a router
 */
export function isKit(value: unknown): boolean {
  return value !== undefined && heldKit(value) === value;
}
