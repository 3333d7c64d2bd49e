/**
 * Every metadata key privacy-kit uses, in one file. Other code never touches these directly: it calls the
 * typed readers in `readers.ts`. `Symbol.for` makes two installed copies of the package share them.
 */
export const REGISTRY_KEY = Symbol.for('privacy-kit.registry.v1');
/** Own property of a TC39 decorator metadata object holding that class's own personal fields. */
export const PERSONAL_FIELDS_KEY = Symbol.for('privacy-kit.personal-fields');
/** Marks a route middleware created by a twin (`personalData()`, `requiresConsent()`). */
export const ROUTE_DECLARATION_KEY = Symbol.for('privacy-kit.route-declaration');
/** Marks privacy-kit errors across installed copies (checked by `isPrivacyKitError`). */
export const PRIVACY_KIT_ERROR_KEY = Symbol.for('privacy-kit.error');
/** Where the security measures components of the process record (e.g. log redaction) are kept on globalThis. */
export const MEASURES_KEY = Symbol.for('privacy-kit.measures.v1');
