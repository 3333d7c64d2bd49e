import type { PrivacyKitError } from '@privacy-kit/core';
import { redaction } from '../on-demand';
import { DriftRecorder } from './drift-recorder';
import type { PersonalDataDetector, ResolvedDriftOptions } from './drift.options';

/**
 * The redaction engine's detector: `findPersonalData` of @privacy-kit/redact (free-text detectors with
 * validators, field-name heuristics, `@PersonalData` class fields), with its bounded work per call.
 */
export const redactionDetector: PersonalDataDetector = (value) => redaction().findPersonalData(value);

/**
 * Creates the drift recorder of a `privacy()` kit, with the redaction engine's detector unless the options give
 * one.
 *
 * @param options - resolved drift options
 * @param onError - told about errors nobody else sees (unreadable file, failing detector)
 */
export function createDriftRecorder(options: ResolvedDriftOptions, onError: (error: PrivacyKitError) => void): DriftRecorder {
  return new DriftRecorder(options, options.detect ?? redactionDetector, onError);
}
