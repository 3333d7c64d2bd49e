import { PrivacyKitError } from '../errors/privacy-kit.error';
import { MEASURES_KEY } from './metadata-keys';

/**
 * Security measures the app has in place beyond what privacy-kit always does, each with how it is done. The record
 * of processing activities (Art. 30(1)(g)) states a measure only when something says it is in place.
 */
export interface AppliedMeasures {
  /** How personal data is kept out of the application's logs, e.g. "privacy-kit's redactPii() winston format". */
  readonly logRedaction?: string;
}

/** A measure a component can record. */
export type MeasureKind = keyof AppliedMeasures;

const KINDS: readonly MeasureKind[] = ['logRedaction'];

function measures(): Record<string, string> {
  const holder = globalThis as unknown as Record<symbol, Record<string, string> | undefined>;
  let found = holder[MEASURES_KEY];
  if (found === undefined) {
    found = {};
    Object.defineProperty(holder, MEASURES_KEY, { value: found, enumerable: false });
  }
  return found;
}

/**
 * Records that a measure is in place in this process, and how; called by the components that put it in place
 * (`redactPii()` of @privacy-kit/winston records log redaction when a log format is made with it). The first
 * description of a measure is kept. Kept on globalThis, so two installed copies of @privacy-kit/core share it.
 *
 * @param kind - which measure
 * @param how - how it is done, for the record
 * @example
 * recordMeasure('logRedaction', "privacy-kit's redactPii() winston format");
 */
export function recordMeasure(kind: MeasureKind, how: string): void {
  if (!KINDS.includes(kind)) {
    throw new PrivacyKitError('PK_INVALID_OPTION', `@privacy-kit/core: recordMeasure(): unknown measure '${String(kind)}'; known measures: ${KINDS.join(', ')}.`);
  }
  const all = measures();
  all[kind] ??= how;
}

/**
 * The measures recorded in this process so far (see {@link recordMeasure}).
 *
 * @example
 * buildInventory({ routes, app: { measures: recordedMeasures() } });
 */
export function recordedMeasures(): AppliedMeasures {
  return { ...measures() };
}
