export { redactPii } from './redact-pii.format';
export type { RedactPiiOptions } from './redact-pii.format';
export { sealLines } from './seal-lines.format';
export type { SealLinesOptions } from './seal-lines.format';
