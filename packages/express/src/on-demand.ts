import type * as ClassValidator from 'class-validator';
import type * as Redact from '@privacy-kit/redact';

/*
 * Modules a kit loads the first time a feature needs them, not when the app starts. Together they are ~5 MB of live
 * heap (class-validator brings validator.js and libphonenumber-js's full metadata; the redaction engine its detector
 * tables), and V8 sizes the old generation at a multiple of what is live: loaded up front, they cost an app that
 * never validates a consent body nor records drift ~20 MB of resident memory under load (measured with
 * `npm run bench`). Node caches each module, so every call after the first is a property read.
 */

let classValidatorModule: typeof ClassValidator | undefined;
let redactModule: typeof Redact | undefined;

/** class-validator, loaded on first use (the consent body, a rectification patch, a source's rules). */
export function classValidator(): typeof ClassValidator {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use; see the note above
  return (classValidatorModule ??= require('class-validator') as typeof ClassValidator);
}

/** @privacy-kit/redact, loaded on first use (drift detection's default detector). */
export function redaction(): typeof Redact {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use; see the note above
  return (redactModule ??= require('@privacy-kit/redact') as typeof Redact);
}
