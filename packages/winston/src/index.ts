export { redactPii } from './redact-pii.format';
export type { RedactPiiOptions } from './redact-pii.format';
