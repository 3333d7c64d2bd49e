export { redactPii } from './redact-pii';
export type { RedactPiiOptions } from './redact-pii';
