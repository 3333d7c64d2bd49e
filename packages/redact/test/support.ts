import type { Redactor } from '@privacy-kit/redact';
import { createRedactor } from '@privacy-kit/redact';
import { BUILT_IN_DETECTOR_NAMES } from '../src/detectors/built-in-detectors';

/** A redactor with only the named built-in detector switched on (no keys, no classes). */
export function onlyDetector(name: string): Redactor {
  return createRedactor({
    keys: false,
    classAware: false,
    detectors: Object.fromEntries(BUILT_IN_DETECTOR_NAMES.map((n) => [n, n === name])),
  });
}
