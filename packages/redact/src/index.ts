export { createRedactor } from './redactor';
export type { Redactor } from './redactor';

export {
  DEFAULT_MAX_DEPTH,
  DEFAULT_MAX_NODES,
  DEFAULT_MAX_STRING_LENGTH,
  DEFAULT_MAX_TOTAL_TEXT,
  DEFAULT_REPLACEMENT,
  resolveDetectorSettings,
  resolveRedactOptions,
} from './redact-options';
export type { DetectorSetting, KeyOptions, RedactOptions, ResolvedDetector, ResolvedRedactOptions } from './redact-options';

export { formatLabel } from './replacement/replacer';
export type { RedactionMatch, Replacement, ReplacementFunction, ReplacementMode } from './replacement/replacer';

export { BUILT_IN_DETECTORS, BUILT_IN_DETECTOR_NAMES } from './detectors/built-in-detectors';
export type { BuiltInDetectorName } from './detectors/built-in-detectors';
export { defineDetector } from './detectors/define-detector';
export type { DetectorDefinition } from './detectors/define-detector';
export type { Detector, MatchKind, ReportMatch } from './detectors/detector';
export { HAS_AT, HAS_B, HAS_COLON, HAS_DOT, HAS_EQUALS, HAS_LETTER, HAS_PERCENT, HAS_PLUS, TextProfile } from './text/text-profile';
export type { DigitClusters } from './text/text-profile';

export { classifyKey } from './keys/sensitive-keys';
export type { KeyKind } from './keys/sensitive-keys';

export { isLuhnValid } from './validators/luhn.validator';
export { isValidIban } from './validators/iban.validator';

export {
  DEFAULT_FIND_MAX_DEPTH,
  DEFAULT_FIND_MAX_NODES,
  DEFAULT_FIND_MAX_STRING_LENGTH,
  DEFAULT_FIND_MAX_TOTAL_TEXT,
  createPersonalDataFinder,
  findPersonalData,
  resolveFindPersonalDataOptions,
} from './detection/find-personal-data';
export type { FindPersonalDataOptions, ResolvedFindPersonalDataOptions } from './detection/find-personal-data';

export { CIRCULAR, DEPTH_LIMIT, FAILED, SIZE_LIMIT, UNREADABLE } from './walk/value-walker';
