export { createRedactor } from './redactor';
export type { Redactor } from './redactor';
export type { ClassAwareOptions, DetectorSetting, KeyOptions, RedactOptions } from './redact.options';
export type { RedactionMatch, Replacement, ReplacementFunction, ReplacementMode } from './replacement/replacer';

export { defineDetector } from './detectors/define-detector';
export type { DetectorDefinition } from './detectors/define-detector';
export type { Detector, MatchKind, ReportMatch } from './detectors/detector';
export type { TextProfile } from './text/text-profile';

export { createPersonalDataFinder, findPersonalData } from './detection/find-personal-data';
export type { FindPersonalDataOptions } from './detection/find-personal-data';

export { CIRCULAR, DEPTH_LIMIT, FAILED, SIZE_LIMIT, UNREADABLE } from './walk/value-walker';
