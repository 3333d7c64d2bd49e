export { redactPii } from './redact-pii.options';
export type { RedactPiiOptions } from './redact-pii.options';
